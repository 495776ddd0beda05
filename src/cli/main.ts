/**
 * The `ssl-orders` program as a function: `main(argv, io)` parses the command line, runs the command
 * and returns the exit code. The bin (index.ts) only calls it; tests call it in-process.
 *
 * @module
 */
import { VERSION } from '../index.js';
import { type Invocation, parseCommandLine } from './args.js';
import { runDemo } from './commands/demo.js';
import { runHistory } from './commands/history.js';
import { runList } from './commands/list.js';
import { runMark } from './commands/mark.js';
import { runResend } from './commands/resend.js';
import { runResendAll } from './commands/resend-all.js';
import { runShow } from './commands/show.js';
import { describeFailure, type FailureContext } from './errors.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { helpText } from './help.js';
import type { CliIo } from './io.js';
import { chooseLedger, openLedger } from './ledger.js';
import { openSession, type Session } from './session.js';
import { checkedStatus } from './statuses.js';

export { EXIT, type ExitCode } from './exit-codes.js';
export { type CliIo, nodeIo, type TextSink } from './io.js';

/**
 * Runs the `ssl-orders` program.
 *
 * @param argv - the arguments after `node` and the script, e.g. `['resend', '4471203', '--dry-run']`.
 * @param io - streams, environment and whether stdin is a terminal ({@link nodeIo} for the real ones).
 * @returns the exit code (see {@link EXIT}); failures are printed on `io.stderr` (one line, or one JSON
 *   object with `--json`), never thrown.
 * @example
 * ```ts
 * process.exitCode = await main(process.argv.slice(2), nodeIo());
 * ```
 */
export async function main(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  let json = argv.includes('--json');
  let context: () => FailureContext = () => ({});
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
    json = invocation.flags.json;
    if (invocation.command === 'demo') return await runDemo(io, invocation.flags.timeoutMs);
    if (invocation.command === 'history') {
      const { flags } = invocation;
      const ledger = await openLedger(chooseLedger(flags, io.env), {
        env: io.env,
        retentionMs: flags.retentionMs,
      });
      try {
        return await runHistory(ledger, invocation.flags, io);
      } finally {
        await ledger.close();
      }
    }
    const session = await openSession(invocation.command, invocation.flags, io);
    context = session.progress;
    try {
      return await run(session, invocation, io);
    } finally {
      await session.close();
    }
  } catch (error) {
    const failure = describeFailure(error, context());
    io.stderr.write(json ? `${JSON.stringify(failure.json)}\n` : failure.text);
    return failure.code;
  }
}

async function run(session: Session, invocation: Invocation & { kind: 'run' }, io: CliIo): Promise<ExitCode> {
  const { command, orderId = 0 } = invocation;
  const { flags } = invocation;
  switch (command) {
    case 'list':
      return runList(
        session.client,
        { ...flags, status: await checkedStatus(session.client, flags.status, command) },
        io,
      );
    case 'show':
      return runShow(session.client, orderId, flags, io);
    case 'mark':
      return runMark(session.client, orderId, invocation.outcome ?? 'sent', flags, io);
    case 'resend':
      return flags.all
        ? runResendAll(session.client, flags.status ?? '', flags, io)
        : runResend(session.client, orderId, flags, io);
    default:
      throw new Error(`no runner for ${command}`);
  }
}
