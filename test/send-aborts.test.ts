/**
 * Answers that prove nothing was sent, and aborts before and after the resendEmail POST, against the
 * real emulator over sockets: how many POSTs reached the server and what the caller saw.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  NotFoundError,
  PermissionDeniedError,
  SendOutcomeUnknownError,
} from '../src/index.js';
import {
  APPROVED,
  type Emulator,
  makeClient,
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

describe('answers that prove nothing was sent: typed ApiError', () => {
  it.each([
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [400, ApiError],
  ] as const)('HTTP %i → %o, 1 POST, no email', async (status, type) => {
    emulator.inject({ route: 'resend', kind: 'server-error', status });
    const { client, events } = makeClient(emulator);
    const error = await rejection(client.resendFulfillmentEmail(APPROVED));
    expect(error).toBeInstanceOf(type);
    expect(error).not.toBeInstanceOf(SendOutcomeUnknownError);
    expect(error).toMatchObject({ status });
    expect((error as ApiError).intentId).toMatch(/^[0-9a-f-]{36}$/);
    expect(posts(emulator)).toBe(1);
    expect(emulator.outbox).toHaveLength(0);
    expect(sendEventTypes(events).at(-1)).toBe('send.failed');
  });
});

describe('aborts', () => {
  it('an abort after dispatch → SendOutcomeUnknownError carrying the reason, 1 POST', async () => {
    emulator.inject({ route: 'resend', kind: 'hang' });
    const controller = new AbortController();
    const reason = new Error('operator pressed Ctrl-C');
    const { client } = makeClient(emulator);
    const sending = rejection(client.resendFulfillmentEmail(APPROVED, { signal: controller.signal }));
    // Aborted once the emulator holds the POST (it hangs there), not after a guessed delay.
    await expect.poll(() => posts(emulator), { interval: 2 }).toBe(1);
    controller.abort(reason);
    const error = await sending;
    expect(error).toBeInstanceOf(SendOutcomeUnknownError);
    expect((error as SendOutcomeUnknownError).cause).toBe(reason);
    expect(posts(emulator)).toBe(1);
  });

  it('an abort while the confirm hook is pending → the reason, 0 POSTs', async () => {
    const controller = new AbortController();
    const reason = new Error('user closed the prompt');
    let hookSignal: AbortSignal | undefined;
    const { client } = makeClient(emulator, {
      confirm: ({ signal }) => {
        hookSignal = signal;
        // After the hook returned its pending answer: the send is waiting on it.
        queueMicrotask(() => controller.abort(reason));
        return new Promise<boolean>(() => {});
      },
    });
    const error = await rejection(client.resendFulfillmentEmail(APPROVED, { signal: controller.signal }));
    expect(error).toBe(reason);
    expect(hookSignal?.aborted).toBe(true);
    expect(posts(emulator)).toBe(0);
  });

  it('a hook that says yes after the abort still sends nothing', async () => {
    const controller = new AbortController();
    const { client } = makeClient(emulator, {
      confirm: () => {
        controller.abort(new Error('too late'));
        return true;
      },
    });
    await expect(client.resendFulfillmentEmail(APPROVED, { signal: controller.signal })).rejects.toThrow(
      'too late',
    );
    expect(posts(emulator)).toBe(0);
  });

  it('an already aborted signal → the reason, no request at all', async () => {
    const { client } = makeClient(emulator);
    const reason = new Error('never mind');
    await expect(client.resendFulfillmentEmail(APPROVED, { signal: AbortSignal.abort(reason) })).rejects.toBe(
      reason,
    );
    expect(emulator.requests).toHaveLength(0);
  });

  it('an abort while the token provider is pending before the POST → the reason, 0 POSTs', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    let calls = 0;
    const { client } = makeClient(emulator, {
      auth: {
        bearerToken: async () => {
          calls++;
          if (calls === 2) {
            controller.abort(reason);
            await Promise.resolve();
          }
          return emulator.issueToken();
        },
      },
    });
    const error = await rejection(client.resendFulfillmentEmail(APPROVED, { signal: controller.signal }));
    expect(posts(emulator)).toBe(0);
    expect(error).toBe(reason);
  });
});
