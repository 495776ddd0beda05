/**
 * One cell of the fault matrix: arm a fault, run one operation, and check the typed outcome and,
 * for sends, the POSTs the emulator received and the emails in its outbox.
 */
import { expect } from 'vitest';
import {
  SendOutcomeUnknownError,
  type SendResult,
  type SslOrder,
  type SslOrderPage,
} from '../../../src/index.js';
import { type Emulator, startEmulator } from '../../../src/testing/index.js';
import type { FaultRow, PostExpectation } from './fault-table.js';
import {
  describeSettled,
  type Operation,
  READ_ORDER,
  refusedPort,
  routeOf,
  runOperation,
  SEND_ORDER,
  settle,
} from './harness.js';
import { matrixClient } from './matrix-client.js';
import { countCases, recordSend, tally } from './summary.js';

/** What a cell runs against: its own emulator, and a loopback port that refuses connections. */
interface MatrixContext {
  emulator: Emulator;
  closed: number;
}

/** Cells run concurrently, so each gets its own emulator (they start in a few milliseconds). */
async function withEmulator(run: (context: MatrixContext) => Promise<void>): Promise<void> {
  const emulator = await startEmulator();
  try {
    await run({ emulator, closed: await refusedPort() });
  } finally {
    await emulator.close();
  }
}

export const READS: { operation: Operation; route: 'list' | 'get' }[] = [
  { operation: 'listOrders', route: 'list' },
  { operation: 'iterateOrders', route: 'list' },
  { operation: 'getOrder', route: 'get' },
];

/** A send, with its fault either on the order read that precedes the POST, or on the POST itself. */
export const SENDS: {
  operation: 'resendFulfillmentEmail' | 'resendApproverEmail';
  phase: 'read' | 'post';
}[] = [
  { operation: 'resendFulfillmentEmail', phase: 'read' },
  { operation: 'resendFulfillmentEmail', phase: 'post' },
  { operation: 'resendApproverEmail', phase: 'read' },
  { operation: 'resendApproverEmail', phase: 'post' },
];

function accountIds(emulator: Emulator): number[] {
  return emulator.orders
    .filter((order) => order.accountId === emulator.accountId)
    .map((order) => order.id)
    .sort((a, b) => a - b);
}

function checkReadValue(emulator: Emulator, operation: Operation, value: unknown): void {
  const all = accountIds(emulator);
  if (operation === 'listOrders') {
    const page = value as SslOrderPage;
    expect(page.orders.map((order) => order.id)).toEqual(all.slice(0, 5));
    expect(page.total).toBe(all.length);
  } else if (operation === 'iterateOrders') {
    expect(value).toEqual(all);
  } else {
    expect((value as SslOrder).id).toBe(READ_ORDER);
  }
}

function checkRetryAfter(row: FaultRow, events: { type: string; delayMs?: number }[]): void {
  if (!row.name.includes('Retry-After')) return;
  // The server asked for 20 ms (within maxRetryAfter, 30 ms): exactly that is waited, no jitter.
  const waits = events.flatMap((event) => (event.type === 'retry' ? [event.delayMs] : []));
  expect(waits.length).toBeGreaterThan(0);
  expect(waits.every((delay) => delay === 20)).toBe(true);
}

/** Runs a read cell. */
export function readCell(
  row: FaultRow,
  persistence: string,
  times: number,
  operation: Operation,
  route: 'list' | 'get',
): Promise<void> {
  return withEmulator((context) => readCellIn(context, row, persistence, times, operation, route));
}

async function readCellIn(
  context: MatrixContext,
  row: FaultRow,
  persistence: string,
  times: number,
  operation: Operation,
  route: 'list' | 'get',
): Promise<void> {
  const { emulator, closed } = context;
  countCases('fault matrix');
  const { client, events, target } = matrixClient(emulator, closed, row);
  row.inject(target, route, times);
  const started = performance.now();
  const settled = await settle(() => runOperation(client, operation));
  const ms = Math.round(performance.now() - started);
  // Counted on the client: a request aborted by its timeout may never have been recorded by the server.
  const attempts = events.filter((event) => event.type === 'request' && routeOf(event.path) === route).length;
  const outcome = describeSettled(settled);
  tally.rows.push({ matrix: 'read', fault: row.name, persistence, operation, outcome, attempts, ms });

  expect(settled.kind, outcome).not.toBe('hang');
  if (times === 1 && row.read.recovers) {
    expect(settled.kind, outcome).toBe('value');
    if (settled.kind === 'value') checkReadValue(emulator, operation, settled.value);
  } else {
    expect(settled.kind, outcome).toBe('error');
    if (settled.kind === 'error') expect(settled.error, outcome).toBeInstanceOf(row.read.error);
    if (times !== 1) expect(attempts).toBe(row.readAttemptsPersistent);
  }
  checkRetryAfter(row, events);
  tally.faultsSurvived++;
}

function sendExpectation(row: FaultRow, times: number, phase: 'read' | 'post'): PostExpectation {
  if (phase === 'post') return times === 1 ? row.post.once : row.post.always;
  if (times === 1 && row.read.recovers) return { sent: true, posts: 1 };
  // A failed order read stops the send before its POST.
  return { error: row.read.error, unknownOutcome: false, posts: 0, emails: 0 };
}

/** Runs a send cell. */
export function sendCell(
  row: FaultRow,
  persistence: string,
  times: number,
  operation: 'resendFulfillmentEmail' | 'resendApproverEmail',
  phase: 'read' | 'post',
): Promise<void> {
  return withEmulator((context) => sendCellIn(context, row, persistence, times, operation, phase));
}

async function sendCellIn(
  context: MatrixContext,
  row: FaultRow,
  persistence: string,
  times: number,
  operation: 'resendFulfillmentEmail' | 'resendApproverEmail',
  phase: 'read' | 'post',
): Promise<void> {
  const { emulator, closed } = context;
  countCases('fault matrix');
  const { client, events, target } = matrixClient(emulator, closed, row);
  row.inject(target, phase === 'read' ? 'get' : 'resend', times);
  const orderId = SEND_ORDER[operation];
  const started = performance.now();
  const settled = await settle(() => runOperation(client, operation));
  const ms = Math.round(performance.now() - started);
  const resends = emulator.requests.filter((request) => request.route === 'resend');
  const posts = resends.filter((request) => request.method === 'POST').length;
  // A rate-limit or expired-token answer proves the server refused before acting.
  const acted = resends.filter(
    (request) => request.fault !== 'rate-limit' && request.fault !== 'expired-token',
  ).length;
  const emails = emulator.outbox.filter((email) => email.orderId === orderId).length;
  const outcome = describeSettled(settled);
  tally.rows.push({
    matrix: 'send',
    fault: row.name,
    persistence,
    operation,
    phase,
    outcome,
    posts,
    emails,
    ms,
  });
  recordSend(posts, acted, emails);

  const expected = sendExpectation(row, times, phase);
  expect(settled.kind, outcome).not.toBe('hang');
  expect(emails, 'emails for one send').toBeLessThanOrEqual(1);
  expect(acted, 'POSTs the server may have acted on').toBeLessThanOrEqual(1);
  expect(posts, 'POSTs received').toBe(expected.posts);
  if ('sent' in expected) {
    expect(settled.kind, outcome).toBe('value');
    const result = (settled as { value: SendResult }).value;
    expect(result.outcome).toBe('sent');
    expect(result.recipient).toBe(emulator.state.getOrder(orderId)?.approverEmailAddress);
    expect(emails).toBe(1);
  } else {
    expect(settled.kind, outcome).toBe('error');
    const error = (settled as { error: unknown }).error;
    if (expected.unknownOutcome) {
      expect(error, outcome).toBeInstanceOf(SendOutcomeUnknownError);
      expect((error as Error).cause, outcome).toBeInstanceOf(expected.error);
    } else {
      expect(error, outcome).toBeInstanceOf(expected.error);
      expect(error).not.toBeInstanceOf(SendOutcomeUnknownError);
    }
    expect(emails).toBe(expected.emails);
  }
  // The send pipeline dispatches at most once per call, whatever the transport retried.
  expect(events.filter((event) => event.type === 'send.dispatched').length).toBeLessThanOrEqual(1);
  checkRetryAfter(row, events);
  tally.faultsSurvived++;
}
