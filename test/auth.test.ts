import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { resolveAuth, type TokenRequest } from '../src/auth.js';
import { type Auth, InvalidArgumentError, SslOrdersClient } from '../src/index.js';
import { BASE, clientOptions, getHandler, order, rejection, useMswServer } from './helpers/msw.js';

const msw = useMswServer();
const basic = (user: string, key: string) => `Basic ${Buffer.from(`${user}:${key}`).toString('base64')}`;

async function headerSent(auth: Auth): Promise<string | null> {
  msw.server.use(getHandler(5, order(5)));
  await new SslOrdersClient(clientOptions({ auth })).getOrder(5);
  expect(msw.requests).toHaveLength(1);
  return msw.requests[0]?.headers.get('authorization') ?? null;
}

describe('the three auth shapes', () => {
  it('classic user + API key: HTTP Basic user:key', async () => {
    expect(await headerSent({ username: 'SL1234567_jane@example.com', apiKey: 'k1'.repeat(32) })).toBe(
      basic('SL1234567_jane@example.com', 'k1'.repeat(32)),
    );
  });

  it('IBM Cloud API key: HTTP Basic with the user "apikey"', async () => {
    expect(await headerSent({ ibmCloudApiKey: 'cloud-key-123' })).toBe(basic('apikey', 'cloud-key-123'));
  });

  it('a non-ASCII user name is UTF-8 in the Basic header', async () => {
    expect(await headerSent({ username: 'SL1_jürgen', apiKey: 'key-1234' })).toBe(
      basic('SL1_jürgen', 'key-1234'),
    );
  });

  it('a bearer token string', async () => {
    expect(await headerSent({ bearerToken: 'eyJhbGciOi.token.sig' })).toBe('Bearer eyJhbGciOi.token.sig');
  });

  it('a sync or async token provider, asked before each request', async () => {
    const asked: TokenRequest[] = [];
    let n = 0;
    const provider = (request: TokenRequest) => {
      asked.push(request);
      return ++n % 2 ? `sync-token-${n}` : Promise.resolve(`async-token-${n}`);
    };
    msw.server.use(getHandler(5, order(5)));
    const client = new SslOrdersClient(clientOptions({ auth: { bearerToken: provider } }));
    await client.getOrder(5);
    await client.getOrder(5);
    expect(msw.requests.map((request) => request.headers.get('authorization'))).toEqual([
      'Bearer sync-token-1',
      'Bearer async-token-2',
    ]);
    expect(asked.map((request) => request.forceRefresh)).toEqual([false, false]);
  });

  it('toJSON and inspect name the kind only', () => {
    const client = new SslOrdersClient(clientOptions({ auth: { ibmCloudApiKey: 'cloud-key-123' } }));
    expect(client.toJSON()).toEqual({ baseUrl: BASE, auth: 'ibmCloudApiKey', accountId: 1234567 });
  });
});

describe('bad credentials are refused before any request', () => {
  it.each([
    [undefined, 'auth', /auth is required/],
    [{}, 'auth', /no credential/],
    [{ username: 'SL1_jane' }, 'auth.apiKey', /missing or empty/],
    [{ apiKey: 'key-1234' }, 'auth.username', /missing or empty/],
    [{ username: 'SL1:jane', apiKey: 'key-1234' }, 'auth.username', /":"/],
    [{ username: 'SL1_jane', apiKey: '   ' }, 'auth.apiKey', /missing or empty/],
    [{ username: 'SL1_jane', apiKey: 'abc' }, 'auth.apiKey', /does not look like a credential/],
    [{ username: 'SL1_jane', apiKey: 'key\r\nX: 1' }, 'auth.apiKey', /non-ASCII character at position 4,/],
    [{ ibmCloudApiKey: '' }, 'auth.ibmCloudApiKey', /api-key-create/],
    [{ ibmCloudApiKey: 'cloud-key-1', apiKey: 'key-1234' }, 'auth', /mixes credential kinds/],
    [{ bearerToken: 'token-1', username: 'SL1_jane' }, 'auth', /mixes credential kinds/],
    [{ bearerToken: 42 }, 'auth.bearerToken', /missing or empty/],
    [{ bearerToken: '' }, 'auth.bearerToken', /missing or empty/],
  ])('%j → %s', async (auth, argument, message) => {
    const error = await rejection(
      Promise.resolve().then(() => new SslOrdersClient(clientOptions({ auth: auth as Auth }))),
    );
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ argument });
    expect((error as Error).message).toMatch(message);
    expect(msw.requests).toHaveLength(0);
  });

  it('a provider that returns no token fails the call with InvalidArgumentError and sends nothing', async () => {
    const client = new SslOrdersClient(clientOptions({ auth: { bearerToken: async () => '' } }));
    const error = await rejection(client.getOrder(5));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ argument: 'auth.bearerToken' });
    expect(msw.requests).toHaveLength(0);
  });
});

describe('token providers and aborts', () => {
  it('an abort ends the wait for a slow provider at once with the signal’s reason', async () => {
    const client = new SslOrdersClient(
      clientOptions({ auth: { bearerToken: () => new Promise<string>(() => undefined) } }),
    );
    const controller = new AbortController();
    const reason = new Error('stop waiting');
    const pending = client.getOrder(5, { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 10);
    await expect(pending).rejects.toBe(reason);
    expect(msw.requests).toHaveLength(0);
  });

  it('the provider sees a signal that follows the call’s (and the attempt’s timeout)', async () => {
    let seen: AbortSignal | undefined;
    msw.server.use(getHandler(5, order(5)));
    const client = new SslOrdersClient(
      clientOptions({
        auth: {
          bearerToken: ({ signal }) => {
            seen = signal;
            return 'token-1234';
          },
        },
      }),
    );
    const controller = new AbortController();
    await client.getOrder(5, { signal: controller.signal });
    expect(seen).toBeInstanceOf(AbortSignal);
    expect(seen?.aborted).toBe(false);
    const reason = new Error('caller gave up');
    controller.abort(reason);
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBe(reason);
  });

  it('a provider error reaches the caller as is, after no request', async () => {
    const failure = new Error('vault unavailable');
    const client = new SslOrdersClient(
      clientOptions({
        auth: {
          bearerToken: () => {
            throw failure;
          },
        },
      }),
    );
    await expect(client.getOrder(5)).rejects.toBe(failure);
    expect(msw.requests).toHaveLength(0);
  });
});

describe('resolveAuth redactors', () => {
  it.each([
    [{ username: 'SL1_jane', apiKey: 'classic-secret-1' }, 'classic-secret-1'],
    [{ ibmCloudApiKey: 'cloud-secret-1' }, 'cloud-secret-1'],
    [{ bearerToken: 'bearer-secret-1' }, 'bearer-secret-1'],
  ])('%j: the key, its URL form and the header value are redacted', async (auth, secret) => {
    const state = resolveAuth(auth);
    const header = await state.header({ forceRefresh: false });
    const text = `a ${secret} b ${encodeURIComponent(secret)} c ${header} d ${header.split(' ')[1]}`;
    const redacted = state.redact(text);
    expect(redacted).not.toContain(secret);
    expect(redacted).not.toContain(header.split(' ')[1]);
    expect(redacted).toContain('[REDACTED]');
  });

  it('a provider’s tokens are redacted once seen', async () => {
    let n = 0;
    const state = resolveAuth({ bearerToken: () => `provided-${++n}-secret` });
    await state.header({ forceRefresh: false });
    await state.header({ forceRefresh: true });
    expect(state.redact('provided-1-secret provided-2-secret')).toBe('[REDACTED] [REDACTED]');
    expect(state.refreshable).toBe(true);
    expect(resolveAuth({ bearerToken: 'static-token' }).refreshable).toBe(false);
  });

  it('a server error body that echoes the Authorization value is redacted', async () => {
    const key = 'echoed-classic-key-42';
    msw.server.use(
      http.get(`${BASE}*`, ({ request }) =>
        HttpResponse.json(
          {
            error: `bad header ${request.headers.get('authorization')} for key ${key}`,
            code: 'SoftLayer_Exception_Public',
          },
          { status: 400 },
        ),
      ),
    );
    const client = new SslOrdersClient(clientOptions({ auth: { username: 'SL1_jane', apiKey: key } }));
    const error = await rejection(client.getOrder(5));
    const basicValue = basic('SL1_jane', key);
    expect((error as Error).message).toContain('[REDACTED]');
    expect((error as Error).message).not.toContain(key);
    expect((error as Error).message).not.toContain(basicValue.slice(6));
  });
});

describe('bearer tokens copied with their scheme', () => {
  it('sends "Bearer <token>" once, whether the token or the provider includes "Bearer "', async () => {
    const seen: string[] = [];
    const fetch: typeof globalThis.fetch = async (input, init) => {
      seen.push(new Headers(init?.headers ?? (input as Request).headers).get('authorization') ?? '');
      return Response.json({ id: 1 });
    };
    const base = { baseUrl: 'http://127.0.0.1:9/rest/v3.1/', fetch, retry: false as const, accountId: 1 };
    await new SslOrdersClient({ ...base, auth: { bearerToken: 'Bearer abc.def.ghi' } }).getOrder(1);
    await new SslOrdersClient({ ...base, auth: { bearerToken: () => 'bearer jkl.mno.pqr' } }).getOrder(1);
    expect(seen).toEqual(['Bearer abc.def.ghi', 'Bearer jkl.mno.pqr']);
  });
});
