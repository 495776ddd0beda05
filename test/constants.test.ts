/**
 * The exported constants are frozen all the way down (issue 15, item 5): a caller that pushes
 * 'Canceled' onto ALLOWED_STATUSES must not change the status check of every client.
 */
import { describe, expect, it } from 'vitest';
import {
  ALLOWED_STATUSES,
  DEFAULT_RETRY_POLICY,
  DEFAULTS,
  PreconditionFailedError,
  SslOrdersClient,
} from '../src/index.js';
import { DEFAULT_CREDENTIALS, startEmulator } from '../src/testing/index.js';

/** Every object and array reachable from `value`, with its path. */
function nested(value: object, path: string): [string, object][] {
  const found: [string, object][] = [[path, value]];
  for (const [key, inner] of Object.entries(value)) {
    if (typeof inner === 'object' && inner !== null) found.push(...nested(inner, `${path}.${key}`));
  }
  return found;
}

const constants = { ALLOWED_STATUSES, DEFAULTS, DEFAULT_RETRY_POLICY };

describe('exported constants', () => {
  it('are frozen, with every object and array inside them', () => {
    const all = Object.entries(constants).flatMap(([name, value]) => nested(value, name));
    // Arrays inside are reached too (the allowed statuses, the retry reasons).
    expect(all.map(([path]) => path)).toEqual(
      expect.arrayContaining(['ALLOWED_STATUSES.FulfillmentEmail', 'DEFAULTS.retry.retryOn']),
    );
    expect(all.filter(([, value]) => !Object.isFrozen(value)).map(([path]) => path)).toEqual([]);
  });

  it('cannot be changed: the attempt throws and the values stay', () => {
    expect(() => (ALLOWED_STATUSES.FulfillmentEmail as string[]).push('Canceled')).toThrow(TypeError);
    expect(() => {
      (ALLOWED_STATUSES as Record<string, readonly string[]>)['FulfillmentEmail'] = ['Canceled'];
    }).toThrow(TypeError);
    expect(() => (DEFAULTS.retry.retryOn as string[]).splice(0)).toThrow(TypeError);
    expect(() => {
      (DEFAULTS as { timeout: number }).timeout = 1;
    }).toThrow(TypeError);
    expect(ALLOWED_STATUSES.FulfillmentEmail).toEqual(['Approved', 'Complete']);
    expect(DEFAULTS.retry.retryOn).toEqual(['rate-limit', 'server-error', 'connection', 'timeout']);
    expect(DEFAULTS.timeout).toBe(30_000);
  });

  it('a client still refuses to email a Canceled order after someone tried to allow it', async () => {
    expect(() => (ALLOWED_STATUSES.FulfillmentEmail as string[]).push('Canceled')).toThrow(TypeError);
    const emulator = await startEmulator();
    await using _closer = { [Symbol.asyncDispose]: () => emulator.close() };
    const client = new SslOrdersClient({
      auth: { username: DEFAULT_CREDENTIALS.username, apiKey: DEFAULT_CREDENTIALS.apiKey },
      baseUrl: emulator.url,
      confirm: () => true,
    });
    const canceled = 4433012;
    await expect(client.resendFulfillmentEmail(canceled)).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(emulator.outbox).toHaveLength(0);
  });
});
