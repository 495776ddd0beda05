/**
 * The process surface the CLI touches, injectable so that tests drive `main` in-process.
 *
 * @module
 */
import type { Emulator } from '../testing/index.js';

/** Something text can be written to (a stream, or a test's collector). */
export interface TextSink {
  write(chunk: string): unknown;
}

/** Everything `main` reads from or writes to. {@link nodeIo} gives the real process's. */
export interface CliIo {
  /** Where prompt answers are read from. */
  stdin: NodeJS.ReadableStream;
  /** Data: tables, JSON, results. */
  stdout: TextSink;
  /** Progress, notes and errors. */
  stderr: TextSink;
  /** Environment variables for credentials (`SL_USERNAME`, `SL_API_KEY`, `IBMCLOUD_API_KEY`, …). */
  env: Record<string, string | undefined>;
  /** Whether stdin is an interactive terminal, so that a person can answer a prompt. */
  isTTY: boolean;
  /** Whether stderr is a terminal, so that `resend --all` may draw a progress bar. Default false. */
  stderrIsTTY?: boolean | undefined;
  /** Width of the stderr terminal in columns, for the progress bar. */
  columns?: number | undefined;
  /**
   * Calls `listener` on Ctrl-C (SIGINT) and returns a function that stops listening. Without it,
   * Ctrl-C does whatever the process does by default.
   */
  onInterrupt?: ((listener: () => void) => () => void) | undefined;
  /** The slcli config file to read, or `false` to skip it. Default `~/.softlayer`. */
  configFile?: string | false | undefined;
  /** Starts the emulator for `--emulator` and `demo`. Default: `startEmulator()` from the test kit. */
  startEmulator?: (() => Promise<Emulator>) | undefined;
}

/** The real process's streams and environment. */
export function nodeIo(): CliIo {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    isTTY: process.stdin.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    columns: process.stderr.columns,
    onInterrupt(listener) {
      let count = 0;
      const handler = () => {
        count++;
        // A second Ctrl-C while the first is being handled (a slow ledger, say) leaves at once; an
        // unsettled reservation then reads as unknown after its deadline, which blocks: still safe.
        if (count > 1) process.exit(130);
        listener();
      };
      process.on('SIGINT', handler);
      return () => process.off('SIGINT', handler);
    },
  };
}
