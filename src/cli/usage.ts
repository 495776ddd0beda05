/**
 * The command names and the usage error, apart from the parser so that value parsers, help and the
 * error printer can use them without importing the parser.
 *
 * @module
 */

/** The commands of the bin. */
export const COMMANDS = ['list', 'show', 'resend', 'mark', 'history', 'demo', 'help'] as const;
/** One of {@link COMMANDS}. */
export type CommandName = (typeof COMMANDS)[number];

/** A mistake on the command line: printed with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    /** The command whose help to point at, if known. */
    readonly command?: CommandName,
  ) {
    super(message);
  }
}
