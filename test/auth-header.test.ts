/**
 * Keys and tokens that an HTTP header cannot carry (issue 15, item 3). fetch refuses such a header
 * with a TypeError that quotes the whole `Bearer <token>` value; the SDK must refuse the credential
 * itself first: at construction, or when a token provider returns it, before any request, and
 * without the value in any rendering of the error. A real fetch against a real loopback server, so
 * the test sees what fetch would do.
 */
import { createServer, type Server } from 'node:http';
import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Auth, InvalidArgumentError, SslOrdersClient, type SslOrdersEvent } from '../src/index.js';
import { rejection } from './helpers/rejection.js';

let server: Server;
let requests = 0;
let baseUrl = '';
beforeAll(async () => {
  server = createServer((_req, res) => {
    requests++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":42}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/rest/v3.1/`;
});
beforeEach(() => {
  requests = 0;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

/** Every way an error is shown: message, stack, JSON, util.inspect, and the same for each cause. */
function renderings(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 10; depth++) {
    parts.push(String(current), inspect(current, { depth: 10 }), JSON.stringify(current) ?? '');
    if (current instanceof Error) parts.push(current.message, current.stack ?? '');
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join('\n');
}

// Each secret holds a marker that must never show; the bad character sits in the middle.
const SECRET = 'Zq7SECRETvalue';
const badValues: [string, string, RegExp][] = [
  ['NUL', `${SECRET}\u0000${SECRET}`, /at position 15,/],
  ['a control character', `${SECRET}\u0007${SECRET}`, /at position 15,/],
  ['DEL', `${SECRET}\u007f${SECRET}`, /at position 15,/],
  ['CR LF', `${SECRET}\r\nX-Evil: 1`, /at position 15,/],
  ['a non-Latin-1 character', `${SECRET}\u0100${SECRET}`, /at position 15,/],
  ['a Latin-1 letter', `${SECRET}é${SECRET}`, /at position 15,/],
  ['a space', `${SECRET} ${SECRET}`, /at position 15,/],
];

describe('a key or token an HTTP header cannot carry is refused at construction', () => {
  const shapes: [string, (value: string) => Auth, string][] = [
    ['bearerToken', (value) => ({ bearerToken: value }), 'auth.bearerToken'],
    ['apiKey', (value) => ({ username: 'SL1_jane', apiKey: value }), 'auth.apiKey'],
    ['ibmCloudApiKey', (value) => ({ ibmCloudApiKey: value }), 'auth.ibmCloudApiKey'],
  ];
  for (const [shape, auth, argument] of shapes) {
    it.each(badValues)(`${shape} with %s`, (_label, value, message) => {
      let error: unknown;
      try {
        new SslOrdersClient({ auth: auth(value), baseUrl, retry: false });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(error).toMatchObject({ argument });
      expect((error as Error).message).toMatch(
        new RegExp(
          `^${argument.replace('.', '\\.')} has a space, line break, control or non-ASCII character`,
        ),
      );
      expect((error as Error).message).toMatch(message);
      expect(renderings(error)).not.toContain('SECRET');
      expect(requests).toBe(0);
    });
  }
});

describe('a token provider that returns such a token', () => {
  it.each(badValues)(
    '%s: InvalidArgumentError, no request, no retry, no secret',
    async (_label, value, message) => {
      const events: SslOrdersEvent[] = [];
      let asked = 0;
      const client = new SslOrdersClient({
        auth: {
          bearerToken: async () => {
            asked++;
            return value;
          },
        },
        baseUrl,
        accountId: 1,
        onEvent: (event) => events.push(event),
      });
      const error = await rejection(client.getOrder(5));
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(error).toMatchObject({ argument: 'auth.bearerToken' });
      expect((error as Error).message).toMatch(message);
      expect(renderings(error)).not.toContain('SECRET');
      expect(requests).toBe(0);
      expect(asked).toBe(1);
      expect(events.map((event) => event.type)).not.toContain('retry');
      expect(events.map((event) => event.type)).not.toContain('request');
    },
  );

  it('a good token from the same kind of provider goes through, as "Bearer <token>"', async () => {
    const client = new SslOrdersClient({ auth: { bearerToken: async () => 'eyJ.good-token.sig' }, baseUrl });
    await expect(client.getAccountId()).resolves.toBe(42);
    expect(requests).toBe(1);
  });
});
