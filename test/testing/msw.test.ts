import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEmulatorState, startEmulator } from '../../src/testing/index.js';
import { createMswHandlers } from '../../src/testing/msw.js';
import { basic } from './helpers.js';

const { handlers, state } = createMswHandlers({
  baseUrl: ['https://api.softlayer.com', 'https://proxy.example.test/softlayer/rest/v3.1/'],
});
const server = setupServer(...handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'bypass' }));
afterEach(() => {
  server.resetHandlers();
  state.reset();
});
afterAll(() => server.close());

const BASE = 'https://api.softlayer.com/rest/v3.1/';
const SSL = 'SoftLayer_Security_Certificate_Request';
const auth = { authorization: basic(state.credentials.username, state.credentials.apiKey) };
const resend = (init: RequestInit = {}) =>
  fetch(`${BASE}${SSL}/4471877/resendEmail.json`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ parameters: ['FulfillmentEmail'] }),
    ...init,
  });

describe('msw handlers', () => {
  it('serve the REST API at api.softlayer.com, masks, limits and totals included', async () => {
    const res = await fetch(
      `${BASE}${SSL}/getSslCertificateRequests.json?objectMask=mask[id]&resultLimit=0,2`,
      {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ parameters: ['1234567'] }),
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('softlayer-total-items')).toBe('12');
    expect(await res.json()).toEqual([{ id: 4401388 }, { id: 4412907 }]);
  });

  it('serve /rest/v3/ and a base URL with a path prefix', async () => {
    const v3 = await fetch(`https://api.softlayer.com/rest/v3/${SSL}/4471203.json?objectMask=mask[id]`, {
      headers: auth,
    });
    expect(await v3.json()).toEqual({ id: 4471203 });
    const proxied = await fetch(
      `https://proxy.example.test/softlayer/rest/v3.1/${SSL}/4471203.json?objectMask=mask[id]`,
      {
        headers: auth,
      },
    );
    expect(await proxied.json()).toEqual({ id: 4471203 });
  });

  it('answer 401 without credentials', async () => {
    const res = await fetch(`${BASE}SoftLayer_Account/getObject.json`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error: 'Invalid API token.',
      code: 'SoftLayer_Exception_InvalidLegacyToken',
    });
  });

  it('serve IAM at iam.cloud.ibm.com, whose tokens the API accepts', async () => {
    const res = await fetch('https://iam.cloud.ibm.com/identity/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'urn:ibm:params:oauth:grant-type:apikey',
        apikey: state.credentials.ibmCloudApiKey,
      }),
    });
    expect(res.status).toBe(200);
    const { access_token } = (await res.json()) as { access_token: string };
    const account = await fetch(`${BASE}SoftLayer_Account/getObject.json?objectMask=mask[id]`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(await account.json()).toEqual({ id: 1234567 });
  });

  it('record resends in the outbox', async () => {
    const res = await resend();
    expect(await res.text()).toBe('true');
    expect(state.outbox).toMatchObject([{ orderId: 4471877, emailType: 'FulfillmentEmail' }]);
  });

  it('turn reset-after into a network error after acting', async () => {
    state.inject({ route: 'resend', kind: 'reset-after' });
    await expect(resend()).rejects.toThrow();
    expect(state.outbox).toHaveLength(1);
  });

  it('turn reset-before into a network error without acting', async () => {
    state.inject({ route: 'resend', kind: 'reset-before' });
    await expect(resend()).rejects.toThrow();
    expect(state.outbox).toHaveLength(0);
    expect(state.count({ route: 'resend' })).toBe(1);
  });

  it('hang until the client aborts', async () => {
    state.inject({ route: 'resend', kind: 'hang' });
    await expect(resend({ signal: AbortSignal.timeout(100) })).rejects.toThrow();
    expect(state.outbox).toHaveLength(0);
  });

  it('cut a truncated body short', async () => {
    state.inject({ route: 'get', kind: 'truncated' });
    const res = await fetch(`${BASE}${SSL}/4471203.json`, { headers: auth });
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
  });

  it('pass HTTP-level faults through', async () => {
    state.inject({ route: 'resend', kind: 'rate-limit', status: 429, retryAfter: '3' });
    const limited = await resend();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    state.inject({ route: 'resend', kind: 'empty' });
    const empty = await resend();
    expect(empty.status).toBe(200);
    expect(await empty.text()).toBe('');
  });
});

describe('sharing state', () => {
  it('createMswHandlers({ emulator }) serves the emulator state', async () => {
    await using emulator = await startEmulator();
    const shared = createMswHandlers({ emulator, baseUrl: 'https://api.service.softlayer.com' });
    expect(shared.state).toBe(emulator.state);
    server.use(...shared.handlers);
    await fetch(`https://api.service.softlayer.com/rest/v3.1/${SSL}/4471203/resendEmail.json`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ parameters: ['FulfillmentEmail'] }),
    });
    // Same state over a real socket (msw lets 127.0.0.1 through).
    await fetch(`${emulator.url}${SSL}/4471877/resendEmail.json`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ parameters: ['FulfillmentEmail'] }),
    });
    expect(emulator.outbox.map((e) => e.orderId)).toEqual([4471203, 4471877]);
  });

  it('createMswHandlers({ state }) and createEmulatorState options', async () => {
    const own = createEmulatorState({ accountId: 77, auth: false });
    const custom = createMswHandlers({ state: own, baseUrl: 'https://sl.example.test' });
    server.use(...custom.handlers);
    const res = await fetch(
      'https://sl.example.test/rest/v3.1/SoftLayer_Account/Object.json?objectMask=mask[id]',
    );
    expect(await res.json()).toEqual({ id: 77 });
  });
});
