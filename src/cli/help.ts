/**
 * `--help` texts for the program and each command.
 *
 * @module
 */
import type { CommandName } from './args.js';
import { EXIT_CODE_HELP } from './exit-codes.js';

const GLOBAL_FLAGS = `Global flags:
  --emulator            run against a fresh embedded emulator (demo data; no account, no real email)
  --endpoint <url>      REST endpoint, e.g. https://api.service.softlayer.com/rest/v3.1/ (private network)
  --timeout <seconds>   per-request timeout (default 30)
  --json                results on stdout as JSON; an error is one JSON object on stderr
                        ({"name", "message", "orderId", "exitCode"})
  -h, --help            show help
  -V, --version         print the version`;

const LEDGER_FLAGS = `Send ledger flags (resend, mark, history):
  --ledger <where>      where sends are recorded: a file path, or redis://… / rediss://… for a fleet
                        (default: SSL_ORDERS_LEDGER, else $XDG_STATE_HOME/softlayer-ssl-orders/, else
                        ~/.local/state/softlayer-ssl-orders/). The duplicate guard holds per ledger:
                        root's cron job and your shell share it only with the same --ledger.
  --retention <dur>     how far back history shows settled sends (default 90d)`;

const CREDENTIALS = `Credentials (as slcli finds them): SL_USERNAME + SL_API_KEY (classic API key), or
IBMCLOUD_API_KEY / IC_API_KEY (IBM Cloud API key), or ~/.softlayer ([softlayer] username, api_key).
SL_ENDPOINT_URL and SL_TIMEOUT (seconds) are honoured too, and so are HTTPS_PROXY / HTTP_PROXY /
NO_PROXY (through Node's own proxy support).`;

const PROGRAM = `ssl-orders: list IBM Cloud classic (SoftLayer) SSL certificate orders and have the certificate
authority re-send an order's email, asking before anything is sent and never twice by accident.

Usage:
  ssl-orders list [--status <name>] [--json]
  ssl-orders show <id> [--json]
  ssl-orders resend <id> [--approver] [--dry-run] [--yes] [--force <reason>] [--json]
  ssl-orders resend --all --status <name> [--approver] [--dry-run] [--yes] [--concurrency <n>]
  ssl-orders mark <id> sent|not-sent --reason <text> [--approver]
  ssl-orders history [--order <id>] [--json]
  ssl-orders demo
  ssl-orders help [command]
  ssl-orders --version

Commands:
  list     the account's SSL orders, oldest expiration first
  show     every field of one order
  resend   have the CA send the fulfillment (certificate) email again, or with --approver the
           approval email; shows the recipient and asks first
  mark     record what you learned about a send whose outcome is unknown (nothing is sent)
  history  the sends the ledger remembers, newest first
  demo     the whole job against an embedded emulator, in one command

${GLOBAL_FLAGS}

${CREDENTIALS}

${EXIT_CODE_HELP}

Run 'ssl-orders <command> --help' for a command's flags.`;

const LIST = `Usage: ssl-orders list [--status <name>] [--json] [global flags]

Lists the account's SSL certificate orders as a table sorted by expiration date, oldest first (as the
IBM Cloud console sorts them), with the columns id, common name, status, expires and approver.

Flags:
  --status <name>   only orders in this status, e.g. Approved, Complete, "Pending CA Approval", Canceled
                    (checked against the account's statuses, any case; a typo is exit 2)
  --json            print the orders as a JSON array (same order) instead of a table

${GLOBAL_FLAGS}

Example:
  ssl-orders list --status Approved`;

const SHOW = `Usage: ssl-orders show <id> [--json] [global flags]

Prints every field of one SSL order.

Flags:
  --json   print the order as JSON

${GLOBAL_FLAGS}

Example:
  ssl-orders show 4471203`;

const RESEND = `Usage:
  ssl-orders resend <id> [--approver] [--dry-run] [--yes] [--force <reason>] [--json] [global flags]
  ssl-orders resend --all --status <name> [--approver] [--dry-run] [--yes] [--concurrency <n>]

Has the certificate authority send an order's email again. The order is read first; its recipient
(the approver address), common name and status are printed, then on a terminal you are asked
"Send the fulfillment email to <address>? [y/N]". Anything but y/yes declines. Without a terminal
(a pipe, cron, CI) nothing is sent unless --yes is given.

Every send is recorded in the send ledger (see --ledger). The same email for the same order is
refused for the cooldown after it was sent (exit 6), and refused while an earlier send's outcome is
unknown (exit 7) until you record what happened with 'ssl-orders mark' or send with --force.

A send is never retried once it may have reached the API: if no clear answer comes back (or you
press Ctrl-C after the request left), the command says the email may or may not have been sent,
records it as unknown and exits with 4; check with the recipient. Ctrl-C before the request left
sends nothing and says so (exit 130).

Flags:
  --approver          send the approval email (orders "Pending CA Approval") instead of the
                      fulfillment email (orders "Approved" or "Complete")
  --dry-run           read and check everything, print the request, send nothing
  -y, --yes           do not ask; send (needed when stdin is not a terminal)
  --force <reason>    send even though the ledger shows it was sent within the cooldown or has an
                      unknown outcome; the reason is recorded in the ledger (see history). Never
                      overrides a send that is running right now in another process.
  --cooldown <dur>    how long after a send the same email is refused: 30m, 2h, 1d (default 24h)
  --any-status        skip the order-status check (for a status this tool does not know)
  --json              print the result (or the --all summary and results) as JSON
  --all               every order in --status (required with --all); a line per order on stderr
                      (a progress bar with an ETA on a terminal) and a summary at the end. Orders
                      sent within the cooldown or with an unknown outcome are skipped, and the
                      unknown ones listed, so re-running after a failure sends only what was not sent.
                      On a terminal each order is asked: y, n, all (this and the rest), quit.
  --status <name>     with --all: which orders, e.g. Approved
  --concurrency <n>   with --all --yes: sends at a time, 1 to 16 (default 4), paced under the API's
                      rate limit

${LEDGER_FLAGS}

${GLOBAL_FLAGS}

${EXIT_CODE_HELP}
With --all the exit code is the worst outcome: 4 if any unknown, else 1 if any failed, else 130 if
interrupted, else 7 if any was skipped for an earlier unknown outcome, else 3 if any declined, else 0.

Examples:
  ssl-orders resend 4471203
  ssl-orders resend 4471203 --dry-run
  ssl-orders resend --all --status Approved --yes`;

const MARK = `Usage: ssl-orders mark <id> sent|not-sent --reason <text> [--approver] [ledger flags]

Records what you learned about a send whose outcome is unknown (exit 4 or 7), without sending:
  sent       the email arrived: resend refuses it for the cooldown, like any send
  not-sent   it did not: the next resend sends it
--approver marks the approval email instead of the fulfillment email.

${LEDGER_FLAGS}

${GLOBAL_FLAGS}

Example:
  ssl-orders mark 4471203 sent --reason "admin@example.com confirmed it arrived"`;

const HISTORY = `Usage: ssl-orders history [--order <id>] [--json] [ledger flags]

The sends the ledger remembers, newest first: time, order, email, recipient, outcome (sent,
not-sent, unknown, in-flight), intent id, and the reason of a forced send or of a mark. Reads the
ledger only: no credentials, no request. Settled sends older than --retention (default 90d) are not
shown; unknown ones always are.

Flags:
  --order <id>   only this order
  --json         the records as a JSON array

${LEDGER_FLAGS}`;

const DEMO = `Usage: ssl-orders demo

Starts an embedded emulator of the SoftLayer API (demo orders, no account, no real email), lists its
orders, resends one Approved order's fulfillment email through the same confirmation prompt as
'resend' (answered 'y' automatically, and saying so), prints the emulator's outbox, and stops.

Same as: npm run demo`;

const HELP = `Usage: ssl-orders help [command]

Shows the help of the program or of one command (list, show, resend, mark, history, demo).`;

const TEXTS: Record<CommandName, string> = {
  list: LIST,
  show: SHOW,
  resend: RESEND,
  mark: MARK,
  history: HISTORY,
  demo: DEMO,
  help: HELP,
};

/** The help text of the program (no topic) or of one command. */
export function helpText(topic: CommandName | undefined): string {
  return `${topic === undefined ? PROGRAM : TEXTS[topic]}\n`;
}
