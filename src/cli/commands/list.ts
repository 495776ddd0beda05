/**
 * `ssl-orders list`: every order, oldest expiration first, as a table or JSON.
 *
 * @module
 */
import type { SslOrder, SslOrdersClient } from '../../index.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { clean, formatOrderTable, sortByExpiration } from '../table.js';

/** Options of {@link runList}. */
export interface ListFlags {
  status: string | undefined;
  json: boolean;
}

/**
 * Reads every matching order and sorts them by expiration, oldest first. `iterateOrders` fetches the
 * pages ahead of the loop (prefetching, under the client's pacing), so a long list is not read one
 * page after another.
 */
export async function readOrders(
  client: SslOrdersClient,
  status: string | undefined,
  signal?: AbortSignal,
): Promise<SslOrder[]> {
  const orders: SslOrder[] = [];
  for await (const order of client.iterateOrders({ status, signal })) orders.push(order);
  return sortByExpiration(orders);
}

/** Prints the orders; returns the exit code. */
export async function runList(client: SslOrdersClient, flags: ListFlags, io: CliIo): Promise<ExitCode> {
  const orders = await readOrders(client, flags.status);
  if (flags.json) {
    io.stdout.write(`${JSON.stringify(orders, null, 2)}\n`);
    return EXIT.ok;
  }
  const where = flags.status === undefined ? '' : ` in status "${clean(flags.status)}"`;
  if (orders.length === 0) {
    io.stdout.write(`No orders${where}.\n`);
    return EXIT.ok;
  }
  io.stdout.write(formatOrderTable(orders));
  io.stderr.write(
    `${orders.length} order${orders.length === 1 ? '' : 's'}${where}, oldest expiration first.\n`,
  );
  return EXIT.ok;
}
