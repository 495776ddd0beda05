/**
 * Redaction proof: every credential kind, driven through every error path and event, against a
 * hostile server that echoes the credentials it received. Nothing that leaves the SDK (messages,
 * events, util.inspect, JSON.stringify of errors, results and the client) may contain a secret.
 */
import { inspect } from 'node:util';
import { delay, HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Auth, iamTokenProvider, SslOrdersClient, type SslOrdersEvent } from '../src/index.js';

const API = 'https://api.redact.test/rest/v3.1/';
const IAM = 'https://iam.redact.test/identity/token';
const CLASSIC_KEY = 'classic-SECRET-0f3a9c1d2e4b5a6978';
const IBM_KEY = 'ibm-SECRET-key_Zx9-Qw8/Er7+Ty6';
const BEARER = 'bearer-SECRET-eyJhbGciOiJSUzI1NiJ9.payload.sig';
const PROVIDED = 'provided-SECRET-token.abc.def';
const IAM_KEY = 'iam-SECRET-apikey-77aa88bb99cc';
const ISSUED = 'issued-SECRET-eyJraWQiOi.iam.token';
const b64 = (text: string) => Buffer.from(text).toString('base64');
const ALL = [CLASSIC_KEY, IBM_KEY, BEARER, PROVIDED, IAM_KEY, ISSUED];
/** Every form a secret could leak in. The marker also catches a secret cut in half. */
const NEEDLES = [
  'SECRET',
  ...ALL.map(encodeURIComponent),
  b64(`SL1_jane:${CLASSIC_KEY}`),
  b64(`apikey:${IBM_KEY}`),
  ...ALL.map(b64),
];

const ORDER = {
  id: 5,
  accountId: 1,
  commonName: 'www.example.com',
  approverEmailAddress: 'admin@example.com',
  status: { id: 2, name: 'Approved' },
};

let scenario = 'ok';
let iamMode: 'ok' | 'echo' = 'ok';

/** What a careless server might put in an error: the header, the decoded credential, all forms. */
function echo(request: Request): string {
  const authorization = request.headers.get('authorization') ?? '';
  const [scheme, value = ''] = authorization.split(' ');
  const decoded = scheme === 'Basic' ? Buffer.from(value, 'base64').toString() : value;
  const key = decoded.includes(':') ? decoded.slice(decoded.indexOf(':') + 1) : decoded;
  return `header=${authorization} value=${value} decoded=${decoded} key=${key} url=${encodeURIComponent(key)}`;
}

function answer(request: Request): Response | Promise<Response> {
  const isSend = request.url.includes('resendEmail');
  const text = echo(request);
  const error = (status: number, code: string) => HttpResponse.json({ error: text, code }, { status });
  if (!isSend || scenario.startsWith('read-')) {
    if (isSend) return HttpResponse.json(true);
    switch (scenario) {
      case 'read-400':
        return error(400, `SoftLayer_Exception_${text}`);
      case 'read-401':
        return error(401, 'SoftLayer_Exception_InvalidLegacyToken');
      case 'read-403':
        return error(403, 'SoftLayer_Exception_PermissionDenied');
      case 'read-404':
        return error(404, 'SoftLayer_Exception_ObjectNotFound');
      case 'read-rate-limit':
        return error(500, 'SoftLayer_Exception_WebService_RateLimitExceeded');
      case 'read-expired':
        return error(500, 'SoftLayer_Exception_Account_Authentication_AccessTokenValidation');
      case 'read-html':
        return new HttpResponse(`<html><body>${text}</body></html>`, { status: 503 });
      case 'read-text-200':
        return new HttpResponse(text, { status: 200 });
      case 'read-error-200':
        return error(200, 'SoftLayer_Exception_Public');
      case 'read-invalid':
        return HttpResponse.json({ id: text, status: text });
      case 'read-network':
        return HttpResponse.error();
      case 'read-timeout':
        return delay(2_000).then(() => HttpResponse.json(ORDER));
      case 'read-canceled':
        return HttpResponse.json({ ...ORDER, status: { name: 'Canceled' } });
      default:
        return request.url.includes('SoftLayer_Account')
          ? HttpResponse.json({ id: 1 })
          : HttpResponse.json(ORDER);
    }
  }
  switch (scenario) {
    case 'send-503':
      return error(503, 'SoftLayer_Exception_Public');
    case 'send-400':
      return error(400, 'SoftLayer_Exception_Public');
    case 'send-echo-200':
      return HttpResponse.json(text);
    case 'send-expired':
      return error(500, 'SoftLayer_Exception_Account_Authentication_AccessTokenValidation');
    default:
      return HttpResponse.json(true);
  }
}

let issued = 0;
const server = setupServer(
  http.all(`${API}*`, ({ request }) => answer(request)),
  http.post(IAM, async ({ request }) => {
    const form = new URLSearchParams(await request.text());
    if (iamMode === 'echo') {
      const key = form.get('apikey') ?? '';
      return HttpResponse.json(
        { errorCode: `BXNIM ${key}`, errorMessage: `API key ${key} (${encodeURIComponent(key)}) not found` },
        { status: 400 },
      );
    }
    issued++;
    return HttpResponse.json({ access_token: `${ISSUED}-${issued}`, expires_in: 3_600 });
  }),
);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  scenario = 'ok';
  iamMode = 'ok';
});
afterAll(() => server.close());

const kinds: Array<[string, () => Auth]> = [
  ['classic key', () => ({ username: 'SL1_jane', apiKey: CLASSIC_KEY })],
  ['IBM Cloud key', () => ({ ibmCloudApiKey: IBM_KEY })],
  ['bearer token string', () => ({ bearerToken: BEARER })],
  ['token provider', () => ({ bearerToken: async () => PROVIDED })],
  ['iamTokenProvider', () => ({ bearerToken: iamTokenProvider({ apiKey: IAM_KEY, tokenUrl: IAM }) })],
];

/** Everything observable about a value, in every rendering a user might log. */
function renderings(value: unknown): string[] {
  const out = [inspect(value, { depth: 10 }), inspect(value, { depth: 10, showHidden: true })];
  try {
    out.push(JSON.stringify(value) ?? '');
  } catch (error) {
    out.push(String(error));
  }
  if (value instanceof Error) {
    out.push(value.message, String(value), value.stack ?? '');
    let cause: unknown = value.cause;
    for (let depth = 0; depth < 5 && cause !== undefined; depth++) {
      out.push(...renderings(cause));
      cause = cause instanceof Error ? cause.cause : undefined;
    }
  }
  return out;
}

function expectClean(label: string, texts: string[]): void {
  for (const text of texts) {
    for (const needle of NEEDLES) {
      if (text.includes(needle)) {
        throw new Error(`${label}: found ${JSON.stringify(needle.slice(0, 12))}… in: ${text.slice(0, 300)}`);
      }
    }
  }
}

const READS = [
  'read-400',
  'read-401',
  'read-403',
  'read-404',
  'read-rate-limit',
  'read-expired',
  'read-html',
  'read-text-200',
  'read-error-200',
  'read-invalid',
  'read-network',
  'read-timeout',
];
const SENDS = ['send-503', 'send-400', 'send-expired', 'read-canceled', 'ok'];

describe.each(kinds)('redaction with a %s', (_kind, auth) => {
  function makeClient(accountId?: number) {
    const events: SslOrdersEvent[] = [];
    const client = new SslOrdersClient({
      auth: auth(),
      baseUrl: API,
      ...(accountId === undefined ? {} : { accountId }),
      retry: { baseDelay: 1, maxDelay: 2 },
      timeout: 2_000,
      confirm: () => true,
      onEvent: (event) => events.push(event),
    });
    return { client, events };
  }

  it('every read error path, its events, and the client', async () => {
    const { client, events } = makeClient(1);
    const seen: unknown[] = [];
    for (const name of READS) {
      scenario = name;
      const timeout = name === 'read-timeout' ? 50 : 2_000;
      seen.push(await client.getOrder(5, { timeout }).catch((error: unknown) => error));
      seen.push(await client.listOrders({ timeout, status: 'Approved' }).catch((error: unknown) => error));
    }
    expect(seen.every((error) => error instanceof Error)).toBe(true);
    // The server did echo the credentials: redaction had real work to do.
    const redacted = seen.filter((error) => (error as Error).message.includes('[REDACTED]'));
    expect(redacted.length).toBeGreaterThanOrEqual(10);
    for (const [index, error] of seen.entries()) expectClean(`read error ${index}`, renderings(error));
    expect(events.some((event) => event.type === 'retry')).toBe(true);
    expectClean('events', events.flatMap(renderings));
    expectClean('client', [...renderings(client), String(client)]);
  });

  it('the account lookup fails cleanly too', async () => {
    const { client } = makeClient();
    scenario = 'read-400';
    expectClean('account', renderings(await client.getAccountId().catch((error: unknown) => error)));
  });

  it('every send path and its events', async () => {
    const { client, events } = makeClient(1);
    const outcomes: unknown[] = [];
    for (const name of SENDS) {
      scenario = name;
      const force = { reason: `redaction test ${name}` };
      outcomes.push(await client.resendFulfillmentEmail(5, { force }).catch((error: unknown) => error));
    }
    scenario = 'ok';
    outcomes.push(await client.resendFulfillmentEmail(5).catch((error: unknown) => error));
    outcomes.push(await client.resendApproverEmail(5, { dryRun: true, allowAnyStatus: true }));
    outcomes.push(
      await client.resendFulfillmentEmail(5, { confirm: () => false, force: { reason: 'test' } }),
    );
    expect(
      outcomes.map((outcome) =>
        outcome instanceof Error ? outcome.name : (outcome as { outcome: string }).outcome,
      ),
    ).toEqual([
      'SendOutcomeUnknownError',
      'ApiError',
      'AuthenticationError',
      'PreconditionFailedError',
      'sent',
      'DuplicateSendError',
      'dry-run',
      'declined',
    ]);
    for (const [index, outcome] of outcomes.entries())
      expectClean(`send outcome ${index}`, renderings(outcome));
    expectClean('send events', events.flatMap(renderings));
  });
});

describe('a send answered with a non-boolean body that echoes the token', () => {
  // send.ts once quoted the body ("expected true, got <first 40 characters>"), which put part of an
  // echoed token into SendOutcomeUnknownError and the send.outcome-unknown event.
  it('keeps the token out of the error and events', async () => {
    const events: SslOrdersEvent[] = [];
    const client = new SslOrdersClient({
      auth: { bearerToken: BEARER },
      baseUrl: API,
      accountId: 1,
      confirm: () => true,
      onEvent: (event) => events.push(event),
    });
    scenario = 'send-echo-200';
    const error = await client.resendFulfillmentEmail(5).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'SendOutcomeUnknownError' });
    expectClean('send echo', [...renderings(error), ...events.flatMap(renderings)]);
  });
});

describe('credentials in the wrong place never reach a message', () => {
  it.each([
    [{ username: `SL1:${CLASSIC_KEY}`, apiKey: CLASSIC_KEY }],
    [{ username: 'SL1_jane', apiKey: `${CLASSIC_KEY}\r\n` }],
    [{ ibmCloudApiKey: IBM_KEY, apiKey: CLASSIC_KEY }],
    [{ bearerToken: BEARER, ibmCloudApiKey: IBM_KEY }],
    [{ bearerToken: `${BEARER}\n` }],
  ])('%#', (auth) => {
    let error: unknown;
    try {
      new SslOrdersClient({ auth: auth as Auth, baseUrl: API });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(Error);
    expectClean('constructor', renderings(error));
  });

  it('an IAM endpoint that echoes the API key', async () => {
    iamMode = 'echo';
    const events: SslOrdersEvent[] = [];
    const client = new SslOrdersClient({
      auth: { bearerToken: iamTokenProvider({ apiKey: IAM_KEY, tokenUrl: IAM }) },
      baseUrl: API,
      accountId: 1,
      retry: { baseDelay: 1 },
      onEvent: (event) => events.push(event),
    });
    const error = await client.getOrder(5).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'AuthenticationError', code: 'BXNIM [REDACTED]' });
    expectClean('iam error', renderings(error));
    expectClean('iam events', events.flatMap(renderings));
  });
});
