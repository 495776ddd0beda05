import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/testing/auth.js';
import { DEFAULT_CREDENTIALS, type Emulator, startEmulator } from '../../src/testing/index.js';
import { basic, call, q } from './helpers.js';

const ACCOUNT = `SoftLayer_Account/getObject.json${q({ objectMask: 'mask[id]' })}`;
const APIKEY_GRANT = 'urn:ibm:params:oauth:grant-type:apikey';

async function token(emulator: Emulator, form: Record<string, string>) {
  const res = await fetch(emulator.iamTokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('authentication', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterEach(() => emulator.reset());
  afterAll(() => emulator.close());

  it('has the documented default credentials', () => {
    expect(emulator.credentials).toBe(DEFAULT_CREDENTIALS);
    expect(emulator.credentials.username).toBe('SL1234567_demo');
    expect(emulator.credentials.apiKey).toBe(
      'demo-classic-api-key-0000000000000000000000000000000000000000000000',
    );
    expect(emulator.credentials.ibmCloudApiKey).toBe('demo-ibmcloud-api-key');
  });

  it('accepts a classic user and key over Basic', async () => {
    const res = await call(emulator, ACCOUNT, {
      authorization: basic('SL1234567_demo', emulator.credentials.apiKey),
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ id: 1234567 });
  });

  it('accepts an IBM Cloud API key as Basic apikey:<key>', async () => {
    const res = await call(emulator, ACCOUNT, { authorization: basic('apikey', 'demo-ibmcloud-api-key') });
    expect(res.status).toBe(200);
  });

  it.each([
    ['no header', null],
    ['a wrong key', basic('SL1234567_demo', 'wrong')],
    ['a classic key under apikey', basic('apikey', DEFAULT_CREDENTIALS.apiKey)],
    ['an IBM Cloud key under a user name', basic('SL1234567_demo', 'demo-ibmcloud-api-key')],
    ['garbage Basic', 'Basic %%%'],
    ['another scheme', 'Digest abc'],
  ])('answers %s with 401 InvalidLegacyToken', async (_label, authorization) => {
    const res = await call(emulator, ACCOUNT, { authorization });
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: 'Invalid API token.', code: 'SoftLayer_Exception_InvalidLegacyToken' });
  });

  it('accepts a bearer token from the IAM endpoint, until it expires', async () => {
    const issued = await token(emulator, {
      grant_type: APIKEY_GRANT,
      apikey: 'demo-ibmcloud-api-key',
      response_type: 'cloud_iam',
    });
    expect(issued.status).toBe(200);
    expect(issued.json).toMatchObject({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'ibm openid',
    });
    const expiration = issued.json['expiration'] as number;
    expect(Math.abs(expiration - (Math.floor(Date.now() / 1000) + 3600))).toBeLessThanOrEqual(2);
    const bearer = `Bearer ${issued.json['access_token']}`;
    expect((await call(emulator, ACCOUNT, { authorization: bearer })).status).toBe(200);

    emulator.expireTokens();
    const expired = await call(emulator, ACCOUNT, { authorization: bearer });
    expect(expired.status).toBe(500);
    expect(expired.json).toMatchObject({
      code: 'SoftLayer_Exception_Account_Authentication_AccessTokenValidation',
    });
  });

  it('answers an unknown bearer token with 500 AccessTokenValidation', async () => {
    const res = await call(emulator, ACCOUNT, { authorization: 'Bearer not-a-token' });
    expect(res.status).toBe(500);
    expect(res.json).toMatchObject({
      code: 'SoftLayer_Exception_Account_Authentication_AccessTokenValidation',
    });
  });

  it('issueToken() returns a usable token directly', async () => {
    expect((await call(emulator, ACCOUNT, { authorization: `Bearer ${emulator.issueToken()}` })).status).toBe(
      200,
    );
  });

  it('exchanges a refresh token once', async () => {
    const first = await token(emulator, { grant_type: APIKEY_GRANT, apikey: 'demo-ibmcloud-api-key' });
    const refresh = { grant_type: 'refresh_token', refresh_token: String(first.json['refresh_token']) };
    const second = await token(emulator, refresh);
    expect(second.status).toBe(200);
    expect(second.json['access_token']).not.toBe(first.json['access_token']);
    expect((await token(emulator, refresh)).status).toBe(400);
  });

  it('answers an unknown API key with 400 BXNIM0415E', async () => {
    const res = await token(emulator, { grant_type: APIKEY_GRANT, apikey: 'nope' });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({
      errorCode: 'BXNIM0415E',
      errorMessage: 'Provided API key could not be found',
      context: expect.any(Object),
    });
  });

  it('answers a wrong grant type with another BXNIM code', async () => {
    const res = await token(emulator, { grant_type: 'password', username: 'x', password: 'y' });
    expect(res.status).toBe(400);
    expect(res.json['errorCode']).toMatch(/^BXNIM\d{4}E$/);
    expect(res.json['errorCode']).not.toBe('BXNIM0415E');
  });

  it('never records keys or tokens', async () => {
    const issued = await token(emulator, { grant_type: APIKEY_GRANT, apikey: 'demo-ibmcloud-api-key' });
    await call(emulator, ACCOUNT, { authorization: `Bearer ${issued.json['access_token']}` });
    await call(emulator, ACCOUNT, { authorization: basic('apikey', 'demo-ibmcloud-api-key') });
    await call(emulator, ACCOUNT);
    const log = JSON.stringify(emulator.requests);
    expect(log).not.toContain('demo-ibmcloud-api-key');
    expect(log).not.toContain(DEFAULT_CREDENTIALS.apiKey);
    expect(log).not.toContain(String(issued.json['access_token']));
    expect(log).not.toContain(String(issued.json['refresh_token']));
    expect(emulator.requests.map((r) => r.auth)).toEqual([
      { scheme: 'none' },
      { scheme: 'bearer' },
      { scheme: 'basic', username: 'apikey' },
      { scheme: 'basic', username: 'SL1234567_demo' },
    ]);
    expect(emulator.requests[0]).toMatchObject({
      route: 'iam',
      body: expect.stringContaining('apikey=%5BREDACTED%5D'),
    });
  });
});

describe('configuration', () => {
  it('honours custom credentials and tokenTtlSeconds', async () => {
    await using emulator = await startEmulator({
      credentials: { users: [{ username: 'u1', apiKey: 'k1' }], ibmCloudApiKeys: ['ibm1'] },
      tokenTtlSeconds: 120,
      accountId: 42,
    });
    expect(emulator.credentials).toMatchObject({ username: 'u1', apiKey: 'k1', ibmCloudApiKey: 'ibm1' });
    expect((await call(emulator, ACCOUNT, { authorization: basic('u1', 'k1') })).json).toEqual({ id: 42 });
    expect(
      (await call(emulator, ACCOUNT, { authorization: basic('SL1234567_demo', DEFAULT_CREDENTIALS.apiKey) }))
        .status,
    ).toBe(401);
    const issued = await token(emulator, { grant_type: APIKEY_GRANT, apikey: 'ibm1' });
    expect(issued.json['expires_in']).toBe(120);
    expect(emulator.orders.every((o) => o.accountId === 42)).toBe(true);
  });

  it('auth: false accepts any request', async () => {
    await using emulator = await startEmulator({ auth: false });
    expect((await call(emulator, ACCOUNT, { authorization: null })).status).toBe(200);
    expect((await call(emulator, ACCOUNT, { authorization: basic('who', 'ever') })).status).toBe(200);
  });
});

describe('rate limiter', () => {
  it('rejects the 51st request within a second with 500 RateLimitExceeded, per credential', async () => {
    await using emulator = await startEmulator({ rateLimit: { requestsPerSecond: 50 } });
    const responses = await Promise.all(Array.from({ length: 51 }, () => call(emulator, ACCOUNT)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(50);
    const rejected = responses.find((r) => r.status !== 200)!;
    expect(rejected.status).toBe(500);
    expect(rejected.json).toEqual({
      error: 'Rate limit of 50 requests for every 1 second(s) exceeded.',
      code: 'SoftLayer_Exception_WebService_RateLimitExceeded',
    });
    // Another credential has its own window.
    expect(
      (await call(emulator, ACCOUNT, { authorization: basic('apikey', 'demo-ibmcloud-api-key') })).status,
    ).toBe(200);
  });

  it('slides the window: requests older than one second stop counting', () => {
    const limiter = new RateLimiter(2);
    expect(limiter.hit('a', 1000)).toBe(true);
    expect(limiter.hit('a', 1500)).toBe(true);
    expect(limiter.hit('a', 1999)).toBe(false);
    expect(limiter.hit('b', 1999)).toBe(true);
    expect(limiter.hit('a', 2000)).toBe(true);
    expect(limiter.hit('a', 2100)).toBe(false);
    expect(limiter.hit('a', 2500)).toBe(true);
  });

  it('is off by default', async () => {
    await using emulator = await startEmulator();
    const responses = await Promise.all(Array.from({ length: 55 }, () => call(emulator, ACCOUNT)));
    expect(responses.every((r) => r.status === 200)).toBe(true);
  });
});
