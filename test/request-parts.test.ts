import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, SslOrdersClient, type SslOrdersClientOptions } from '../src/index.js';
import { checkOrderId } from '../src/internal/arguments.js';
import { resolveBaseUrl } from '../src/internal/endpoint.js';
import { checkFilter, matchesFilter, orderFilterJson } from '../src/internal/filter.js';
import { queryString } from '../src/internal/query.js';
import { BASE, clientOptions, makeClient, rejection, useMswServer } from './helpers/msw.js';

const msw = useMswServer();

// Any request at all is recorded and answered, so a check that let one through would be seen.
function answerEverything(): void {
  msw.server.use(http.all(`${BASE}*`, () => HttpResponse.json([])));
}

function invalid(error: unknown, argument: string): InvalidArgumentError {
  expect(error).toBeInstanceOf(InvalidArgumentError);
  const typed = error as InvalidArgumentError;
  expect(typed.argument).toBe(argument);
  expect(typed.message).not.toContain('\n');
  return typed;
}

describe('order ids', () => {
  const bad: unknown[] = [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '12', '../x', 2 ** 53, null, 12n];
  it.each(bad.map((id) => [String(id), id]))(
    'getOrder(%s) → InvalidArgumentError, no request',
    async (_, id) => {
      answerEverything();
      const { client } = makeClient({ accountId: undefined });
      const error = invalid(await rejection(client.getOrder(id as number)), 'id');
      expect(error.message).toMatch(/positive integer/);
      expect(msw.requests).toHaveLength(0);
    },
  );

  it('resend methods check the id before any request too', async () => {
    answerEverything();
    const { client } = makeClient({ confirm: () => true });
    invalid(await rejection(client.resendFulfillmentEmail('../x' as unknown as number)), 'id');
    invalid(await rejection(client.resendApproverEmail(0)), 'id');
    expect(msw.requests).toHaveLength(0);
  });

  it('values that cannot become strings still give InvalidArgumentError', async () => {
    answerEverything();
    const { client } = makeClient();
    const hostile = {
      toString() {
        throw new Error('boom');
      },
    };
    invalid(await rejection(client.getOrder(Object.create(null))), 'id');
    invalid(await rejection(client.getOrder(hostile as unknown as number)), 'id');
    invalid(await rejection(client.listOrders({ limit: Object.create(null) })), 'limit');
    invalid(await rejection(client.listOrders({ status: 10n as unknown as string })), 'status');
    invalid(await rejection(client.listOrders({ commonName: hostile as unknown as string })), 'commonName');
    invalid(await rejection(client.getOrder(1, { timeout: hostile as unknown as number })), 'timeout');
    expect(
      String(await rejection(client.getOrder('x'.repeat(500) as unknown as number))).length,
    ).toBeLessThan(200);
    expect(msw.requests).toHaveLength(0);
  });

  it('accepts the largest safe integer', () => {
    expect(checkOrderId(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
    expect(checkOrderId(1)).toBe(1);
  });
});

describe('constructor checks', () => {
  const base = clientOptions();
  const cases: [string, Partial<SslOrdersClientOptions> | Record<string, unknown>, string, RegExp][] = [
    ['no auth', { auth: undefined }, 'auth', /auth is required/],
    ['empty auth object', { auth: {} }, 'auth', /no credential/],
    ['empty apiKey', { auth: { username: 'SL1_jane', apiKey: '' } }, 'auth.apiKey', /missing or empty/],
    ['missing username', { auth: { apiKey: 'k'.repeat(64) } }, 'auth.username', /missing or empty/],
    ['blank ibmCloudApiKey', { auth: { ibmCloudApiKey: '   ' } }, 'auth.ibmCloudApiKey', /missing or empty/],
    ['empty bearerToken', { auth: { bearerToken: '' } }, 'auth.bearerToken', /missing or empty/],
    ['mixed shapes', { auth: { ibmCloudApiKey: 'abcdefgh', bearerToken: 'abcdefgh' } }, 'auth', /mixes/],
    [
      'mixed classic + ibm',
      { auth: { username: 'u', apiKey: 'abcdefgh', ibmCloudApiKey: 'abcdefgh' } },
      'auth',
      /mixes/,
    ],
    ['accountId 0', { accountId: 0 }, 'accountId', /integer from 1/],
    ['accountId -3', { accountId: -3 }, 'accountId', /integer from 1/],
    ['accountId 1.5', { accountId: 1.5 }, 'accountId', /integer from 1/],
    ['accountId "12"', { accountId: '12' }, 'accountId', /integer from 1/],
    ['ftp baseUrl', { baseUrl: 'ftp://api.softlayer.com/rest/v3.1/' }, 'baseUrl', /https/],
    ['not a URL', { baseUrl: 'api.softlayer.com' }, 'baseUrl', /not a valid URL/],
    ['plain http off loopback', { baseUrl: 'http://api.softlayer.com/rest/v3.1/' }, 'baseUrl', /loopback/],
    ['credentials in baseUrl', { baseUrl: 'https://u:p@api.softlayer.com/' }, 'baseUrl', /credentials/],
    ['query in baseUrl', { baseUrl: 'https://api.softlayer.com/?x=1' }, 'baseUrl', /query/],
    ['timeout 0', { timeout: 0 }, 'timeout', /greater than 0/],
    ['timeout -5', { timeout: -5 }, 'timeout', /greater than 0/],
    ['timeout NaN', { timeout: Number.NaN }, 'timeout', /milliseconds/],
    ['retry not an object', { retry: 3 }, 'retry', /false or an object/],
    ['retry.maxRetries -1', { retry: { maxRetries: -1 } }, 'retry.maxRetries', /integer from 0/],
    ['retry.baseDelay 1.5', { retry: { baseDelay: 1.5 } }, 'retry.baseDelay', /integer from 0/],
    ['retry.jitter', { retry: { jitter: 'some' } }, 'retry.jitter', /full/],
    ['retry.retryOn', { retry: { retryOn: ['teapot'] } }, 'retry.retryOn', /rate-limit/],
    ['retry unknown field', { retry: { retries: 3 } }, 'retry.retries', /not a retry option/],
    ['fetch not a function', { fetch: 'fetch' }, 'fetch', /function/],
    ['userAgent with newline', { userAgent: 'bot\r\nX-Evil: 1' }, 'userAgent', /printable ASCII/],
  ];
  it.each(cases)('%s → InvalidArgumentError', (_, override, argument, message) => {
    const options = { ...base, ...override } as SslOrdersClientOptions;
    const error = invalid(
      (() => {
        try {
          new SslOrdersClient(options);
        } catch (caught) {
          return caught;
        }
        return undefined;
      })(),
      argument,
    );
    expect(error.message).toMatch(message);
  });

  it('allows http on loopback and the named endpoints', () => {
    const defaults = { baseUrl: 'https://pub/', privateBaseUrl: 'https://priv/' };
    expect(resolveBaseUrl('http://127.0.0.1:8080/rest/v3.1', defaults)).toBe(
      'http://127.0.0.1:8080/rest/v3.1/',
    );
    expect(resolveBaseUrl('http://localhost/x/', defaults)).toBe('http://localhost/x/');
    expect(resolveBaseUrl('http://[::1]:9/', defaults)).toBe('http://[::1]:9/');
    expect(resolveBaseUrl('private', defaults)).toBe('https://priv/');
    expect(resolveBaseUrl(undefined, defaults)).toBe('https://pub/');
    expect(() => resolveBaseUrl('http://127.0.0.1.evil.com/', defaults)).toThrow(InvalidArgumentError);
  });

  it('makes no request while constructing', () => {
    answerEverything();
    new SslOrdersClient(clientOptions({ accountId: undefined }));
    expect(msw.requests).toHaveLength(0);
  });
});

describe('list options', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['limit 0', { limit: 0 }, 'limit'],
    ['limit 1001', { limit: 1001 }, 'limit'],
    ['limit 2.5', { limit: 2.5 }, 'limit'],
    ['offset -1', { offset: -1 }, 'offset'],
    ['offset "5"', { offset: '5' }, 'offset'],
    ['signal not a signal', { signal: {} }, 'signal'],
    ['per-call budget', { retry: { budget: false } }, 'retry.budget'],
    ['per-call retry 5', { retry: 5 }, 'retry'],
    ['status with quote', { status: 'Approved"}' }, 'status'],
    ['status operator', { status: '*= x' }, 'status'],
    ['status newline', { status: 'Approved\n' }, 'status'],
    ['status not a string', { status: 3 }, 'status'],
    ['commonName operator', { commonName: '*= x' }, 'commonName'],
    ['commonName quote', { commonName: 'a.com"},"id":{"operation":"> 0' }, 'commonName'],
    ['commonName newline', { commonName: 'a.com\nb' }, 'commonName'],
    ['commonName space', { commonName: 'a.com b' }, 'commonName'],
    ['commonName leading operator', { commonName: '!= a.com' }, 'commonName'],
  ];
  it.each(cases)('listOrders with %s → InvalidArgumentError, no request', async (_, options, argument) => {
    answerEverything();
    const { client } = makeClient({ accountId: undefined });
    const error = invalid(await rejection(client.listOrders(options)), argument);
    expect(error.message.length).toBeGreaterThan(20);
    expect(msw.requests).toHaveLength(0);
  });

  it('the filter messages show an example of a valid value', async () => {
    const { client } = makeClient();
    expect(String(await rejection(client.listOrders({ status: 'Approved"}' })))).toMatch(/"Approved"/);
    expect(String(await rejection(client.listOrders({ commonName: '*= x' })))).toMatch(/www\.example\.com/);
  });

  it.each([
    ['pageSize 0', { pageSize: 0 }, 'pageSize'],
    ['pageSize 1001', { pageSize: 1001 }, 'pageSize'],
    ['status injection', { status: 'x"}' }, 'status'],
  ])('iterateOrders with %s → InvalidArgumentError, no request', async (_, options, argument) => {
    answerEverything();
    const { client } = makeClient({ accountId: undefined });
    const iterator = client.iterateOrders(options as never);
    invalid(await rejection(iterator.next()), argument);
    expect(msw.requests).toHaveLength(0);
  });

  it('accepts the bounds', async () => {
    answerEverything();
    const { client } = makeClient();
    await client.listOrders({ limit: 1, offset: 0 });
    await client.listOrders({ limit: 1000 });
    expect(msw.requests.map((r) => r.url.searchParams.get('resultLimit'))).toEqual(['0,1', '0,1000']);
  });
});

describe('filter building', () => {
  it('keeps the operator explicit and values inside one JSON string', () => {
    const json = orderFilterJson(checkFilter({ status: 'Pending CA Approval', commonName: '*.example.com' }));
    expect(JSON.parse(json)).toMatchObject({
      status: { name: { operation: '_= Pending CA Approval' } },
      commonName: { operation: '_= *.example.com' },
    });
  });

  it('matches case-insensitively and rejects missing values', () => {
    const filter = { status: 'approved', commonName: 'WWW.example.com' };
    expect(matchesFilter({ commonName: 'www.EXAMPLE.com', status: { name: 'Approved' } }, filter)).toBe(true);
    expect(matchesFilter({ commonName: 'www.example.com' }, filter)).toBe(false);
    expect(matchesFilter({ status: { name: 'Approved' } }, filter)).toBe(false);
    expect(matchesFilter({}, {})).toBe(true);
  });

  it('queryString percent-encodes and skips undefined values', () => {
    expect(queryString({ objectMask: 'mask[id,name]', skip: undefined, resultLimit: '0,5' })).toBe(
      'objectMask=mask%5Bid%2Cname%5D&resultLimit=0%2C5',
    );
  });
});
