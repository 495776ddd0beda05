/**
 * `ssl-orders show <id>`: every field of one order.
 *
 * @module
 */
import type { SslOrdersClient } from '../../index.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { formatOrderDetails } from '../table.js';

/** Prints one order; returns the exit code. */
export async function runShow(
  client: SslOrdersClient,
  orderId: number,
  flags: { json: boolean },
  io: CliIo,
): Promise<ExitCode> {
  const order = await client.getOrder(orderId);
  io.stdout.write(flags.json ? `${JSON.stringify(order, null, 2)}\n` : formatOrderDetails(order));
  return EXIT.ok;
}
