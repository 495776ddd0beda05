/**
 * The send guards, × both resend methods, over real sockets: no POST when the hook declines, when the
 * call is aborted before dispatch, or when it is rejected before dispatch (bad input, no hook, wrong
 * status, cooldown, dry run); one POST for concurrent duplicates (the others refused, naming it); and an abort after dispatch is an
 * unknown outcome, never a retry.
 */
import { describe, expect, it, vi } from 'vitest';
import {
  DuplicateSendError,
  InvalidArgumentError,
  NotFoundError,
  PreconditionFailedError,
  type SendOptions,
  SendOutcomeUnknownError,
  type SendResult,
  SslOrdersClient,
} from '../../src/index.js';
import { type Emulator, startEmulator } from '../../src/testing/index.js';
import { describeSettled, SEND_ORDER, type Settled, settle } from './support/harness.js';
import { countCases, recordSend, tally, useSummary } from './support/summary.js';

useSummary(import.meta.filename);
vi.setConfig({ maxConcurrency: 12 });

type SendMethod = 'resendFulfillmentEmail' | 'resendApproverEmail';
const OTHER: Record<SendMethod, SendMethod> = {
  resendFulfillmentEmail: 'resendApproverEmail',
  resendApproverEmail: 'resendFulfillmentEmail',
};

interface Guard {
  name: string;
  /** Runs the scenario; returns how the (last) call settled. */
  run(client: SslOrdersClient, method: SendMethod, emulator: Emulator): Promise<Settled>;
  check(settled: Settled): void;
  posts: number;
  emails: number;
}

const call = (client: SslOrdersClient, method: SendMethod, id: unknown, options: SendOptions) =>
  settle(() => (client[method] as (id: unknown, options: SendOptions) => Promise<SendResult>)(id, options));
const outcomeOf = (settled: Settled) =>
  settled.kind === 'value' ? (settled.value as SendResult).outcome : undefined;
const errorOf = (settled: Settled) => (settled.kind === 'error' ? settled.error : undefined);

const GUARDS: Guard[] = [
  {
    name: 'the hook declines',
    run: (client, method) => call(client, method, SEND_ORDER[method], { confirm: () => false }),
    check: (settled) => expect(outcomeOf(settled)).toBe('declined'),
    posts: 0,
    emails: 0,
  },
  {
    name: 'the hook throws',
    run: (client, method) =>
      call(client, method, SEND_ORDER[method], {
        confirm: () => {
          throw new Error('prompt crashed');
        },
      }),
    check: (settled) => expect((errorOf(settled) as Error).message).toBe('prompt crashed'),
    posts: 0,
    emails: 0,
  },
  {
    name: 'aborted while the hook is asking',
    run: (client, method) => {
      const controller = new AbortController();
      return call(client, method, SEND_ORDER[method], {
        signal: controller.signal,
        confirm: () => {
          controller.abort(new Error('user closed the prompt'));
          return new Promise<boolean>(() => {});
        },
      });
    },
    check: (settled) => expect((errorOf(settled) as Error).message).toBe('user closed the prompt'),
    posts: 0,
    emails: 0,
  },
  {
    name: 'aborted after the hook said yes, before dispatch',
    run: (client, method) => {
      const controller = new AbortController();
      return call(client, method, SEND_ORDER[method], {
        signal: controller.signal,
        confirm: () => {
          queueMicrotask(() => controller.abort(new Error('changed my mind')));
          return Promise.resolve().then(() => true);
        },
      });
    },
    check: (settled) => expect((errorOf(settled) as Error).message).toBe('changed my mind'),
    posts: 0,
    emails: 0,
  },
  {
    name: 'signal already aborted',
    run: (client, method) =>
      call(client, method, SEND_ORDER[method], {
        signal: AbortSignal.abort(new Error('too late')),
        confirm: () => true,
      }),
    check: (settled) => expect((errorOf(settled) as Error).message).toBe('too late'),
    posts: 0,
    emails: 0,
  },
  {
    name: 'no confirm hook anywhere',
    run: (client, method) => call(client, method, SEND_ORDER[method], {}),
    check: (settled) => expect(errorOf(settled)).toBeInstanceOf(InvalidArgumentError),
    posts: 0,
    emails: 0,
  },
  {
    name: 'bad id',
    run: (client, method) => call(client, method, '4471877/../1', { confirm: () => true }),
    check: (settled) => expect(errorOf(settled)).toBeInstanceOf(InvalidArgumentError),
    posts: 0,
    emails: 0,
  },
  {
    name: 'unknown option (retry)',
    run: (client, method) =>
      call(client, method, SEND_ORDER[method], {
        confirm: () => true,
        retry: { maxRetries: 5 },
      } as SendOptions),
    check: (settled) => expect(errorOf(settled)).toBeInstanceOf(InvalidArgumentError),
    posts: 0,
    emails: 0,
  },
  {
    name: 'no such order',
    run: (client, method) => call(client, method, 999_999_999, { confirm: () => true }),
    check: (settled) => expect(errorOf(settled)).toBeInstanceOf(NotFoundError),
    posts: 0,
    emails: 0,
  },
  {
    name: 'status does not allow the email',
    run: (client, method) => call(client, method, SEND_ORDER[OTHER[method]], { confirm: () => true }),
    check: (settled) => expect(errorOf(settled)).toBeInstanceOf(PreconditionFailedError),
    posts: 0,
    emails: 0,
  },
  {
    name: 'dry run',
    run: (client, method) => call(client, method, SEND_ORDER[method], { dryRun: true, confirm: () => true }),
    check: (settled) => expect(outcomeOf(settled)).toBe('dry-run'),
    posts: 0,
    emails: 0,
  },
  {
    name: 'sent, then again within the cooldown',
    run: async (client, method) => {
      await call(client, method, SEND_ORDER[method], { confirm: () => true });
      return call(client, method, SEND_ORDER[method], { confirm: () => true });
    },
    check: (settled) => expect(errorOf(settled)).toBeInstanceOf(DuplicateSendError),
    posts: 1,
    emails: 1,
  },
  {
    name: 'five concurrent calls for the same email',
    run: async (client, method) => {
      const all = await Promise.all(
        Array.from({ length: 5 }, () => call(client, method, SEND_ORDER[method], { confirm: () => true })),
      );
      // One sends; the others wait for it, then are refused for the cooldown, naming it.
      const sent = all.filter((settled) => outcomeOf(settled) === 'sent');
      expect(sent).toHaveLength(1);
      const intentId = sent[0]?.kind === 'value' ? (sent[0].value as SendResult).intentId : undefined;
      for (const settled of all.filter((one) => one !== sent[0])) {
        expect(errorOf(settled)).toBeInstanceOf(DuplicateSendError);
        expect(errorOf(settled)).toMatchObject({ reason: 'cooldown', lastIntentId: intentId });
      }
      return sent[0]!;
    },
    check: (settled) => expect(outcomeOf(settled)).toBe('sent'),
    posts: 1,
    emails: 1,
  },
  {
    name: 'aborted after dispatch',
    run: async (client, method, emulator) => {
      emulator.inject({ route: 'resend', kind: 'latency', delayMs: 2_000 });
      const controller = new AbortController();
      const sent = call(client, method, SEND_ORDER[method], {
        signal: controller.signal,
        confirm: () => true,
      });
      await vi.waitFor(() => expect(emulator.count({ route: 'resend' })).toBe(1), {
        timeout: 3_000,
        interval: 5,
      });
      controller.abort(new Error('stop'));
      return sent;
    },
    check: (settled) => expect(errorOf(settled)).toBeInstanceOf(SendOutcomeUnknownError),
    posts: 1,
    emails: 0,
  },
  {
    name: 'unknown outcome, then the caller tries again',
    run: async (client, method, emulator) => {
      emulator.inject({ route: 'resend', kind: 'reset-after' });
      const first = await call(client, method, SEND_ORDER[method], { confirm: () => true });
      expect(errorOf(first)).toBeInstanceOf(SendOutcomeUnknownError);
      return call(client, method, SEND_ORDER[method], { confirm: () => true });
    },
    check: (settled) => {
      expect(errorOf(settled)).toBeInstanceOf(DuplicateSendError);
      expect((errorOf(settled) as DuplicateSendError).lastOutcome).toBe('unknown');
      expect((errorOf(settled) as DuplicateSendError).reason).toBe('unknown-outcome');
    },
    posts: 1,
    emails: 1,
  },
];

describe.concurrent.each(GUARDS)('$name', (guard) => {
  it.each(['resendFulfillmentEmail', 'resendApproverEmail'] as const)('%s', async (method) => {
    countCases('send guards');
    await using emulator = await startEmulator();
    const client = new SslOrdersClient({
      auth: { username: emulator.credentials.username, apiKey: emulator.credentials.apiKey },
      baseUrl: emulator.url,
      accountId: emulator.accountId,
      retry: { baseDelay: 1, maxDelay: 5 },
    });
    const settled = await guard.run(client, method, emulator);
    const posts = emulator.count({ route: 'resend', method: 'POST' });
    const emails = emulator.outbox.length;
    tally.rows.push({
      matrix: 'guard',
      guard: guard.name,
      operation: method,
      outcome: describeSettled(settled),
      posts,
      emails,
    });
    recordSend(posts, posts, emails);
    expect(settled.kind, describeSettled(settled)).not.toBe('hang');
    guard.check(settled);
    expect(posts, 'POSTs received').toBe(guard.posts);
    expect(emails, 'emails sent').toBe(guard.emails);
  });
});
