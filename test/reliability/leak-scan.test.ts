/**
 * Leak scan: a known secret given as each credential kind (classic API key, IBM Cloud API key, bearer
 * string, token-provider token, iamTokenProvider API key) never appears in any output — error
 * messages, JSON, util.inspect and stacks (with causes), events, console output, results, and the
 * client's own inspect/JSON — across every fault of the matrix, and when the server echoes it back.
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type Auth,
  iamTokenProvider,
  SslOrdersClient,
  SslOrdersError,
  type SslOrdersEvent,
} from '../../src/index.js';
import { type Emulator, startEmulator } from '../../src/testing/index.js';
import { FAULT_ROWS } from './support/fault-table.js';
import { refusedPort, refusingFetch, settle } from './support/harness.js';
import { countCases, tally, useSummary } from './support/summary.js';

useSummary(import.meta.filename);
vi.setConfig({ maxConcurrency: 10 });

const USERNAME = 'SL1234567_leak';
const CLASSIC_KEY = 'LEAKCANARY-classic-9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const IBM_KEY = 'LEAKCANARY-ibmcloud-0a1b2c3d4e5f60718293a4b5c6d7e8f9';

/** Every form a secret could take on the way out: raw, URL-encoded, base64 alone and in a Basic pair. */
function forms(secret: string): string[] {
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  return [
    secret,
    encodeURIComponent(secret),
    b64(secret),
    b64(`${USERNAME}:${secret}`),
    b64(`apikey:${secret}`),
  ];
}

interface Credential {
  kind: string;
  /** Builds the auth option for an emulator, and returns the secrets it involves. */
  make(emulator: Emulator): { auth: Auth; secrets: string[] };
}

const CREDENTIALS: Credential[] = [
  {
    kind: 'classic API key',
    make: () => ({ auth: { username: USERNAME, apiKey: CLASSIC_KEY }, secrets: [CLASSIC_KEY] }),
  },
  { kind: 'IBM Cloud API key', make: () => ({ auth: { ibmCloudApiKey: IBM_KEY }, secrets: [IBM_KEY] }) },
  {
    kind: 'bearer string',
    make: (emulator) => {
      const token = emulator.issueToken();
      return { auth: { bearerToken: token }, secrets: [token] };
    },
  },
  {
    kind: 'token provider',
    make: (emulator) => {
      const tokens: string[] = [];
      const provider = () => {
        const token = emulator.issueToken();
        tokens.push(token);
        return token;
      };
      return { auth: { bearerToken: provider }, secrets: tokens };
    },
  },
  {
    kind: 'iamTokenProvider API key',
    make: (emulator) => ({
      auth: { bearerToken: iamTokenProvider({ apiKey: IBM_KEY, tokenUrl: emulator.iamTokenUrl }) },
      secrets: [IBM_KEY],
    }),
  },
];

// Collected for the whole file and never reset: the tests run concurrently, so a per-test reset would
// drop what another test's calls printed before it was scanned.
const consoleText: string[] = [];
beforeAll(() => {
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      consoleText.push(
        args.map((arg) => (typeof arg === 'string' ? arg : inspect(arg, { depth: 8 }))).join(' '),
      );
    });
  }
});
afterAll(() => {
  vi.restoreAllMocks();
});

/** Every rendering of a value a program might log. */
function renderings(value: unknown): string[] {
  const out = [inspect(value, { depth: 12, showHidden: true }), safeJson(value)];
  let current: unknown = value;
  for (let depth = 0; depth < 6 && current instanceof Error; depth++) {
    out.push(
      String(current),
      current.message,
      current.stack ?? '',
      inspect(current, { depth: 12 }),
      safeJson(current),
    );
    current = current.cause;
  }
  return out;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

function occurrences(outputs: string[], secrets: string[]): number {
  let found = 0;
  for (const secret of secrets) {
    for (const form of new Set(forms(secret)))
      for (const output of outputs) if (output.includes(form)) found++;
  }
  return found;
}

function scan(outputs: string[], secrets: string[]): number {
  tally.outputsScanned += outputs.length;
  const found = occurrences(outputs, secrets);
  tally.leaks += found;
  return found;
}

it('the scanner finds a secret in each of its forms', () => {
  const basic = Buffer.from(`${USERNAME}:${CLASSIC_KEY}`).toString('base64');
  expect(occurrences([`Authorization: Basic ${basic}`], [CLASSIC_KEY])).toBeGreaterThan(0);
  expect(occurrences([encodeURIComponent(`${CLASSIC_KEY}/`)], [CLASSIC_KEY])).toBeGreaterThan(0);
  expect(occurrences([inspect(new Error(`x ${IBM_KEY}`))], [IBM_KEY])).toBeGreaterThan(0);
  expect(occurrences([Buffer.from(IBM_KEY).toString('base64')], [IBM_KEY])).toBeGreaterThan(0);
  expect(occurrences(['nothing here'], [IBM_KEY, CLASSIC_KEY])).toBe(0);
});

describe.concurrent.each(CREDENTIALS)('$kind', (credential) => {
  it.each(FAULT_ROWS.filter((row) => !row.timing))('under "$name"', async (row) => {
    const emulator = await startEmulator({
      credentials: { users: [{ username: USERNAME, apiKey: CLASSIC_KEY }], ibmCloudApiKeys: [IBM_KEY] },
    });
    try {
      const { auth, secrets } = credential.make(emulator);
      const refuser = refusingFetch(await refusedPort());
      const events: SslOrdersEvent[] = [];
      const client = new SslOrdersClient(
        emulator.clientOptions({
          auth,
          timeout: 3_000,
          retry: { maxRetries: 1, baseDelay: 1, maxDelay: 2, maxRetryAfter: 2 },
          fetch: refuser.fetch,
          confirm: () => true,
          onEvent: (event) => events.push(event),
        }),
      );
      const outputs: string[] = [inspect(client), safeJson(client), String(client)];
      const calls: [route: string, run: () => Promise<unknown>][] = [
        ['get', () => client.getOrder(4471203)],
        ['list', () => client.listOrders()],
        ['resend', () => client.resendFulfillmentEmail(4471877)],
      ];
      for (const [route, run] of calls) {
        countCases('leak scan');
        row.inject({ emulator, refuse: refuser.arm }, route as 'get', Number.POSITIVE_INFINITY);
        const settled = await settle(run);
        emulator.clearFaults();
        refuser.arm(route, 0);
        expect(settled.kind).not.toBe('hang');
        if (settled.kind === 'error') expect(settled.error).toBeInstanceOf(SslOrdersError);
        outputs.push(
          ...renderings(
            settled.kind === 'value' ? settled.value : settled.kind === 'error' ? settled.error : '',
          ),
        );
      }
      outputs.push(...events.map((event) => safeJson(event)), inspect(events, { depth: 8 }), ...consoleText);
      expect(secrets.length).toBeGreaterThan(0);
      expect(scan(outputs, secrets), 'secret occurrences in outputs').toBe(0);
    } finally {
      await emulator.close();
    }
  });
});

describe('a server that echoes the credentials back', () => {
  const echoes = (secret: string): { status: number; body: string; headers?: Record<string, string> }[] => {
    const basic = Buffer.from(`${USERNAME}:${secret}`).toString('base64');
    return [
      {
        status: 500,
        body: JSON.stringify({ error: `bad key ${secret}`, code: `SoftLayer_Exception_${secret}` }),
      },
      { status: 401, body: JSON.stringify({ error: `Authorization: Basic ${basic} refused` }) },
      {
        status: 200,
        body: JSON.stringify({ error: `token ${encodeURIComponent(secret)} expired`, code: 'X' }),
      },
      { status: 502, body: `<html>${secret} Authorization: Bearer ${secret}</html>` },
      { status: 200, body: `not json ${secret}` },
      { status: 429, body: secret, headers: { 'retry-after': '0' } },
      { status: 200, body: JSON.stringify({ id: 'x', commonName: secret }) },
    ];
  };

  it.each(CREDENTIALS.filter((credential) => credential.kind !== 'iamTokenProvider API key'))(
    '$kind',
    async (credential) => {
      const emulator = await startEmulator();
      try {
        const { auth, secrets } = credential.make(emulator);
        const secret = credential.kind.includes('classic')
          ? CLASSIC_KEY
          : credential.kind.includes('IBM')
            ? IBM_KEY
            : '';
        for (const answer of echoes(secret || 'placeholder')) {
          countCases('leak scan');
          const events: SslOrdersEvent[] = [];
          // Bearer tokens are only known once the client asks for one, so echo whatever it sent.
          const echoing: typeof fetch = async (input, init) => {
            const request = input instanceof Request ? input : new Request(input, init);
            const sent = (request.headers.get('authorization') ?? '').replace(/^(Basic|Bearer) /, '');
            const token =
              credential.kind.includes('bearer') || credential.kind.includes('provider') ? sent : secret;
            const body = answer.body.replaceAll(secret || 'placeholder', token);
            return new Response(body, { status: answer.status, headers: answer.headers ?? {} });
          };
          const client = new SslOrdersClient({
            auth,
            baseUrl: 'https://api.test.invalid/rest/v3.1/',
            accountId: 1234567,
            fetch: echoing,
            retry: false,
            onEvent: (event) => events.push(event),
          });
          const settled = await settle(() => client.getOrder(4471203));
          expect(settled.kind).toBe('error');
          const outputs = [
            ...renderings(settled.kind === 'error' ? settled.error : undefined),
            ...events.map((event) => safeJson(event)),
            ...consoleText,
          ];
          expect(
            scan(outputs, secrets.length > 0 ? secrets : [secret]),
            `echo ${answer.status} ${answer.body.slice(0, 30)}`,
          ).toBe(0);
        }
      } finally {
        await emulator.close();
      }
    },
  );
});
