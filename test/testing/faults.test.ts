import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, type FaultKind, startEmulator } from '../../src/testing/index.js';
import { call } from './helpers.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
beforeEach(() => emulator.reset());
afterAll(() => emulator.close());

const SSL = 'SoftLayer_Security_Certificate_Request';
const get = () => call(emulator, `${SSL}/4471203/getObject.json`);
const list = () =>
  call(emulator, `${SSL}/getSslCertificateRequests.json`, { body: { parameters: [1234567] } });
const resend = (timeoutMs = 5_000) =>
  call(emulator, `${SSL}/4471877/resendEmail.json`, {
    body: { parameters: ['FulfillmentEmail'] },
    signal: AbortSignal.timeout(timeoutMs),
  });

describe('fault kinds', () => {
  it('latency delays, then serves normally', async () => {
    emulator.inject({ route: 'get', kind: 'latency', delayMs: 80 });
    const started = performance.now();
    const res = await get();
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: 4471203 });
  });

  it('rate-limit answers 500 + RateLimitExceeded by default', async () => {
    emulator.inject({ route: 'resend', kind: 'rate-limit' });
    const res = await resend();
    expect(res.status).toBe(500);
    expect(res.json).toEqual({
      error: 'Rate limit of 50 requests for every 1 second(s) exceeded.',
      code: 'SoftLayer_Exception_WebService_RateLimitExceeded',
    });
    expect(res.headers.get('retry-after')).toBeNull();
    expect(emulator.outbox).toHaveLength(0);
  });

  it('rate-limit can answer 429 with Retry-After', async () => {
    emulator.inject({ route: 'list', kind: 'rate-limit', status: 429, retryAfter: '2' });
    const res = await list();
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(res.json).toMatchObject({ code: 'SoftLayer_Exception_WebService_RateLimitExceeded' });
  });

  it('server-error answers Internal Error with the given status, without acting', async () => {
    emulator.inject({ route: 'resend', kind: 'server-error', status: 503, retryAfter: '1' });
    const res = await resend();
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.json).toEqual({ error: 'Internal Error', code: 'SoftLayer_Exception_Public' });
    expect(emulator.outbox).toHaveLength(0);
    emulator.inject({ route: 'get', kind: 'server-error' });
    expect((await get()).status).toBe(500);
  });

  it('error-200 answers HTTP 200 with the Internal Error body', async () => {
    emulator.inject({ route: 'resend', kind: 'error-200' });
    const res = await resend();
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ error: 'Internal Error', code: 'SoftLayer_Exception_Public' });
    expect(emulator.outbox).toHaveLength(0);
  });

  it('expired-token answers 500 AccessTokenValidation even to valid credentials', async () => {
    emulator.inject({ route: 'account', kind: 'expired-token' });
    const res = await call(emulator, 'SoftLayer_Account/getObject.json');
    expect(res.status).toBe(500);
    expect(res.json).toMatchObject({
      code: 'SoftLayer_Exception_Account_Authentication_AccessTokenValidation',
    });
  });

  it('reset-before drops the connection without acting', async () => {
    emulator.inject({ route: 'resend', kind: 'reset-before' });
    await expect(resend()).rejects.toThrow();
    expect(emulator.outbox).toHaveLength(0);
    expect(emulator.requests.at(-1)).toMatchObject({ route: 'resend', status: null, fault: 'reset-before' });
    expect(emulator.count({ route: 'resend', method: 'POST' })).toBe(1);
  });

  it('reset-after acts (the email is sent), then drops the connection', async () => {
    emulator.inject({ route: 'resend', kind: 'reset-after' });
    await expect(resend()).rejects.toThrow();
    expect(emulator.outbox).toHaveLength(1);
    expect(emulator.outbox[0]).toMatchObject({ orderId: 4471877, emailType: 'FulfillmentEmail' });
    expect(emulator.requests.at(-1)).toMatchObject({ status: 200, fault: 'reset-after' });
    expect(emulator.count({ route: 'resend', method: 'POST' })).toBe(1);
  });

  it('truncated acts, sends a too-long Content-Length and part of the body, then drops the connection', async () => {
    emulator.inject({ route: 'list', kind: 'truncated' });
    const res = await fetch(`${emulator.url}${SSL}/getSslCertificateRequests.json`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${btoa(`${emulator.credentials.username}:${emulator.credentials.apiKey}`)}`,
      },
      body: JSON.stringify({ parameters: [1234567] }),
    });
    expect(res.status).toBe(200);
    expect(Number(res.headers.get('content-length'))).toBeGreaterThan(100);
    await expect(res.text()).rejects.toThrow();
    emulator.inject({ route: 'resend', kind: 'truncated' });
    await expect(resend()).rejects.toThrow();
    expect(emulator.outbox).toHaveLength(1);
  });

  it('non-json answers 502 with an HTML body', async () => {
    emulator.inject({ route: 'get', kind: 'non-json' });
    const res = await get();
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toBe('text/html');
    expect(res.text).toBe('<html><body><h1>502 Bad Gateway</h1></body></html>');
  });

  it('empty answers 200 with an empty body (after acting)', async () => {
    emulator.inject({ route: 'resend', kind: 'empty' });
    const res = await resend();
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(emulator.outbox).toHaveLength(1);
  });

  it('false answers 200 false and sends nothing', async () => {
    emulator.inject({ route: 'resend', kind: 'false' });
    const res = await resend();
    expect(res.status).toBe(200);
    expect(res.text).toBe('false');
    expect(emulator.outbox).toHaveLength(0);
  });

  it('hang never answers until the client gives up', async () => {
    emulator.inject({ route: 'resend', kind: 'hang' });
    const started = performance.now();
    const error = await resend(150).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('TimeoutError');
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(emulator.outbox).toHaveLength(0);
    expect(emulator.requests.at(-1)).toMatchObject({ status: null, fault: 'hang' });
  }, 5_000);
});

describe('fault matching', () => {
  it('affects one request by default, only on its route', async () => {
    emulator.inject({ route: 'list', kind: 'server-error' });
    expect((await get()).status).toBe(200);
    expect((await list()).status).toBe(500);
    expect((await list()).status).toBe(200);
  });

  it('honours times, hits, remaining and clear()', async () => {
    const fault = emulator.inject({ route: 'get', kind: 'server-error', times: 2 });
    expect(fault.remaining).toBe(2);
    expect((await get()).status).toBe(500);
    expect(fault).toMatchObject({ hits: 1, remaining: 1 });
    expect((await get()).status).toBe(500);
    expect((await get()).status).toBe(200);
    expect(fault).toMatchObject({ hits: 2, remaining: 0 });
    const forever = emulator.inject({ route: '*', kind: 'error-200', times: Number.POSITIVE_INFINITY });
    for (let i = 0; i < 3; i++)
      expect((await call(emulator, 'SoftLayer_Account/getObject.json')).json).toMatchObject({
        error: 'Internal Error',
      });
    expect(forever.hits).toBe(3);
    forever.clear();
    expect((await get()).json).toMatchObject({ id: 4471203 });
  });

  it('applies faults first-in first-out', async () => {
    emulator.inject({ route: '*', kind: 'non-json' });
    emulator.inject({ route: 'get', kind: 'false' });
    expect((await get()).status).toBe(502);
    expect((await get()).text).toBe('false');
  });

  it('clearFaults() removes every fault; reset() does too', async () => {
    emulator.inject({ route: 'get', kind: 'server-error', times: 5 });
    emulator.clearFaults();
    expect((await get()).status).toBe(200);
    emulator.inject({ route: 'get', kind: 'server-error' });
    emulator.reset();
    expect((await get()).status).toBe(200);
  });

  it('injects into the IAM endpoint', async () => {
    emulator.inject({ route: 'iam', kind: 'server-error', status: 503 });
    const res = await fetch(emulator.iamTokenUrl, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'urn:ibm:params:oauth:grant-type:apikey',
        apikey: 'demo-ibmcloud-api-key',
      }),
    });
    expect(res.status).toBe(503);
  });

  it('rejects unknown kinds, routes and times', () => {
    expect(() => emulator.inject({ route: 'get', kind: 'explode' as FaultKind })).toThrow(TypeError);
    expect(() => emulator.inject({ route: 'nope' as 'get', kind: 'hang' })).toThrow(TypeError);
    expect(() => emulator.inject({ route: 'get', kind: 'hang', times: 0 })).toThrow(TypeError);
  });
});

describe('lifecycle', () => {
  it('applies latencyMs to every request', async () => {
    await using slow = await startEmulator({ latencyMs: 60 });
    const started = performance.now();
    expect((await call(slow, 'SoftLayer_Account/getObject.json')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('close() ends hanging and delayed requests instead of waiting for them', async () => {
    const other = await startEmulator();
    other.inject({ route: 'get', kind: 'hang' });
    other.inject({ route: 'list', kind: 'latency', delayMs: 10_000 });
    const hanging = call(other, `${SSL}/4471203.json`).catch((e: unknown) => e);
    const delayed = call(other, `${SSL}/getSslCertificateRequests.json`, {
      body: { parameters: [1234567] },
    }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    const started = performance.now();
    await other.close();
    expect(await hanging).toBeInstanceOf(Error);
    expect(await delayed).toBeInstanceOf(Error);
    expect(performance.now() - started).toBeLessThan(1_000);
    await other.close();
  });
});
