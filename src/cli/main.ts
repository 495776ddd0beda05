/**
 * The `ssl-orders` program as a function: `main(argv, io)` parses the command line, runs the command
 * and returns the exit code. The bin (index.ts) only calls it; tests call it in-process.
 *
 * @module
 */
import { VERSION } from '../index.js';
import { parseCommandLine } from './args.js';
import { runDemo } from './commands/demo.js';
import { runList } from './commands/list.js';
import { runResend } from './commands/resend.js';
import { runResendAll } from './commands/resend-all.js';
import { runShow } from './commands/show.js';
import { describeFailure } from './errors.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { helpText } from './help.js';
import type { CliIo } from './io.js';
import { openSession } from './session.js';

export { EXIT, type ExitCode } from './exit-codes.js';
export { type CliIo, nodeIo, type TextSink } from './io.js';

/**
 * Runs the `ssl-orders` program.
 *
 * @param argv - the arguments after `node` and the script, e.g. `['resend', '4471203', '--dry-run']`.
 * @param io - streams, environment and whether stdin is a terminal ({@link nodeIo} for the real ones).
 * @returns the exit code (see {@link EXIT}); failures are printed as one line on `io.stderr`, never thrown.
 * @example
 * ```ts
 * process.exitCode = await main(process.argv.slice(2), nodeIo());
 * ```
 */
export async function main(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const fail = (error: unknown): ExitCode => {
    const failure = describeFailure(error);
    io.stderr.write(failure.text);
    return failure.code;
  };
  try {
    const invocation = parseCommandLine(argv);
    if (invocation.kind === 'help') {
      io.stdout.write(helpText(invocation.topic));
      return EXIT.ok;
    }
    if (invocation.kind === 'version') {
      io.stdout.write(`${VERSION}\n`);
      return EXIT.ok;
    }
    const { command, flags, orderId } = invocation;
    if (command === 'demo') return await runDemo(io, flags.timeoutMs);
    const session = await openSession(flags, io);
    try {
      switch (command) {
        case 'list':
          return await runList(session.client, flags, io);
        case 'show':
          return await runShow(session.client, orderId ?? 0, flags, io);
        case 'resend':
          return flags.all
            ? await runResendAll(session.client, flags.status ?? '', flags, io)
            : await runResend(session.client, orderId ?? 0, flags, io);
      }
    } finally {
      await session.close();
    }
  } catch (error) {
    return fail(error);
  }
}
