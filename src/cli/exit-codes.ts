/**
 * The exit codes of the `ssl-orders` bin. Scripts can tell every outcome of a send apart.
 *
 * @module
 */

/** Exit codes, as documented in `ssl-orders --help`. */
export const EXIT = Object.freeze({
  /** Success: the email was sent, the dry run or the read worked. */
  ok: 0,
  /** Failed: the API or the network refused; nothing was sent. */
  failed: 1,
  /** Usage or configuration error: a bad flag, argument or missing credentials. Nothing was sent. */
  usage: 2,
  /** Declined at the prompt; nothing was sent. */
  declined: 3,
  /** The send may or may not have happened; it was not retried. */
  unknown: 4,
  /** Refused: a confirmation was needed but stdin is not a terminal and `--yes` was not given. */
  needsConfirmation: 5,
  /** Refused: the ledger shows this email was already sent within the cooldown; nothing was sent. */
  alreadySent: 6,
  /**
   * Refused: an earlier send of this email has an unknown outcome (or is running in another process);
   * nothing was sent. `ssl-orders mark` records what happened; `--force` sends anyway.
   */
  earlierUnknown: 7,
  /** Interrupted (Ctrl-C) before the request could have left; nothing was sent. */
  interrupted: 130,
});

/** One of the {@link EXIT} values. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit-code table shown by `--help`. */
export const EXIT_CODE_HELP = `Exit codes:
  0  success (email sent, dry run done, or read succeeded)
  1  failed: the API or the network refused; nothing was sent
  2  usage or configuration error (bad flag or argument, no credentials); nothing was sent
  3  declined at the confirmation prompt; nothing was sent
  4  outcome unknown: the send may or may not have happened and was NOT retried
  5  refused: confirmation needed but stdin is not a terminal; pass --yes (or --dry-run)
  6  refused: already sent within the cooldown (see 'ssl-orders history'); nothing was sent
  7  refused: an earlier send's outcome is unknown or still running; nothing was sent
       (record what happened with 'ssl-orders mark', or send anyway with --force <reason>)
  130  interrupted (Ctrl-C) before the request could have left; nothing was sent`;
