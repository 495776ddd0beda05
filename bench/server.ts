/**
 * A minimal SoftLayer-shaped HTTP server for the benchmarks, run in its own process (so its CPU and
 * memory never count against the client being measured). Every answer is serialized once and served
 * from memory: the server's cost is constant and the same for every client variant.
 *
 * Routes (under /rest/v3.1/): POST SoftLayer_Security_Certificate_Request/getSslCertificateRequests.json
 * with resultLimit=offset,limit; GET …/{id}/getObject.json; POST …/{id}/resendEmail.json → true;
 * GET SoftLayer_Account/getObject.json. Authentication is not checked.
 *
 * Usage: node --import tsx bench/server.ts <orderCount>. Prints {"port":…} on stdout when listening.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BENCH_ACCOUNT_ID, FIRST_ORDER_ID, wireOrders } from './fixtures.js';

const count = Number(process.argv[2] ?? '100');
if (!Number.isSafeInteger(count) || count < 1 || count > 200_000)
  throw new RangeError('orderCount 1..200000');
const orders = wireOrders(count);
const pages = new Map<string, Buffer>();
const singles = new Map<number, Buffer>();
const TRUE = Buffer.from('true');
const ACCOUNT = Buffer.from(JSON.stringify({ id: BENCH_ACCOUNT_ID }));

function send(res: ServerResponse, status: number, body: Buffer, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length, ...extra });
  res.end(body);
}

function page(offset: number, limit: number): Buffer {
  const key = `${offset},${limit}`;
  let body = pages.get(key);
  if (!body) {
    body = Buffer.from(JSON.stringify(orders.slice(offset, offset + limit)));
    // Bounded: 100,000 orders in pages of 100 is 1,000 entries, about 45 MB in this process only.
    if (pages.size < 5_000) pages.set(key, body);
  }
  return body;
}

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.replace(/^\/rest\/v3(\.1)?\//, '');
    if (path === 'SoftLayer_Security_Certificate_Request/getSslCertificateRequests.json') {
      const [offset = 0, limit = count] = (url.searchParams.get('resultLimit') ?? '')
        .split(',')
        .filter(Boolean)
        .map(Number);
      send(res, 200, page(offset, limit), { 'softlayer-total-items': String(count) });
      return;
    }
    const match = /^SoftLayer_Security_Certificate_Request\/(\d+)\/(getObject|resendEmail)\.json$/.exec(path);
    const order = match ? orders[Number(match[1]) - FIRST_ORDER_ID] : undefined;
    if (match && order) {
      if (match[2] === 'resendEmail') return send(res, 200, TRUE);
      let body = singles.get(order.id);
      if (!body) {
        body = Buffer.from(JSON.stringify(order));
        singles.set(order.id, body);
      }
      return send(res, 200, body);
    }
    if (path === 'SoftLayer_Account/getObject.json') return send(res, 200, ACCOUNT);
    send(res, 404, Buffer.from('{"error":"not found","code":"SoftLayer_Exception_ObjectNotFound"}'));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.on('disconnect', () => server.close());
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
