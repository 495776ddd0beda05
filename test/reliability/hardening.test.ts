/**
 * Input hardening, asserted on what the emulator receives: ids, status names, common names and
 * filters cannot add a path segment, a query parameter or a filter operator; HTTPS is required off
 * loopback; a redirect cannot carry the credentials to another origin.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, iamTokenProvider, SslOrdersClient } from '../../src/index.js';
import { createEmulatorState, type EmulatorState } from '../../src/testing/index.js';
import { nastyString, plainId, plainValue } from './support/arbitraries.js';
import { coreFetch, settle } from './support/harness.js';
import { countCases, scaled, useSummary } from './support/summary.js';

useSummary(import.meta.filename);

const RUNS = scaled(400);
const SERVICE = '/rest/v3.1/SoftLayer_Security_Certificate_Request';
let state: EmulatorState;
beforeAll(() => {
  state = createEmulatorState();
});

function client(): SslOrdersClient {
  return new SslOrdersClient({
    auth: { username: state.credentials.username, apiKey: state.credentials.apiKey },
    baseUrl: 'https://api.test.invalid/rest/v3.1/',
    accountId: state.accountId,
    fetch: coreFetch(state),
    retry: false,
    sendCooldown: 0,
  });
}

function received(before: number) {
  return state.requests.slice(before);
}

describe('ids cannot inject path segments', () => {
  it('getOrder and the resend methods reach exactly /<id>/<method>.json, or refuse before any request', async () => {
    await fc.assert(
      fc.asyncProperty(
        plainId,
        fc.constantFrom('get', 'resendFulfillmentEmail', 'resendApproverEmail'),
        async (id, method) => {
          countCases('hardening');
          const before = state.requests.length;
          const target = client() as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
          const settled = await settle(() =>
            method === 'get' ? target['getOrder']!(id) : target[method]!(id, { confirm: () => false }),
          );
          const requests = received(before);
          if (settled.kind === 'error' && settled.error instanceof InvalidArgumentError) {
            expect(requests).toEqual([]);
            return;
          }
          // Whatever got through is a positive safe integer, and it is the only id on the wire.
          expect(
            typeof id === 'number' && Number.isSafeInteger(id) && id > 0,
            `accepted id ${typeof id}`,
          ).toBe(true);
          for (const request of requests) {
            expect(request.path).toBe(`${SERVICE}/${id}/getObject.json`);
            expect(Object.keys(request.query)).toEqual(['objectMask']);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('status names and common names cannot inject filter JSON', () => {
  it('the objectFilter the server receives is exactly the intended tree, with the value verbatim', async () => {
    // Exotic values (bigints, null-prototype objects) are covered by fuzz-inputs.test.ts (bug B3).
    const filterValue = fc.oneof(nastyString, plainValue, fc.constant(undefined));
    await fc.assert(
      fc.asyncProperty(filterValue, filterValue, async (status, commonName) => {
        countCases('hardening');
        const before = state.requests.length;
        const settled = await settle(() => client().listOrders({ status, commonName } as never));
        const requests = received(before);
        if (settled.kind === 'error' && settled.error instanceof InvalidArgumentError) {
          expect(requests).toEqual([]);
          return;
        }
        expect(settled.kind).toBe('value');
        expect(requests).toHaveLength(1);
        const [request] = requests;
        expect(request!.path).toBe(`${SERVICE}/getSslCertificateRequests.json`);
        expect(Object.keys(request!.query).sort()).toEqual(['objectFilter', 'objectMask', 'resultLimit']);
        expect(request!.query['resultLimit']).toBe('0,100');
        const expected: Record<string, unknown> = {
          id: { operation: 'orderBy', options: [{ name: 'sort', value: ['ASC'] }] },
        };
        if (status !== undefined) expected['status'] = { name: { operation: `_= ${status as string}` } };
        if (commonName !== undefined) expected['commonName'] = { operation: `_= ${commonName as string}` };
        expect(JSON.parse(request!.query['objectFilter']!)).toEqual(expected);
        // The value may not contain anything a SoftLayer operator string could split on.
        for (const value of [status, commonName]) {
          if (value !== undefined) expect(value).toMatch(/^[A-Za-z0-9*][A-Za-z0-9 .*-]*$/);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('HTTPS off loopback', () => {
  const loopback = ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '[::1]', '127.1', '2130706433'];
  const remote = [
    'example.com',
    'api.softlayer.com',
    '0.0.0.0',
    '10.0.0.1',
    '127.0.0.1.nip.io',
    'localhost.example.com',
    'localhost.',
    '[::ffff:127.0.0.1]',
    '[::]',
    '128.0.0.1',
  ];
  const auth = { username: 'SL1_jane', apiKey: 'key-123456' };

  it.each(loopback)('http://%s is allowed (loopback)', (host) => {
    countCases('hardening');
    expect(new SslOrdersClient({ auth, baseUrl: `http://${host}:8080/rest/v3.1/` }).baseUrl).toMatch(
      /^http:\/\//,
    );
    expect(() =>
      iamTokenProvider({ apiKey: 'key-123456', tokenUrl: `http://${host}:8080/identity/token` }),
    ).not.toThrow();
  });

  it.each(remote)('http://%s is refused, the same host over https is allowed', (host) => {
    countCases('hardening');
    expect(() => new SslOrdersClient({ auth, baseUrl: `http://${host}/rest/v3.1/` })).toThrow(
      InvalidArgumentError,
    );
    expect(() =>
      iamTokenProvider({ apiKey: 'key-123456', tokenUrl: `http://${host}/identity/token` }),
    ).toThrow(InvalidArgumentError);
    expect(new SslOrdersClient({ auth, baseUrl: `https://${host}/rest/v3.1/` }).baseUrl).toMatch(
      /^https:\/\//,
    );
  });

  it('any http URL is accepted only when its host is loopback', () => {
    fc.assert(
      fc.property(fc.webUrl({ validSchemes: ['http'] }), (url) => {
        countCases('hardening');
        let accepted = true;
        try {
          new SslOrdersClient({ auth, baseUrl: url.replace(/[?#].*$/, '') });
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidArgumentError);
          accepted = false;
        }
        const host = new URL(url).hostname;
        if (accepted) expect(host).toMatch(/^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/);
      }),
      { numRuns: RUNS },
    );
  });

  it('a redirect to another origin does not carry the Authorization header', async () => {
    countCases('hardening');
    const seen: IncomingHttpHeaders[] = [];
    const target = createServer((request, response) => {
      seen.push(request.headers);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"id":1}');
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const targetPort = (target.address() as { port: number }).port;
    const redirector = createServer((request, response) => {
      response.writeHead(307, { location: `http://localhost:${targetPort}${request.url}` }).end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    const port = (redirector.address() as { port: number }).port;
    try {
      const redirected = new SslOrdersClient({
        auth,
        baseUrl: `http://127.0.0.1:${port}/rest/v3.1/`,
        retry: false,
      });
      await settle(() => redirected.getAccountId());
      for (const headers of seen) expect(headers.authorization).toBeUndefined();
    } finally {
      target.close();
      redirector.close();
    }
  });
});
