/**
 * One process of the fleet case of bench/pacing.ts: a client sharing `RedisRateLimiter` with the
 * other processes. argv[2] is JSON: the emulator's url and credentials, the Redis url, `kind`
 * (`sends` or `reads`) and the order ids to work on. Prints `ready` once connected, waits for a line
 * on stdin, runs every call at once, prints {"succeeded","failed","events"}.
 */
import { createInterface } from 'node:readline';
import { SslOrdersClient } from '../src/index.js';
import { RedisRateLimiter } from '../src/redis/index.js';

interface Work {
  url: string;
  username: string;
  apiKey: string;
  accountId: number;
  redisUrl: string;
  kind: 'sends' | 'reads';
  ids: number[];
}

const work = JSON.parse(process.argv[2] ?? '{}') as Work;
const shared = new RedisRateLimiter({ url: work.redisUrl });
// Loads the chunks the first call would load, and connects now on a key of its own, so that the
// timed part includes neither.
await Promise.all([import('../src/pacer.js'), import('../src/paging.js'), import('../src/send.js')]);
await shared.take(`warm-up ${process.pid}`, { requestsPerSecond: 1_000, burst: 1_000 });
let unavailable = 0;
const client = new SslOrdersClient({
  auth: { username: work.username, apiKey: work.apiKey },
  baseUrl: work.url,
  accountId: work.accountId,
  sendCooldown: 0,
  confirm: () => true,
  rateLimit: { shared },
  onEvent: (event) => {
    if (event.type === 'pace.shared-unavailable') unavailable++;
  },
});
process.stdout.write('ready\n');
const lines = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => lines.once('line', () => resolve()));
const results = await Promise.allSettled(
  work.ids.map((id) => (work.kind === 'sends' ? client.resendFulfillmentEmail(id) : client.getOrder(id))),
);
const failed = results.filter((result) => result.status === 'rejected');
process.stdout.write(
  `${JSON.stringify({
    succeeded: results.length - failed.length,
    failed: failed.map((result) => String((result as PromiseRejectedResult).reason)).slice(0, 3),
    unavailable,
  })}\n`,
);
lines.close();
await shared.close();
