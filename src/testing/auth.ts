/**
 * Authentication: HTTP Basic (classic user or `apikey`), IAM bearer tokens, the IAM token endpoint and
 * the per-credential rate limiter.
 *
 * @module
 */
import { type CoreResponse, json, SL, slError } from './respond.js';
import type { RecordedAuth } from './types.js';

function randomToken(bytes: number): string {
  const buffer = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(buffer);
  return btoa(String.fromCharCode(...buffer))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

interface TokenRecord {
  expiresAt: number;
  /** Rate-limit bucket of the credential the token was issued for. */
  readonly bucket: string;
}

/** Issued IAM tokens. Opaque random strings: clients must not parse IAM tokens. */
export class TokenStore {
  private readonly access = new Map<string, TokenRecord>();
  private readonly refresh = new Map<string, string>();

  issue(
    ttlSeconds: number,
    bucket: string,
  ): { accessToken: string; refreshToken: string; expiresAt: number } {
    const accessToken = randomToken(32);
    const refreshToken = randomToken(32);
    const expiresAt = Date.now() + ttlSeconds * 1000;
    this.access.set(accessToken, { expiresAt, bucket });
    this.refresh.set(refreshToken, bucket);
    return { accessToken, refreshToken, expiresAt };
  }

  /** The bucket a refresh token belongs to, or `undefined`; a refresh token is single-use. */
  redeemRefresh(token: string): string | undefined {
    const bucket = this.refresh.get(token);
    this.refresh.delete(token);
    return bucket;
  }

  check(token: string): { state: 'valid'; bucket: string } | { state: 'expired' | 'unknown' } {
    const record = this.access.get(token);
    if (!record) return { state: 'unknown' };
    return record.expiresAt > Date.now() ? { state: 'valid', bucket: record.bucket } : { state: 'expired' };
  }

  expireAll(): void {
    for (const record of this.access.values()) record.expiresAt = 0;
  }

  clear(): void {
    this.access.clear();
    this.refresh.clear();
  }
}

/** A sliding one-second window per credential. Rejected requests do not count against the window. */
export class RateLimiter {
  private readonly windows = new Map<string, number[]>();
  constructor(readonly requestsPerSecond: number) {}

  /** Records a request; returns `false` when it is over the limit. */
  hit(bucket: string, now: number = Date.now()): boolean {
    const window = this.windows.get(bucket) ?? [];
    while (window.length > 0 && window[0]! <= now - 1000) window.shift();
    if (window.length >= this.requestsPerSecond) {
      this.windows.set(bucket, window);
      return false;
    }
    window.push(now);
    this.windows.set(bucket, window);
    return true;
  }

  clear(): void {
    this.windows.clear();
  }
}

/** What the authenticator needs to know about the configured credentials. */
export interface AuthConfig {
  readonly enabled: boolean;
  readonly users: ReadonlyArray<{ readonly username: string; readonly apiKey: string }>;
  readonly ibmCloudApiKeys: readonly string[];
  readonly tokens: TokenStore;
}

/** The result of authenticating one request. */
export type AuthOutcome =
  | { readonly ok: true; readonly auth: RecordedAuth; readonly bucket: string }
  | { readonly ok: false; readonly auth: RecordedAuth; readonly response: CoreResponse };

// Buckets must tell credentials apart without keeping keys in readable form next to the request log.
function keyBucket(key: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return `apikey:${hash.toString(16)}`;
}

/** The rate-limit bucket of an IBM Cloud API key. */
export const ibmKeyBucket = keyBucket;

function decodeBasic(value: string): { username: string; password: string } | null {
  try {
    const bytes = Uint8Array.from(atob(value.trim()), (c) => c.charCodeAt(0));
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    const colon = text.indexOf(':');
    return colon < 0 ? null : { username: text.slice(0, colon), password: text.slice(colon + 1) };
  } catch {
    return null;
  }
}

// The 401 code and text are UNVERIFIED for REST; InvalidLegacyToken is the likely class (see reference §3).
const invalidToken = (): CoreResponse => slError(401, 'Invalid API token.', SL.invalidLegacyToken);

/**
 * Checks the `Authorization` header of a SoftLayer API request.
 *
 * @example
 * ```ts
 * const outcome = authenticate(config, request.headers.authorization);
 * if (!outcome.ok) return outcome.response;
 * ```
 */
export function authenticate(config: AuthConfig, header: string | undefined): AuthOutcome {
  const [scheme = '', ...rest] = (header ?? '').trim().split(/\s+/);
  const credentials = rest.join(' ');
  const lower = scheme.toLowerCase();
  if (lower === 'basic') {
    const basic = decodeBasic(credentials);
    const auth: RecordedAuth = basic ? { scheme: 'basic', username: basic.username } : { scheme: 'basic' };
    if (!config.enabled) return { ok: true, auth, bucket: `user:${basic?.username ?? ''}` };
    if (basic?.username === 'apikey' && config.ibmCloudApiKeys.includes(basic.password)) {
      return { ok: true, auth, bucket: keyBucket(basic.password) };
    }
    if (basic && config.users.some((u) => u.username === basic.username && u.apiKey === basic.password)) {
      return { ok: true, auth, bucket: `user:${basic.username}` };
    }
    return { ok: false, auth, response: invalidToken() };
  }
  if (lower === 'bearer') {
    const auth: RecordedAuth = { scheme: 'bearer' };
    const checked = config.tokens.check(credentials);
    if (checked.state === 'valid') return { ok: true, auth, bucket: checked.bucket };
    if (!config.enabled) return { ok: true, auth, bucket: 'bearer' };
    const message =
      checked.state === 'expired'
        ? 'The access token has expired. Request a new one from IAM.'
        : 'The access token could not be validated.';
    return { ok: false, auth, response: slError(500, message, SL.tokenValidation) };
  }
  const auth: RecordedAuth = scheme === '' ? { scheme: 'none' } : { scheme: 'other' };
  if (!config.enabled) return { ok: true, auth, bucket: 'anonymous' };
  return { ok: false, auth, response: invalidToken() };
}

const APIKEY_GRANT = 'urn:ibm:params:oauth:grant-type:apikey';

// BXNIM0415E and its message are documented (reference §4); the other codes are the emulator's inventions.
function iamError(status: number, errorCode: string, errorMessage: string): CoreResponse {
  return json(status, {
    errorCode,
    errorMessage,
    context: {
      requestId: randomToken(12),
      requestType: 'incoming.Identity_Token',
      clusterName: 'softlayer-ssl-orders-emulator',
      url: 'https://iam.cloud.ibm.com',
      startTime: new Date().toUTCString(),
    },
  });
}

/**
 * The IAM token endpoint (`POST /identity/token`): the API-key grant, and the refresh grant for tokens
 * it issued.
 *
 * @example
 * ```ts
 * handleIam(config, 3600, 'POST', 'grant_type=urn%3Aibm%3Aparams%3Aoauth%3Agrant-type%3Aapikey&apikey=KEY');
 * ```
 */
export function handleIam(
  config: AuthConfig,
  ttlSeconds: number,
  method: string,
  body: string,
): CoreResponse {
  if (method.toUpperCase() !== 'POST') return iamError(405, 'BXNIM0105E', 'Method not allowed');
  const form = new URLSearchParams(body);
  const grant = form.get('grant_type');
  let bucket: string | undefined;
  if (grant === APIKEY_GRANT) {
    const apikey = form.get('apikey');
    if (!apikey) return iamError(400, 'BXNIM0415E', 'Provided API key could not be found');
    if (config.enabled && !config.ibmCloudApiKeys.includes(apikey)) {
      return iamError(400, 'BXNIM0415E', 'Provided API key could not be found');
    }
    bucket = keyBucket(apikey);
  } else if (grant === 'refresh_token') {
    bucket = config.tokens.redeemRefresh(form.get('refresh_token') ?? '');
    if (!bucket) return iamError(400, 'BXNIM0407E', 'Provided refresh token is invalid');
  } else {
    return iamError(400, 'BXNIM0308E', `Grant type is not supported: ${grant ?? '(missing)'}`);
  }
  const issued = config.tokens.issue(ttlSeconds, bucket);
  const expiration = Math.floor(issued.expiresAt / 1000);
  return json(200, {
    access_token: issued.accessToken,
    refresh_token: issued.refreshToken,
    token_type: 'Bearer',
    expires_in: ttlSeconds,
    expiration,
    refresh_token_expiration: expiration + 30 * 86_400,
    scope: 'ibm openid',
  });
}

/** Replaces the secrets of an IAM form body, for the request log. */
export function redactIamBody(body: string): string {
  const form = new URLSearchParams(body);
  for (const key of ['apikey', 'refresh_token', 'password', 'passcode']) {
    if (form.has(key)) form.set(key, '[REDACTED]');
  }
  return form.toString();
}
