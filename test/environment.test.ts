import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type EnvironmentSource, loadEnvironmentOptions, parseSlcliConfig } from '../src/environment.js';
import {
  AuthenticationError,
  DEFAULTS,
  InvalidArgumentError,
  SslOrdersClient,
  TimeoutError,
  VERSION,
} from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sl-env-'));
let fileCount = 0;
function configFile(text: string): string {
  const path = join(dir, `softlayer-${++fileCount}`);
  writeFileSync(path, text);
  return path;
}
const missingFile = join(dir, 'does-not-exist');

/** A loopback API that records each request's headers and answers with one account. */
let server: Server;
let seen: IncomingHttpHeaders[] = [];
let hang = false;
let refuse = false;
let api = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.headers);
    if (hang) return;
    if (refuse) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"Access Denied."}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":42}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api = `http://127.0.0.1:${(server.address() as { port: number }).port}/rest/v3.1/`;
});
afterEach(() => {
  seen = [];
  hang = false;
  refuse = false;
  vi.unstubAllEnvs();
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(resolve));
});

const caught = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};

const basic = (user: string, key: string) => `Basic ${Buffer.from(`${user}:${key}`).toString('base64')}`;

/** The Authorization header the client sends, observed at the server. */
async function authorizationOf(client: SslOrdersClient): Promise<string | undefined> {
  await client.getAccountId();
  return seen.at(-1)?.authorization;
}

describe('fromEnv: credentials', () => {
  it.each([
    [
      'SL_USERNAME + SL_API_KEY',
      { SL_USERNAME: 'SL1_jane', SL_API_KEY: 'classic-key-1' },
      basic('SL1_jane', 'classic-key-1'),
    ],
    [
      'SOFTLAYER_USERNAME + SOFTLAYER_API_KEY',
      { SOFTLAYER_USERNAME: 'SL1_joe', SOFTLAYER_API_KEY: 'classic-key-2' },
      basic('SL1_joe', 'classic-key-2'),
    ],
    ['IBMCLOUD_API_KEY', { IBMCLOUD_API_KEY: 'cloud-key-1' }, basic('apikey', 'cloud-key-1')],
    ['IC_API_KEY', { IC_API_KEY: 'cloud-key-2' }, basic('apikey', 'cloud-key-2')],
    [
      'IBMCLOUD_API_KEY before IC_API_KEY',
      { IC_API_KEY: 'cloud-key-2', IBMCLOUD_API_KEY: 'cloud-key-1' },
      basic('apikey', 'cloud-key-1'),
    ],
    [
      'classic before IBM Cloud',
      { IBMCLOUD_API_KEY: 'cloud-key-1', SL_USERNAME: 'SL1_jane', SL_API_KEY: 'classic-key-1' },
      basic('SL1_jane', 'classic-key-1'),
    ],
    [
      'SL_USERNAME=apikey as an IBM Cloud key',
      { SL_USERNAME: 'apikey', SL_API_KEY: 'cloud-key-3' },
      basic('apikey', 'cloud-key-3'),
    ],
    [
      'empty values are ignored',
      { SL_USERNAME: '', SL_API_KEY: '', IC_API_KEY: 'cloud-key-2' },
      basic('apikey', 'cloud-key-2'),
    ],
  ])('%s', async (_label, env, expected) => {
    const client = SslOrdersClient.fromEnv({}, { env: { ...env, SL_ENDPOINT_URL: api }, configFile: false });
    expect(await authorizationOf(client)).toBe(expected);
  });

  it('reads the slcli file: [softlayer] username, api_key, endpoint_url, timeout', async () => {
    const path = configFile(
      [
        '[other]',
        'username = wrong',
        'api_key = wrong-key',
        '# a comment',
        '[softlayer]',
        'username = SL1_file',
        'API_KEY: file-key-1',
        `endpoint_url = ${api}`,
        'timeout = 0.05',
        '',
      ].join('\r\n'),
    );
    // The file's 50 ms timeout is for the hang below; a first request on a busy machine can take longer.
    const patient = SslOrdersClient.fromEnv({ timeout: 10_000 }, { env: {}, configFile: path });
    expect(patient.baseUrl).toBe(api);
    expect(await authorizationOf(patient)).toBe(basic('SL1_file', 'file-key-1'));
    const client = SslOrdersClient.fromEnv({ retry: false }, { env: {}, configFile: path });
    hang = true;
    await expect(client.getOrder(1)).rejects.toMatchObject({ name: 'TimeoutError', timeoutMs: 50 });
  });

  it('reads username = apikey in the file as an IBM Cloud API key', async () => {
    const path = configFile(`[softlayer]\nusername = apikey\napi_key = cloud-key-9\n`);
    const client = SslOrdersClient.fromEnv({ baseUrl: api }, { env: {}, configFile: path });
    expect(client.toJSON()).toMatchObject({ auth: 'ibmCloudApiKey' });
    expect(await authorizationOf(client)).toBe(basic('apikey', 'cloud-key-9'));
  });

  it('reads ~/.softlayer by default', async () => {
    const home = mkdtempSync(join(tmpdir(), 'sl-home-'));
    writeFileSync(
      join(home, '.softlayer'),
      `[softlayer]\nusername = SL1_home\napi_key = home-key-1\nendpoint_url = ${api}\n`,
    );
    vi.stubEnv('HOME', home);
    vi.stubEnv('USERPROFILE', home);
    const client = SslOrdersClient.fromEnv({}, { env: {} });
    expect(await authorizationOf(client)).toBe(basic('SL1_home', 'home-key-1'));
  });
});

describe('fromEnv: precedence explicit > environment > file', () => {
  const file = () =>
    configFile(
      `[softlayer]\nusername = SL1_file\napi_key = file-key-1\nendpoint_url = https://file.example.com/rest/v3.1/\ntimeout = 9\n`,
    );
  // A function: `api` is known only once the server listens.
  const env = () => ({
    SL_USERNAME: 'SL1_env',
    SL_API_KEY: 'env-key-1',
    SL_ENDPOINT_URL: api,
    SL_TIMEOUT: '0.05',
  });

  it('the environment beats the file, field by field', async () => {
    const patient = SslOrdersClient.fromEnv({ timeout: 10_000 }, { env: env(), configFile: file() });
    expect(patient.baseUrl).toBe(api);
    expect(await authorizationOf(patient)).toBe(basic('SL1_env', 'env-key-1'));
    const client = SslOrdersClient.fromEnv({ retry: false }, { env: env(), configFile: file() });
    hang = true;
    await expect(client.getOrder(1)).rejects.toMatchObject({ timeoutMs: 50 });
  });

  it('the file fills what the environment leaves out', () => {
    const client = SslOrdersClient.fromEnv({}, { env: { SL_API_KEY: 'env-key-1' }, configFile: file() });
    expect(client.toJSON()).toMatchObject({
      auth: 'classic',
      baseUrl: 'https://file.example.com/rest/v3.1/',
    });
  });

  it('SL_USERNAME from the environment and api_key from the file are used together, as slcli does', async () => {
    const keyOnly = configFile(`[softlayer]\napi_key = file-key-2\nendpoint_url = ${api}\n`);
    const client = SslOrdersClient.fromEnv({}, { env: { SL_USERNAME: 'SL1_env' }, configFile: keyOnly });
    expect(await authorizationOf(client)).toBe(basic('SL1_env', 'file-key-2'));
    // And the other way round: the environment's key with the file's user name.
    const both = configFile(
      `[softlayer]\nusername = SL1_file\napi_key = file-key-1\nendpoint_url = ${api}\n`,
    );
    const mixed = SslOrdersClient.fromEnv({}, { env: { SL_API_KEY: 'env-key-2' }, configFile: both });
    expect(await authorizationOf(mixed)).toBe(basic('SL1_file', 'env-key-2'));
  });

  it.each(['IBMCLOUD_API_KEY', 'IC_API_KEY'])(
    'a stale %s ranks after ~/.softlayer, which slcli reads (and slcli ignores the variable)',
    async (name) => {
      const working = configFile(
        `[softlayer]\nusername = SL1_file\napi_key = file-key-1\nendpoint_url = ${api}\n`,
      );
      const client = SslOrdersClient.fromEnv({}, { env: { [name]: 'stale-cloud-key' }, configFile: working });
      expect(await authorizationOf(client)).toBe(basic('SL1_file', 'file-key-1'));
      // With only a user name in the file, the IBM Cloud key is the credential.
      const userOnly = configFile(`[softlayer]\nusername = SL1_file\nendpoint_url = ${api}\n`);
      const cloud = SslOrdersClient.fromEnv({}, { env: { [name]: 'cloud-key-5' }, configFile: userOnly });
      expect(await authorizationOf(cloud)).toBe(basic('apikey', 'cloud-key-5'));
    },
  );

  it('explicit options beat both', async () => {
    const client = SslOrdersClient.fromEnv(
      { auth: { username: 'SL1_explicit', apiKey: 'explicit-key' }, timeout: 70, retry: false },
      { env: env(), configFile: file() },
    );
    expect(client.baseUrl).toBe(api);
    expect(await authorizationOf(client)).toBe(basic('SL1_explicit', 'explicit-key'));
    hang = true;
    const error = await client.getOrder(1).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ timeoutMs: 70 });
  });

  it('a bad timeout that is overridden does no harm; one that is used names its source', () => {
    const bad = configFile(`[softlayer]\nusername = SL1_file\napi_key = file-key-1\ntimeout = soon\n`);
    expect(() => SslOrdersClient.fromEnv({}, { env: { SL_TIMEOUT: '2' }, configFile: bad })).not.toThrow();
    expect(() => SslOrdersClient.fromEnv({}, { env: {}, configFile: bad })).toThrow(
      /softlayer-\d+ timeout must be a number of seconds/,
    );
    expect(() =>
      SslOrdersClient.fromEnv({}, { env: { ...env(), SL_TIMEOUT: '-1' }, configFile: false }),
    ).toThrow(/SL_TIMEOUT must be a number of seconds \(0: the default\), got "-1"/);
  });

  it('timeout = 0 (what `slcli setup` writes) and SL_TIMEOUT=0 mean "not set": the next source, else the default', async () => {
    const zero = configFile(`[softlayer]\nusername = SL1_file\napi_key = file-key-1\ntimeout = 0\n`);
    for (const source of [
      { env: {}, configFile: zero },
      { env: { SL_TIMEOUT: '0' }, configFile: zero },
      { env: { ...env(), SL_TIMEOUT: '0' }, configFile: false as const },
      { env: { ...env(), SL_TIMEOUT: '0.0' }, configFile: false as const },
    ]) {
      const options = loadEnvironmentOptions({}, source);
      expect(options.timeout).toBeUndefined();
      expect(() => new SslOrdersClient(options)).not.toThrow();
    }
    // SL_TIMEOUT=0 does not shadow a timeout the file sets.
    const fiftyMs = configFile(`[softlayer]\nusername = SL1_file\napi_key = file-key-1\ntimeout = 0.05\n`);
    expect(loadEnvironmentOptions({}, { env: { SL_TIMEOUT: '0' }, configFile: fiftyMs }).timeout).toBe(50);
    // And such a file works end to end.
    const client = SslOrdersClient.fromEnv({ baseUrl: api, retry: false }, { env: {}, configFile: zero });
    expect(await authorizationOf(client)).toBe(basic('SL1_file', 'file-key-1'));
  });

  it('names SL_ENDPOINT_URL or the file’s endpoint_url when the endpoint is unusable, not baseUrl', () => {
    const cases: [EnvironmentSource, string, RegExp][] = [
      [{ env: { ...env(), SL_ENDPOINT_URL: 'api.softlayer.com' } }, 'SL_ENDPOINT_URL', /^SL_ENDPOINT_URL is/],
      [
        { env: { ...env(), SL_ENDPOINT_URL: 'http://api.softlayer.com/rest/v3.1/' } },
        'SL_ENDPOINT_URL',
        /^SL_ENDPOINT_URL is not a usable endpoint \(https, or http on loopback;/,
      ],
      [
        { env: { ...env(), SL_ENDPOINT_URL: 'https://jane:hunter22@api.softlayer.com/rest/v3.1/' } },
        'SL_ENDPOINT_URL',
        /no credentials, query or fragment/,
      ],
      [
        {
          env: { SL_USERNAME: 'SL1_env', SL_API_KEY: 'env-key-1' },
          configFile: configFile('[softlayer]\nendpoint_url = ftp://api.softlayer.com/\n'),
        },
        'endpoint_url',
        /softlayer-\d+ endpoint_url is not a usable endpoint/,
      ],
    ];
    for (const [source, argument, message] of cases) {
      const error = caught(() => SslOrdersClient.fromEnv({}, { configFile: false, ...source }));
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).argument).toContain(argument);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toMatch(/baseUrl|hunter22/);
      expect((error as Error).message).toContain(DEFAULTS.baseUrl);
    }
  });

  it('names SL_API_KEY or the file’s api_key, not auth.apiKey, for an unusable key, without its value', () => {
    const inEnv = caught(() =>
      SslOrdersClient.fromEnv({}, { env: { ...env(), SL_API_KEY: 'secret\u0000key' }, configFile: false }),
    );
    expect(inEnv).toMatchObject({ name: 'InvalidArgumentError', argument: 'SL_API_KEY' });
    expect((inEnv as Error).message).toMatch(
      /^SL_API_KEY has a space, line break, control or non-ASCII character at position 7,/,
    );
    const file = configFile('[softlayer]\nusername = SL1_file\napi_key = sécret-key\n');
    const inFile = caught(() => SslOrdersClient.fromEnv({}, { env: {}, configFile: file }));
    expect(inFile).toMatchObject({ argument: `${file} api_key` });
    expect((inFile as Error).message).toContain('non-ASCII character at position 2,');
    for (const error of [inEnv, inFile]) {
      expect(`${(error as Error).message} ${JSON.stringify(error)} ${inspect(error)}`).not.toMatch(
        /secret|sécret/,
      );
    }
    const user = caught(() =>
      SslOrdersClient.fromEnv({}, { env: { ...env(), SL_USERNAME: 'SL1:jane' }, configFile: false }),
    );
    expect(user).toMatchObject({ argument: 'SL_USERNAME' });
  });

  it('an AuthenticationError names where the refused credential came from', async () => {
    const home = mkdtempSync(join(tmpdir(), 'sl-home-'));
    writeFileSync(join(home, '.softlayer'), `[softlayer]\napi_key = file-key-3\nendpoint_url = ${api}\n`);
    vi.stubEnv('HOME', home);
    vi.stubEnv('USERPROFILE', home);
    refuse = true;
    const sources: [Record<string, string>, string][] = [
      [{ SL_USERNAME: 'SL1_env' }, 'SL_USERNAME + ~/.softlayer api_key'],
      [{ SL_USERNAME: 'SL1_env', SL_API_KEY: 'env-key-1' }, 'SL_USERNAME + SL_API_KEY'],
      [{ IC_API_KEY: 'cloud-key-2', SL_ENDPOINT_URL: api }, 'IC_API_KEY'],
    ];
    for (const [variables, source] of sources) {
      const client = SslOrdersClient.fromEnv({ retry: false }, { env: variables });
      const error = await client.getAccountId().catch((failure: unknown) => failure);
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error).toMatchObject({ credentialSource: source });
      expect((error as Error).message).toMatch(
        new RegExp(`\\(credentials from ${source.replace(/[+.~]/g, '\\$&')}\\)$`),
      );
    }
    const explicit = new SslOrdersClient({
      auth: { username: 'SL1_jane', apiKey: 'key-1234' },
      baseUrl: api,
    });
    await expect(explicit.getAccountId()).rejects.toThrow(
      /\(credentials from auth\.username \+ auth\.apiKey\)$/,
    );
  });

  it('converts slcli’s XML-RPC endpoint to the REST one', () => {
    const client = SslOrdersClient.fromEnv(
      {},
      {
        env: { ...env(), SL_ENDPOINT_URL: 'https://api.service.softlayer.com/xmlrpc/v3.1/' },
        configFile: false,
      },
    );
    expect(client.baseUrl).toBe(DEFAULTS.privateBaseUrl);
  });
});

describe('fromEnv: no credential anywhere', () => {
  function message(env: Record<string, string>, file: string | false): string {
    try {
      SslOrdersClient.fromEnv({}, { env, configFile: file });
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(error).toMatchObject({ argument: 'auth' });
      return (error as Error).message;
    }
    throw new Error('fromEnv did not throw');
  }

  it('names every place it looked', () => {
    const text = message({}, missingFile);
    for (const place of [
      'auth option',
      'SL_USERNAME + SL_API_KEY (or SOFTLAYER_USERNAME + SOFTLAYER_API_KEY)',
      'field by field',
      'IBMCLOUD_API_KEY',
      'IC_API_KEY',
      missingFile,
      'file not found',
    ]) {
      expect(text).toContain(place);
    }
  });

  it('says when the file exists without credentials, or was skipped', () => {
    expect(message({}, configFile('[softlayer]\ntimeout = 5\n'))).toMatch(/username \+ api_key: not set/);
    expect(message({}, false)).toContain('configFile: false');
  });

  it('points out half-set credentials without showing any value', () => {
    const empty = configFile('[softlayer]\ntimeout = 5\n');
    const text = message({ SL_API_KEY: 'lonely-key-123' }, empty);
    expect(text).toContain('Note: SL_API_KEY is set, but no user name.');
    expect(text).not.toContain('lonely-key-123');
    const fileHalf = message({}, configFile('[softlayer]\nusername = SL1_half\n'));
    expect(fileHalf).toMatch(/softlayer-\d+ username is set, but no API key\./);
  });
});

describe('the file’s name in messages', () => {
  it('is ~/… under the home directory, the full path elsewhere (even when it only starts alike)', () => {
    const path = configFile('[softlayer]\nusername = SL1_file\napi_key = bad key\n');
    const argumentWith = (home: string) => {
      vi.stubEnv('HOME', home);
      vi.stubEnv('USERPROFILE', home);
      return (
        caught(() => SslOrdersClient.fromEnv({}, { env: {}, configFile: path })) as InvalidArgumentError
      ).argument;
    };
    expect(argumentWith(dir)).toBe(`~/${path.slice(dir.length + 1)} api_key`);
    expect(argumentWith(dir.slice(0, -2))).toBe(`${path} api_key`);
  });
});

describe('parseSlcliConfig', () => {
  it('reads only [softlayer], case-insensitive keys, = or :, comments skipped', () => {
    const text = '; top\n[SoftLayer]\nUserName=a\napi_key : b \n# c = d\n[x]\ntimeout = 3\n';
    expect(parseSlcliConfig(text)).toEqual({ username: 'a', api_key: 'b' });
  });
});

describe('endpoints', () => {
  const auth = { username: 'SL1_jane', apiKey: 'classic-key-1' };
  it.each([
    [undefined, DEFAULTS.baseUrl],
    ['public', 'https://api.softlayer.com/rest/v3.1/'],
    ['private', 'https://api.service.softlayer.com/rest/v3.1/'],
    ['https://proxy.example.com/sl/rest/v3.1', 'https://proxy.example.com/sl/rest/v3.1/'],
    ['http://127.0.0.1:8080/rest/v3.1/', 'http://127.0.0.1:8080/rest/v3.1/'],
    ['http://localhost:8080/rest/v3.1/', 'http://localhost:8080/rest/v3.1/'],
    ['http://[::1]:8080/rest/v3.1/', 'http://[::1]:8080/rest/v3.1/'],
  ])('%s → %s', (baseUrl, expected) => {
    expect(new SslOrdersClient({ auth, baseUrl }).baseUrl).toBe(expected);
  });

  it.each([
    ['http://api.softlayer.com/rest/v3.1/', /https/],
    ['ftp://api.softlayer.com/', /https/],
    ['https://user:pw@api.softlayer.com/rest/v3.1/', /credentials/],
    ['api.softlayer.com', /not a valid URL/],
  ])('%s is refused', (baseUrl, message) => {
    expect(() => new SslOrdersClient({ auth, baseUrl })).toThrow(InvalidArgumentError);
    expect(() => new SslOrdersClient({ auth, baseUrl })).toThrow(message);
  });
});

describe('User-Agent', () => {
  const auth = { username: 'SL1_jane', apiKey: 'classic-key-1' };
  it('is softlayer-ssl-orders/<version>, with an optional suffix', async () => {
    await new SslOrdersClient({ auth, baseUrl: api }).getAccountId();
    expect(seen.at(-1)?.['user-agent']).toBe(`softlayer-ssl-orders/${VERSION}`);
    await new SslOrdersClient({ auth, baseUrl: api, userAgent: 'cert-bot/1.2 (+ops)' }).getAccountId();
    expect(seen.at(-1)?.['user-agent']).toBe(`softlayer-ssl-orders/${VERSION} cert-bot/1.2 (+ops)`);
  });

  it.each(['', 'bot\r\nX-Evil: 1', 'é-bot', 'x'.repeat(201)])('refuses the suffix %j', (userAgent) => {
    expect(() => new SslOrdersClient({ auth, userAgent })).toThrow(InvalidArgumentError);
  });
});
