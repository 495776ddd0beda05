/**
 * Proof for issue 13: two senders race for the same email through a shared store that answers each
 * step after a random 0–10 ms (before and after its atomic step), ≥ 10,000 races run concurrently in
 * batches. Double sends are counted by POSTs at the emulator: exactly one per race. The emulator's core
 * answers through `coreFetch` (the same request handling as over sockets, without them) so that 30,000
 * requests fit CI time on 2 cores.
 */
import { describe, expect, it } from 'vitest';
import {
  DuplicateSendError,
  MemorySendLedger,
  type ReserveRule,
  type SendLedger,
  type SendRecord,
  type Settlement,
  SslOrdersClient,
} from '../../src/index.js';
import { createEmulatorState } from '../../src/testing/index.js';
import { coreFetch } from './support/harness.js';
import { countCases, scaled, tally, useSummary } from './support/summary.js';

useSummary(import.meta.filename);

const RACES = Math.max(10_000, scaled(10_000));
const BATCH = 1_000;
const ORDER = 4471877; // Approved in the seed
const FIRST_ID = 90_000_000;

const jitter = () => new Promise<void>((resolve) => setTimeout(resolve, Math.random() * 10));

/** A store with network-like latency: every step waits 0–10 ms before and after its atomic step. */
class JitteryLedger implements SendLedger {
  readonly #inner = new MemorySendLedger();
  async #step<T>(run: () => Promise<T>): Promise<T> {
    await jitter();
    const result = await run();
    await jitter();
    return result;
  }
  reserve(key: string, record: SendRecord, rule: ReserveRule) {
    return this.#step(() => this.#inner.reserve(key, record, rule));
  }
  settle(key: string, intentId: string, settlement: Settlement) {
    return this.#step(() => this.#inner.settle(key, intentId, settlement));
  }
  release(key: string, intentId: string) {
    return this.#step(() => this.#inner.release(key, intentId));
  }
  get(key: string) {
    return this.#step(() => this.#inner.get(key));
  }
  list() {
    return this.#step(() => this.#inner.list());
  }
}

describe('two senders through a jittery shared store', () => {
  it(`${RACES} races: one POST each, the other sender refused`, { timeout: 120_000 }, async () => {
    const emulator = createEmulatorState();
    const options = {
      auth: { username: emulator.credentials.username, apiKey: emulator.credentials.apiKey },
      baseUrl: 'http://127.0.0.1:9/rest/v3.1/',
      fetch: coreFetch(emulator),
      accountId: emulator.accountId,
      retry: false as const,
      // Pacing off: 10,000 races at 46 requests a second would take minutes; the property is the guard.
      rateLimit: false as const,
    };
    // One order per race, so every race has its own key; two clients share the store for all races:
    // two processes, each with its own in-flight map, meeting only in the store.
    const seed = emulator.orders.find((order) => order.id === ORDER)!;
    for (let race = 0; race < RACES; race++) emulator.addOrders({ ...seed, id: FIRST_ID + race });
    const sendLedger = new JitteryLedger();
    const senders = [
      new SslOrdersClient({ ...options, sendLedger }),
      new SslOrdersClient({ ...options, sendLedger }),
    ];
    let sent = 0;
    let refused = 0;
    let other = 0;
    const started = performance.now();
    for (let done = 0; done < RACES; done += BATCH) {
      const races = Array.from({ length: Math.min(BATCH, RACES - done) }, async (_, index) => {
        const id = FIRST_ID + done + index;
        const results = await Promise.allSettled(
          senders.map((client) => client.resendFulfillmentEmail(id, { confirm: false })),
        );
        for (const result of results) {
          if (result.status === 'fulfilled' && result.value.outcome === 'sent') sent++;
          else if (result.status === 'rejected' && result.reason instanceof DuplicateSendError) refused++;
          else other++;
        }
      });
      await Promise.all(races);
    }
    const seconds = (performance.now() - started) / 1000;
    const postCount = emulator.count({ route: 'resend', method: 'POST' });
    const doubles = postCount - RACES;
    countCases('ledger races', RACES);
    tally.figures['ledger races, 0–10 ms store jitter per step'] =
      `${RACES} races of 2 senders: ${postCount} POSTs, ${doubles} double sends (goal 0), ${seconds.toFixed(1)} s`;
    expect(other).toBe(0);
    expect(sent).toBe(RACES);
    expect(refused).toBe(RACES);
    expect(postCount).toBe(RACES);
    expect(emulator.outbox).toHaveLength(RACES);
  });
});
