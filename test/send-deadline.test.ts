/**
 * `totalTimeout` is one deadline for the whole send (issue 15 item 2): the order read, the confirm hook
 * (whose signal aborts at the deadline), the reservation and the POST. No POST leaves after it, nor
 * after the reservation's own deadline (the send's bound without totalTimeout).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  MemorySendLedger,
  type ReserveRule,
  type SendLedger,
  type SendRecord,
  TimeoutError,
} from '../src/index.js';
import { sendBound } from '../src/send-options.js';
import { APPROVED, type Emulator, makeClient, posts, rejection, startEmulator } from './send-fixture.js';

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(async () => {
  vi.useRealTimers();
  await emulator.close();
});

/** A hook that says yes exactly when its signal aborts, and notes when and why. */
function yesWhenAborted(seen: { at?: number; reason?: unknown }) {
  return ({ signal }: { signal: AbortSignal | undefined }) =>
    new Promise<boolean>((resolve) => {
      signal?.addEventListener('abort', () => {
        seen.at = Date.now();
        seen.reason = signal.reason;
        resolve(true);
      });
    });
}

describe('totalTimeout covers the whole send', () => {
  it.each([
    ['the client', { totalTimeout: 300 }, {}],
    ['the call', {}, { totalTimeout: 300 }],
  ])(
    'set on %s: the hook signal aborts with a TimeoutError and a late yes sends nothing',
    async (_where, clientOptions, callOptions) => {
      const seen: { at?: number; reason?: unknown } = {};
      const { client, events } = makeClient(emulator, { ...clientOptions, confirm: yesWhenAborted(seen) });
      const error = await rejection(client.resendFulfillmentEmail(APPROVED, callOptions));
      expect(error).toBeInstanceOf(TimeoutError);
      expect(error).toMatchObject({ limit: 'total', timeoutMs: 300, method: 'POST' });
      expect(seen.reason).toBe(error);
      expect(posts(emulator)).toBe(0);
      expect(events.some((event) => event.type === 'send.dispatched')).toBe(false);
    },
  );

  it('the time the read took counts: the hook is stopped at start + totalTimeout, not later', async () => {
    emulator.inject({ route: 'get', kind: 'latency', delayMs: 500 });
    const seen: { at?: number } = {};
    const { client } = makeClient(emulator, { confirm: yesWhenAborted(seen) });
    const before = Date.now();
    await expect(client.resendFulfillmentEmail(APPROVED, { totalTimeout: 800 })).rejects.toBeInstanceOf(
      TimeoutError,
    );
    // With a fresh timer per step the hook would run until 500 + 800 ms.
    expect(seen.at! - before).toBeLessThan(1_150);
    expect(posts(emulator)).toBe(0);
  });

  it('a read slower than the deadline → TimeoutError, hook never asked', async () => {
    emulator.inject({ route: 'get', kind: 'hang' });
    let asked = 0;
    const { client } = makeClient(emulator, {
      confirm: () => {
        asked++;
        return true;
      },
    });
    await expect(client.resendFulfillmentEmail(APPROVED, { totalTimeout: 200 })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(asked).toBe(0);
    expect(posts(emulator)).toBe(0);
  });

  it('the caller signal still ends the hook first, with its own reason', async () => {
    const controller = new AbortController();
    const reason = new Error('closed the tab');
    const { client } = makeClient(emulator, {
      confirm: () => {
        controller.abort(reason);
        return new Promise<boolean>(() => {});
      },
    });
    const error = await rejection(
      client.resendFulfillmentEmail(APPROVED, { signal: controller.signal, totalTimeout: 10_000 }),
    );
    expect(error).toBe(reason);
  });
});

describe('the reservation deadline', () => {
  async function reservedDuringPost(
    options: { totalTimeout?: number; timeout?: number },
    clientTotal?: number,
    orderId = APPROVED,
  ) {
    const ledger = new MemorySendLedger();
    let during: SendRecord | undefined;
    const { client } = makeClient(emulator, {
      sendLedger: ledger,
      ...(clientTotal === undefined ? {} : { totalTimeout: clientTotal }),
      onEvent: (event) => {
        if (event.type === 'send.dispatched') void ledger.list().then(([record]) => (during = record));
      },
    });
    const before = Date.now();
    await client.resendFulfillmentEmail(orderId, options);
    return { record: during!, before };
  }

  it('is the send deadline (start + totalTimeout): the read time is not added again', async () => {
    emulator.inject({ route: 'get', kind: 'latency', delayMs: 150 });
    const { record, before } = await reservedDuringPost({ totalTimeout: 5_000 });
    expect(record.state).toBe('reserved');
    expect(record.deadline).toBeLessThanOrEqual(Date.now() + 5_000);
    expect(record.deadline).toBeGreaterThanOrEqual(before + 5_000);
    expect(record.deadline - record.reservedAt).toBeLessThanOrEqual(5_000 - 150);
  });

  it('without totalTimeout is reservedAt + the longest the POST can take under the client settings', async () => {
    const { record } = await reservedDuringPost({});
    // makeClient: timeout 1 s, 2 retries, maxDelay 5 ms, maxRetryAfter 60 s (default):
    // (2 + 2) attempts × 2 × 1 s (token + request) + 2 waits × 60 s.
    expect(record.deadline - record.reservedAt).toBe(128_000);
    // A per-call timeout counts instead of the client's: 4 × 2 × 2 s + 2 × 60 s.
    const perCall = await reservedDuringPost({ timeout: 2_000 }, undefined, 4482310);
    expect(perCall.record.deadline - perCall.record.reservedAt).toBe(136_000);
    expect(
      sendBound({
        timeout: 30_000,
        retry: {
          maxRetries: 2,
          baseDelay: 500,
          maxDelay: 8_000,
          jitter: 'full',
          maxRetryAfter: 60_000,
          retryOn: [],
        },
      }),
    ).toBe(360_000);
  });
});

describe('a reservation stored too late to POST within its deadline (a slow store)', () => {
  /** A store whose reservation lands when the clock is `before` ms short of the record's deadline. */
  function slowStore(inner: MemorySendLedger, before: number): SendLedger {
    return {
      reserve: async (key, record, rule: ReserveRule) => {
        if (!key.includes('/approval/')) vi.setSystemTime(record.deadline - before);
        return inner.reserve(key, record, rule);
      },
      settle: (key, intentId, settlement) => inner.settle(key, intentId, settlement),
      release: (key, intentId) => inner.release(key, intentId),
      get: (key) => inner.get(key),
      list: () => inner.list(),
    };
  }

  // makeClient: per-attempt timeout 1 s. Past the deadline other processes read the record as unknown.
  it.each([
    ['already past its deadline', -1],
    ['with less than one attempt timeout left', 999],
  ])('%s: TimeoutError, no POST, the reservation released', async (_case, before) => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now());
    const inner = new MemorySendLedger();
    const { client, events } = makeClient(emulator, { sendLedger: slowStore(inner, before) });
    const error = await rejection(
      client.resendFulfillmentEmail(APPROVED, { approvedRecipient: 'admin@example.com', approvalId: 'a-1' }),
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ limit: 'total', timeoutMs: 128_000 });
    expect(posts(emulator)).toBe(0);
    expect(events.map((event) => event.type)).not.toContain('send.dispatched');
    expect(await inner.list()).toEqual([]);
  });

  it('with a whole attempt timeout left: sends', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now());
    const { client } = makeClient(emulator, { sendLedger: slowStore(new MemorySendLedger(), 1_000) });
    await expect(client.resendFulfillmentEmail(APPROVED)).resolves.toMatchObject({ outcome: 'sent' });
    expect(posts(emulator)).toBe(1);
  });
});
