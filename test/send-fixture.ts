/** Shared set-up for the send tests: a real emulator over sockets and a client wired to it. */
import { SslOrdersClient, type SslOrdersClientOptions, type SslOrdersEvent } from '../src/index.js';
import { ledgerKey } from '../src/send-guard.js';
import { type Emulator, startEmulator } from '../src/testing/index.js';

/** Seeded orders (see src/testing/seed.ts). */
export const APPROVED = 4471877; // Approved, admin@example.com, ops@example.com
export const APPROVED_2 = 4482310; // Approved, hostmaster@example.com
export const COMPLETE = 4471203; // Complete, admin@example.com
export const PENDING = 4502244; // Pending CA Approval, admin@example.com
export const CANCELED = 4433012; // Canceled

export { type Emulator, startEmulator };

/** Fast retries, short timeouts, an always-yes hook, and every event recorded. */
export function makeClient(
  emulator: Emulator,
  overrides: Partial<SslOrdersClientOptions> = {},
): { client: SslOrdersClient; events: SslOrdersEvent[] } {
  const events: SslOrdersEvent[] = [];
  const client = new SslOrdersClient({
    auth: { username: emulator.credentials.username, apiKey: emulator.credentials.apiKey },
    accountId: emulator.accountId,
    baseUrl: emulator.url,
    timeout: 1_000,
    retry: { maxRetries: 2, baseDelay: 2, maxDelay: 5, budget: false },
    confirm: () => true,
    onEvent: (event) => events.push(event),
    ...overrides,
  });
  return { client, events };
}

/** POSTs to resendEmail that reached the server. */
/** The ledger key of an order's fulfillment email on `emulator`, as the send pipeline builds it. */
export function fulfillmentKey(emulator: Emulator, orderId: number): string {
  return ledgerKey(new URL(emulator.url).host, emulator.accountId, orderId, 'FulfillmentEmail');
}

export function posts(emulator: Emulator): number {
  return emulator.count({ route: 'resend', method: 'POST' });
}

/** The send events of one intent, by type. */
export function sendEventTypes(events: readonly SslOrdersEvent[], intentId?: string): string[] {
  return events
    .filter((event) => event.type.startsWith('send.'))
    .filter((event) => intentId === undefined || ('intentId' in event && event.intentId === intentId))
    .map((event) => event.type);
}

/**
 * A fetch that holds every resendEmail POST at a gate: `reached` resolves when one arrives, `open()`
 * lets them all through to the emulator.
 */
export function gatedFetch(): { fetch: typeof fetch; reached: Promise<void>; open: () => void } {
  let open: () => void = () => {};
  let arrived: () => void = () => {};
  const gate = new Promise<void>((resolve) => (open = resolve));
  const reached = new Promise<void>((resolve) => (arrived = resolve));
  return {
    fetch: async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.includes('/resendEmail')) {
        arrived();
        await gate;
      }
      return fetch(input, init);
    },
    reached,
    open,
  };
}

export { rejection } from './helpers/rejection.js';
