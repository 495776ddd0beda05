/**
 * `ssl-orders demo` (`npm run demo`): the whole job against an embedded emulator, in one command.
 *
 * @module
 */
import type { OutboxEntry } from '../../testing/index.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { autoPrompter } from '../prompt.js';
import { emulatorClient, startEmbeddedEmulator } from '../session.js';
import { clean, formatOrderTable, formatTable } from '../table.js';
import { readOrders } from './list.js';
import { runResend } from './resend.js';

/** Renders the emulator's outbox as a table. */
export function formatOutbox(outbox: readonly OutboxEntry[]): string {
  const rows = outbox.map((entry) => [
    String(entry.orderId),
    entry.emailType,
    clean(entry.recipient),
    clean(entry.commonName),
    entry.at,
  ]);
  return formatTable(['ORDER', 'EMAIL', 'RECIPIENT', 'COMMON NAME', 'SENT AT'], rows);
}

/** Runs the demo; returns the exit code. */
export async function runDemo(io: CliIo, timeoutMs: number | undefined): Promise<ExitCode> {
  const out = io.stdout;
  const emulator = await startEmbeddedEmulator(io);
  try {
    // No ledger named: the demo keeps its records in memory and never writes the user's ledger.
    const client = emulatorClient(emulator, { timeoutMs });
    out.write(
      `ssl-orders demo: an embedded emulator of the SoftLayer API is running at ${emulator.url}\n` +
        'No IBM Cloud account is used and no real email is sent.\n\n',
    );
    out.write('$ ssl-orders list\n');
    const orders = await readOrders(client, undefined);
    out.write(formatOrderTable(orders));
    const order = orders.find((candidate) => candidate.status?.name === 'Approved');
    if (!order) {
      io.stderr.write('ssl-orders: the emulator has no Approved order to resend.\n');
      return EXIT.failed;
    }
    out.write(`\n$ ssl-orders resend ${order.id}\n`);
    const code = await runResend(
      client,
      order.id,
      { approver: false, dryRun: false, yes: false, force: undefined },
      { ...io, stderr: out },
      { prompter: autoPrompter(out, "auto-answering 'y' for the demo"), conversation: out },
    );
    if (code !== EXIT.ok) return code;
    const outbox = emulator.outbox;
    out.write(
      `\nThe emulated certificate authority's outbox (${outbox.length} email${outbox.length === 1 ? '' : 's'}):\n`,
    );
    out.write(formatOutbox(outbox));
    out.write(
      '\nOn a real account: set SL_USERNAME and SL_API_KEY (or IBMCLOUD_API_KEY), then run\n' +
        '  ssl-orders list\n  ssl-orders resend <id>\n',
    );
    return EXIT.ok;
  } finally {
    await emulator.close();
  }
}
