/**
 * The duplicate guard: in-flight sharing, the cooldown, force, and a ledger shared by two clients
 * (standing in for two processes), over the real emulator.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DuplicateSendError,
  MemorySendLedger,
  type SendLedger,
  type SendRecord,
  type SentResult,
} from '../src/index.js';
import { ledgerKey } from '../src/send-guard.js';
import {
  APPROVED,
  APPROVED_2,
  type Emulator,
  makeClient,
  PENDING,
  posts,
  rejection,
  sendEventTypes,
  startEmulator,
} from './send-fixture.js';

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(async () => {
  await emulator.close();
});

describe('in flight in one client', () => {
  it('concurrent sends of the same email share one POST and one result', async () => {
    let asked = 0;
    const { client, events } = makeClient(emulator, {
      confirm: async () => {
        asked++;
        return true;
      },
    });
    const first = client.resendFulfillmentEmail(APPROVED);
    const second = client.resendFulfillmentEmail(APPROVED);
    const [a, b] = await Promise.all([first, second]);
    expect(b).toBe(a);
    expect(asked).toBe(1);
    expect(posts(emulator)).toBe(1);
    expect(emulator.outbox).toHaveLength(1);
    const suppressed = events.find((event) => event.type === 'send.suppressed');
    expect(suppressed).toMatchObject({ reason: 'in-flight', otherIntentId: a.intentId, orderId: APPROVED });
    expect(suppressed && 'intentId' in suppressed && suppressed.intentId).not.toBe(a.intentId);
  });

  it('a joiner that aborts stops waiting but does not cancel the send it joined', async () => {
    emulator.inject({ route: 'resend', kind: 'latency', delayMs: 60 });
    const { client } = makeClient(emulator);
    const first = client.resendFulfillmentEmail(APPROVED);
    const controller = new AbortController();
    const joined = client.resendFulfillmentEmail(APPROVED, { signal: controller.signal });
    const reason = new Error('gave up');
    setTimeout(() => controller.abort(reason), 10);
    await expect(joined).rejects.toBe(reason);
    await expect(first).resolves.toMatchObject({ outcome: 'sent' });
    expect(posts(emulator)).toBe(1);
  });

  it('different orders and email types run side by side', async () => {
    const { client } = makeClient(emulator);
    const results = await Promise.all([
      client.resendFulfillmentEmail(APPROVED),
      client.resendFulfillmentEmail(APPROVED_2),
      client.resendApproverEmail(PENDING),
      client.resendFulfillmentEmail(APPROVED, { allowAnyStatus: true, dryRun: true }),
    ]);
    expect(results.map((result) => result.outcome)).toEqual(['sent', 'sent', 'sent', 'dry-run']);
    expect(posts(emulator)).toBe(3);
  });
});

describe('the cooldown', () => {
  it('refuses a second send with DuplicateSendError naming the first; nothing read, asked or sent', async () => {
    let asked = 0;
    const { client, events } = makeClient(emulator, {
      sendCooldown: 60_000,
      confirm: () => {
        asked++;
        return true;
      },
    });
    const first = (await client.resendFulfillmentEmail(APPROVED)) as SentResult;
    const reads = emulator.count({ route: 'get' });
    const error = await rejection(client.resendFulfillmentEmail(APPROVED));
    expect(error).toBeInstanceOf(DuplicateSendError);
    const duplicate = error as DuplicateSendError;
    expect(duplicate).toMatchObject({
      orderId: APPROVED,
      emailType: 'FulfillmentEmail',
      lastIntentId: first.intentId,
      lastOutcome: 'sent',
    });
    expect(duplicate.lastSentAt.getTime()).toBe(first.sentAt.getTime());
    expect(duplicate.cooldownEndsAt.getTime()).toBe(first.sentAt.getTime() + 60_000);
    expect(duplicate.intentId).not.toBe(first.intentId);
    expect(asked).toBe(1);
    expect(emulator.count({ route: 'get' })).toBe(reads);
    expect(posts(emulator)).toBe(1);
    expect(sendEventTypes(events, duplicate.intentId)).toEqual([
      'send.planned',
      'send.suppressed',
      'send.failed',
    ]);
  });

  it('also follows an unknown outcome', async () => {
    emulator.inject({ route: 'resend', kind: 'reset-after' });
    const { client } = makeClient(emulator);
    await rejection(client.resendFulfillmentEmail(APPROVED));
    const error = await rejection(client.resendFulfillmentEmail(APPROVED));
    expect(error).toBeInstanceOf(DuplicateSendError);
    expect(error).toMatchObject({ lastOutcome: 'unknown' });
    expect(posts(emulator)).toBe(1);
  });

  it.each([
    ['declined', () => ({ confirm: () => false })],
    [
      'refused with 403',
      () => {
        emulator.inject({ route: 'resend', kind: 'server-error', status: 403 });
        return {};
      },
    ],
    [
      'rate-limited to the end',
      () => {
        emulator.inject({ route: 'resend', kind: 'rate-limit', times: 3 });
        return {};
      },
    ],
    ['dry-run', () => ({ dryRun: true })],
  ])('does not follow a send that was %s', async (_name, setUp) => {
    const { client } = makeClient(emulator);
    await client.resendFulfillmentEmail(APPROVED, setUp()).catch(() => undefined);
    await expect(client.resendFulfillmentEmail(APPROVED)).resolves.toMatchObject({ outcome: 'sent' });
    expect(emulator.outbox).toHaveLength(1);
  });

  it('force: { reason } overrides it, and the reason is in the planned event', async () => {
    const { client, events } = makeClient(emulator);
    await client.resendFulfillmentEmail(APPROVED);
    const again = await client.resendFulfillmentEmail(APPROVED, {
      force: { reason: 'admin lost the email' },
    });
    expect(again.outcome).toBe('sent');
    expect(emulator.outbox).toHaveLength(2);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'send.planned',
        force: 'admin lost the email',
        intentId: again.intentId,
      }),
    );
  });

  it('0 turns it off; a short one expires', async () => {
    const off = makeClient(emulator, { sendCooldown: 0 }).client;
    await off.resendFulfillmentEmail(APPROVED);
    await off.resendFulfillmentEmail(APPROVED);
    expect(emulator.outbox).toHaveLength(2);
    const short = makeClient(emulator, { sendCooldown: 40 }).client;
    await short.resendFulfillmentEmail(APPROVED_2);
    await expect(short.resendFulfillmentEmail(APPROVED_2)).rejects.toBeInstanceOf(DuplicateSendError);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(short.resendFulfillmentEmail(APPROVED_2)).resolves.toMatchObject({ outcome: 'sent' });
    expect(emulator.outbox).toHaveLength(4);
  });

  it('is per order and email type', async () => {
    const { client } = makeClient(emulator);
    await client.resendFulfillmentEmail(APPROVED);
    await client.resendFulfillmentEmail(APPROVED_2);
    await client.resendApproverEmail(APPROVED, { allowAnyStatus: true }).catch(() => undefined);
    // The ApproverEmail POST was made (the emulator refused it): the FulfillmentEmail record did not block it.
    expect(posts(emulator)).toBe(3);
  });
});

describe('a ledger shared by two clients ("two processes")', () => {
  it('blocks the second client after the first sent', async () => {
    const ledger = new MemorySendLedger();
    const one = makeClient(emulator, { sendLedger: ledger }).client;
    const two = makeClient(emulator, { sendLedger: ledger }).client;
    await one.resendFulfillmentEmail(APPROVED);
    await expect(two.resendFulfillmentEmail(APPROVED)).rejects.toBeInstanceOf(DuplicateSendError);
    await expect(two.resendFulfillmentEmail(APPROVED_2)).resolves.toMatchObject({ outcome: 'sent' });
    expect(posts(emulator)).toBe(2);
  });

  it('blocks the second client while the first is still in flight', async () => {
    emulator.inject({ route: 'resend', kind: 'latency', delayMs: 80 });
    const ledger = new MemorySendLedger();
    const one = makeClient(emulator, { sendLedger: ledger }).client;
    const two = makeClient(emulator, { sendLedger: ledger }).client;
    const first = one.resendFulfillmentEmail(APPROVED);
    await new Promise((resolve) => setTimeout(resolve, 40));
    const error = await rejection(two.resendFulfillmentEmail(APPROVED));
    expect(error).toBeInstanceOf(DuplicateSendError);
    await expect(first).resolves.toMatchObject({ outcome: 'sent' });
    expect(posts(emulator)).toBe(1);
    expect(emulator.outbox).toHaveLength(1);
  });

  it('blocks a send whose person said yes after the other client sent (checked again after the hook)', async () => {
    const ledger = new MemorySendLedger();
    const one = makeClient(emulator, { sendLedger: ledger }).client;
    let release: (answer: boolean) => void = () => {};
    const two = makeClient(emulator, {
      sendLedger: ledger,
      confirm: () => new Promise<boolean>((resolve) => (release = resolve)),
    }).client;
    const slow = two.resendFulfillmentEmail(APPROVED);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await one.resendFulfillmentEmail(APPROVED);
    release(true);
    await expect(slow).rejects.toBeInstanceOf(DuplicateSendError);
    expect(posts(emulator)).toBe(1);
  });

  it('a custom ledger sees a record for the send while the POST is in flight (crash-safe)', async () => {
    const records = new Map<string, SendRecord>();
    const ledger: SendLedger = {
      get: async (key) => records.get(key),
      set: async (key, record) => {
        records.set(key, record);
      },
    };
    const key = ledgerKey(APPROVED, 'FulfillmentEmail');
    let during: SendRecord | undefined;
    const { client } = makeClient(emulator, {
      sendLedger: ledger,
      onEvent: (event) => {
        if (event.type === 'request' && event.idempotent === false) during = records.get(key);
      },
    });
    const result = await client.resendFulfillmentEmail(APPROVED);
    expect(during).toMatchObject({ intentId: result.intentId, outcome: 'unknown' });
    expect(records.get(key)).toMatchObject({ intentId: result.intentId, outcome: 'sent' });
  });

  it('a send the server provably refused leaves no record behind', async () => {
    const records = new Map<string, SendRecord>();
    const ledger: SendLedger = {
      get: (key) => records.get(key),
      set: (key, record) => {
        records.set(key, record);
      },
    };
    emulator.inject({ route: 'resend', kind: 'server-error', status: 401 });
    const { client } = makeClient(emulator, { sendLedger: ledger });
    await rejection(client.resendFulfillmentEmail(APPROVED));
    await expect(client.resendFulfillmentEmail(APPROVED)).resolves.toMatchObject({ outcome: 'sent' });
    expect(posts(emulator)).toBe(2);
  });

  it('a ledger that fails to read or reserve refuses the send; one that fails after the POST does not undo it', async () => {
    const broken: SendLedger = {
      get: () => {
        throw new Error('store down');
      },
      set: () => undefined,
    };
    const reading = makeClient(emulator, { sendLedger: broken }).client;
    await expect(reading.resendFulfillmentEmail(APPROVED)).rejects.toThrow('store down');
    expect(posts(emulator)).toBe(0);
    const unwritable: SendLedger = {
      get: () => undefined,
      set: () => {
        throw new Error('store read-only');
      },
    };
    // Without a reservation no other process could see the send: refuse rather than risk a duplicate.
    const reserving = makeClient(emulator, { sendLedger: unwritable }).client;
    await expect(reserving.resendFulfillmentEmail(APPROVED)).rejects.toThrow('store read-only');
    expect(posts(emulator)).toBe(0);
    let writes = 0;
    const writeOnlyFails: SendLedger = {
      get: () => undefined,
      set: () => {
        writes++;
        if (writes > 1) throw new Error('store down');
      },
    };
    const writing = makeClient(emulator, { sendLedger: writeOnlyFails }).client;
    await expect(writing.resendFulfillmentEmail(APPROVED)).resolves.toMatchObject({ outcome: 'sent' });
    expect(posts(emulator)).toBe(1);
  });
});

describe('MemorySendLedger and ledgerKey', () => {
  it('drops records older than maxAge as new ones arrive', () => {
    const ledger = new MemorySendLedger(1_000);
    const record = (orderId: number, at: number): SendRecord => ({
      orderId,
      emailType: 'FulfillmentEmail',
      at,
      intentId: `i-${orderId}`,
      outcome: 'sent',
    });
    ledger.set('old', record(1, Date.now() - 5_000));
    ledger.set('new', record(2, Date.now()));
    expect(ledger.get('old')).toBeUndefined();
    expect(ledger.get('new')).toMatchObject({ orderId: 2 });
  });

  it('keys differ by order and email type', () => {
    const keys = new Set([
      ledgerKey(1, 'FulfillmentEmail'),
      ledgerKey(1, 'ApproverEmail'),
      ledgerKey(2, 'FulfillmentEmail'),
      ledgerKey(12, 'FulfillmentEmail'),
    ]);
    expect(keys.size).toBe(4);
  });
});

describe('two clients that reach the POST at the same moment', () => {
  it('both read an empty ledger, both reserve, the read-back lets one send', async () => {
    // A remote store used by two processes in lockstep: each read or write waits (up to 30 ms) for
    // the other process's matching call, so both read before either writes, and both write before
    // either reads back. Reads answer what was stored when they were asked.
    const records = new Map<string, SendRecord>();
    const pairGet = lockstep();
    const pairSet = lockstep();
    const ledger: SendLedger = {
      get: async (key) => {
        const value = records.get(key);
        await pairGet();
        return value;
      },
      set: async (key, record) => {
        records.set(key, record);
        await pairSet();
      },
    };
    // Both people say yes at the same moment: the hook answers once both clients asked.
    let asked = 0;
    let open: (value: boolean) => void = () => {};
    const gate = new Promise<boolean>((resolve) => (open = resolve));
    const confirm = () => {
      asked++;
      if (asked === 2) open(true);
      return gate;
    };
    const one = makeClient(emulator, { sendLedger: ledger, confirm }).client;
    const two = makeClient(emulator, { sendLedger: ledger, confirm }).client;
    const sends = [one.resendFulfillmentEmail(APPROVED), two.resendFulfillmentEmail(APPROVED)];
    const settled = await Promise.allSettled(sends);
    expect(settled.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = settled.find((result) => result.status === 'rejected');
    expect(refused?.status === 'rejected' && refused.reason).toBeInstanceOf(DuplicateSendError);
    expect(posts(emulator)).toBe(1);
    expect(emulator.outbox).toHaveLength(1);
  });
});

/** Each call waits for the next call (the other process) for up to 30 ms, then both go on. */
function lockstep(): () => Promise<void> {
  let waiting: (() => void) | undefined;
  return () =>
    new Promise<void>((resolve) => {
      if (waiting) {
        const other = waiting;
        waiting = undefined;
        other();
        resolve();
        return;
      }
      const timer = setTimeout(() => {
        waiting = undefined;
        resolve();
      }, 30);
      waiting = () => {
        clearTimeout(timer);
        resolve();
      };
    });
}
