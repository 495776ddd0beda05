import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseSlcliConfig } from '../src/environment.js';
import { DEFAULTS, InvalidArgumentError, SslOrdersClient, TimeoutError, VERSION } from '../src/index.js';

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
let api = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.headers);
    if (hang) return;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":42}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api = `http://127.0.0.1:${(server.address() as { port: number }).port}/rest/v3.1/`;
});
afterEach(() => {
  seen = [];
  hang = false;
  vi.unstubAllEnvs();
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(resolve));
});

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
    const client = SslOrdersClient.fromEnv({ retry: false }, { env: {}, configFile: path });
    expect(client.baseUrl).toBe(api);
    expect(await authorizationOf(client)).toBe(basic('SL1_file', 'file-key-1'));
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
    const client = SslOrdersClient.fromEnv({ retry: false }, { env: env(), configFile: file() });
    expect(client.baseUrl).toBe(api);
    expect(await authorizationOf(client)).toBe(basic('SL1_env', 'env-key-1'));
    hang = true;
    await expect(client.getOrder(1)).rejects.toMatchObject({ timeoutMs: 50 });
  });

  it('the file fills what the environment leaves out', () => {
    const client = SslOrdersClient.fromEnv({}, { env: { IC_API_KEY: 'cloud-key-2' }, configFile: file() });
    expect(client.toJSON()).toMatchObject({
      auth: 'ibmCloudApiKey',
      baseUrl: 'https://file.example.com/rest/v3.1/',
    });
  });

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
      /timeout in .*softlayer-\d+ must be a number of seconds/,
    );
    expect(() =>
      SslOrdersClient.fromEnv({}, { env: { ...env(), SL_TIMEOUT: '-1' }, configFile: false }),
    ).toThrow(/SL_TIMEOUT must be a number of seconds greater than 0, got "-1"/);
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
      'SL_USERNAME + SL_API_KEY',
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
    const text = message({ SL_API_KEY: 'lonely-key-123' }, configFile('[softlayer]\nusername = SL1_half\n'));
    expect(text).toContain('SL_API_KEY is set but SL_USERNAME is not');
    expect(text).toMatch(/has username but no api_key/);
    expect(text).not.toContain('lonely-key-123');
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
