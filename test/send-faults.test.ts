/**
 * Faults before, during and after the resendEmail POST, against the real emulator over sockets: how many
 * POSTs reached the server, how many emails the CA "sent", and what the caller saw (answers that prove
 * nothing was sent, and aborts: test/send-aborts.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  ConnectionError,
  RateLimitError,
  ResponseValidationError,
  SendOutcomeUnknownError,
  ServerError,
  TimeoutError,
} from '../src/index.js';
import {
  APPROVED,
  CANCELED,
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

describe('faults the server proves it did not act on: retried, one email', () => {
  it.each([
    ['HTTP 500 with the RateLimitExceeded code', { status: 500 }],
    ['HTTP 429 with Retry-After: 0', { status: 429, retryAfter: '0' }],
  ])('rate limit (%s) → retried, 2 POSTs, 1 email, sent', async (_name, extra) => {
    emulator.inject({ route: 'resend', kind: 'rate-limit', ...extra });
    const { client, events } = makeClient(emulator);
    const result = await client.resendFulfillmentEmail(APPROVED);
    expect(result.outcome).toBe('sent');
    expect(posts(emulator)).toBe(2);
    expect(emulator.outbox).toHaveLength(1);
    const retry = events.find((event) => event.type === 'retry');
    expect(retry).toMatchObject({ reason: 'rate-limit', idempotent: false });
  });

  it('a rate limit that persists → RateLimitError after maxRetries + 1 POSTs, nothing sent', async () => {
    emulator.inject({ route: 'resend', kind: 'rate-limit', times: Number.POSITIVE_INFINITY });
    const { client, events } = makeClient(emulator);
    const error = await rejection(client.resendFulfillmentEmail(APPROVED));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).not.toBeInstanceOf(SendOutcomeUnknownError);
    expect(posts(emulator)).toBe(3);
    expect(emulator.outbox).toHaveLength(0);
    expect(sendEventTypes(events).at(-1)).toBe('send.failed');
  });

  it('an expired token with a token provider → refreshed once and repeated, 1 email', async () => {
    const requests: boolean[] = [];
    emulator.inject({ route: 'resend', kind: 'expired-token' });
    const { client, events } = makeClient(emulator, {
      auth: {
        bearerToken: ({ forceRefresh }) => {
          requests.push(forceRefresh);
          return emulator.issueToken();
        },
      },
    });
    const result = await client.resendFulfillmentEmail(APPROVED);
    expect(result.outcome).toBe('sent');
    expect(posts(emulator)).toBe(2);
    expect(emulator.outbox).toHaveLength(1);
    expect(requests.filter(Boolean)).toHaveLength(1);
    expect(events.filter((event) => event.type === 'auth.refresh')).toHaveLength(1);
  });

  it('a token that stays expired → AuthenticationError after one refresh, nothing sent', async () => {
    emulator.inject({ route: 'resend', kind: 'expired-token', times: 5 });
    const { client } = makeClient(emulator, { auth: { bearerToken: () => emulator.issueToken() } });
    const error = await rejection(client.resendFulfillmentEmail(APPROVED));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(posts(emulator)).toBe(2);
    expect(emulator.outbox).toHaveLength(0);
  });

  it('connection refused before dispatch → retried, then ConnectionError; nothing sent', async () => {
    const { client, events } = makeClient(emulator, {
      // The server goes away while the person is being asked: the POST finds a closed port.
      confirm: async () => {
        await emulator.close();
        return true;
      },
    });
    const error = await rejection(client.resendFulfillmentEmail(APPROVED));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ code: 'ECONNREFUSED', dispatched: false });
    expect(emulator.outbox).toHaveLength(0);
    const attempts = events.filter((event) => event.type === 'request' && event.idempotent === false);
    expect(attempts).toHaveLength(3);
    expect(sendEventTypes(events).at(-1)).toBe('send.failed');
  });

  it('connection refused, then the server is back → retried on the same port, 1 POST, 1 email', async () => {
    const port = Number(new URL(emulator.url).port);
    const first = emulator;
    let restarted: Promise<Emulator> | undefined;
    const { client } = makeClient(emulator, {
      retry: { maxRetries: 5, baseDelay: 30, maxDelay: 30, jitter: 'none', budget: false },
      confirm: async () => {
        await first.close();
        return true;
      },
      onEvent: (event) => {
        if (event.type === 'retry' && !restarted) {
          restarted = startEmulator({ port, state: first.state });
        }
      },
    });
    const result = await client.resendFulfillmentEmail(APPROVED);
    expect(result.outcome).toBe('sent');
    emulator = await (restarted as Promise<Emulator>);
    expect(posts(emulator)).toBe(1);
    expect(emulator.outbox).toHaveLength(1);
  });
});

describe('faults after the request may have reached the server: SendOutcomeUnknownError, never retried', () => {
  it.each([
    ['reset-before', ConnectionError, 0],
    ['reset-after', ConnectionError, 1],
    ['truncated', ConnectionError, 1],
    ['server-error', ServerError, 0],
    ['error-200', ServerError, 0],
    ['non-json', ServerError, 0],
    ['empty', ServerError, 1],
    ['false', ResponseValidationError, 0],
  ] as const)('%s → unknown outcome, exactly 1 POST', async (kind, causeType, emails) => {
    emulator.inject({ route: 'resend', kind });
    const { client, events } = makeClient(emulator);
    const error = await rejection(client.resendFulfillmentEmail(APPROVED));
    expect(error).toBeInstanceOf(SendOutcomeUnknownError);
    const unknown = error as SendOutcomeUnknownError;
    expect(unknown.cause).toBeInstanceOf(causeType);
    expect(unknown).toMatchObject({
      orderId: APPROVED,
      emailType: 'FulfillmentEmail',
      recipient: 'admin@example.com',
    });
    expect(unknown.intentId).toMatch(/^[0-9a-f-]{36}$/);
    expect(posts(emulator)).toBe(1);
    expect(emulator.outbox).toHaveLength(emails);
    expect(sendEventTypes(events)).toEqual([
      'send.planned',
      'send.confirmed',
      'send.dispatched',
      'send.outcome-unknown',
    ]);
  });

  it.each([502, 503, 504])('HTTP %i → unknown outcome, 1 POST', async (status) => {
    emulator.inject({ route: 'resend', kind: 'server-error', status });
    const { client } = makeClient(emulator);
    const error = await rejection(client.resendFulfillmentEmail(APPROVED));
    expect(error).toBeInstanceOf(SendOutcomeUnknownError);
    expect((error as SendOutcomeUnknownError).cause).toMatchObject({ status });
    expect(posts(emulator)).toBe(1);
  });

  it('a non-JSON body with HTTP 200 → unknown outcome, not sent', async () => {
    emulator.inject({ route: 'resend', kind: 'non-json', status: 200 });
    const { client } = makeClient(emulator);
    const error = await rejection(client.resendFulfillmentEmail(APPROVED));
    expect(error).toBeInstanceOf(SendOutcomeUnknownError);
    expect((error as SendOutcomeUnknownError).cause).toBeInstanceOf(ResponseValidationError);
    expect(posts(emulator)).toBe(1);
  });

  it.each([
    ['hang', { kind: 'hang' as const }],
    ['latency above the timeout', { kind: 'latency' as const, delayMs: 400 }],
  ])('%s → TimeoutError cause, unknown outcome, 1 POST', async (_name, fault) => {
    emulator.inject({ route: 'resend', ...fault });
    const { client } = makeClient(emulator, { timeout: 80 });
    const started = performance.now();
    const error = await rejection(client.resendFulfillmentEmail(APPROVED));
    expect(error).toBeInstanceOf(SendOutcomeUnknownError);
    expect((error as SendOutcomeUnknownError).cause).toBeInstanceOf(TimeoutError);
    expect(posts(emulator)).toBe(1);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('latency below the timeout is just slow: sent, 1 POST', async () => {
    emulator.inject({ route: 'resend', kind: 'latency', delayMs: 30 });
    const { client } = makeClient(emulator, { timeout: 500 });
    await expect(client.resendFulfillmentEmail(APPROVED)).resolves.toMatchObject({ outcome: 'sent' });
    expect(posts(emulator)).toBe(1);
    expect(emulator.outbox).toHaveLength(1);
  });

  it('the real server refusing the status (HTTP 500) is unknown too: no retry', async () => {
    const { client } = makeClient(emulator);
    const error = await rejection(client.resendFulfillmentEmail(CANCELED, { allowAnyStatus: true }));
    expect(error).toBeInstanceOf(SendOutcomeUnknownError);
    expect(posts(emulator)).toBe(1);
    expect(emulator.outbox).toHaveLength(0);
  });
});
