/**
 * An IAM token provider: exchanges an IBM Cloud API key for an access token, caches it, refreshes
 * it before it expires, and shares one refresh between concurrent callers.
 *
 * @module
 */
import { requireSecret, type TokenProvider, type TokenRequest } from './auth.js';
import {
  AuthenticationError,
  ConnectionError,
  InvalidArgumentError,
  SslOrdersError,
  TimeoutError,
} from './errors.js';
import { abortable } from './internal/abort.js';
import { checkDuration } from './internal/arguments.js';
import { isLoopback } from './internal/endpoint.js';
import { excerpt } from './internal/excerpt.js';
import { mayHaveLeft, systemErrorCode } from './internal/network.js';
import { createRedactor } from './internal/redact.js';

/** Options of {@link iamTokenProvider}. */
export interface IamTokenProviderOptions {
  /** The IBM Cloud API key. */
  apiKey: string;
  /** The IAM token endpoint. Default `https://iam.cloud.ibm.com/identity/token`. */
  tokenUrl?: string | undefined;
  /** A custom `fetch`. Default `globalThis.fetch`. */
  fetch?: typeof fetch | undefined;
  /** Timeout of one token request, in milliseconds. Default `30000`. */
  timeout?: number | undefined;
  /**
   * Share of the token's lifetime after which it is refreshed ahead of time. Default `0.8`, as IBM's
   * own SDKs do.
   */
  refreshAt?: number | undefined;
}

const GRANT_TYPE = 'urn:ibm:params:oauth:grant-type:apikey';
const DEFAULT_TOKEN_URL = 'https://iam.cloud.ibm.com/identity/token';
// A token this close to expiry is treated as expired: it may lapse on the way to the API.
const EXPIRY_MARGIN_MS = 10_000;

interface CachedToken {
  value: string;
  refreshAt: number;
  expiresAt: number;
}

/**
 * Creates a {@link TokenProvider} for `auth: { bearerToken }` that gets IAM access tokens for an
 * IBM Cloud API key (form-encoded `urn:ibm:params:oauth:grant-type:apikey` grant).
 *
 * The token is cached. Past `refreshAt` of its lifetime (80% by default) the cached token is still
 * served while one refresh runs in the background; once it is within 10 s of expiry, callers wait for
 * a new one. Concurrent callers share one in-flight request, and `forceRefresh` (sent by the client
 * when the API rejects a token as expired) always fetches a new token. A failed request is not
 * cached: the next call tries again. The API key and every issued token are redacted from errors.
 *
 * The returned function rejects with {@link AuthenticationError} carrying IAM's `errorCode` and
 * `errorMessage`, {@link ConnectionError} when IAM cannot be reached, {@link TimeoutError} after
 * `timeout`, or the signal's reason when the caller aborts.
 *
 * @throws {@link InvalidArgumentError} for a missing key, a `refreshAt` outside (0, 1], or a token
 *   URL that is not https (plain http is allowed on loopback, for tests).
 * @example
 * ```ts
 * import { SslOrdersClient, iamTokenProvider } from 'softlayer-ssl-orders';
 * const client = new SslOrdersClient({
 *   auth: { bearerToken: iamTokenProvider({ apiKey: process.env.IBMCLOUD_API_KEY ?? '' }) },
 * });
 * ```
 */
export function iamTokenProvider(
  options: IamTokenProviderOptions,
): (request: TokenRequest) => Promise<string> {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('options', 'iamTokenProvider needs { apiKey }');
  }
  const apiKey = requireSecret(
    options.apiKey,
    'apiKey',
    'pass an IBM Cloud API key (create one with `ibmcloud iam api-key-create`)',
  );
  if (options.tokenUrl !== undefined && typeof options.tokenUrl !== 'string') {
    throw new InvalidArgumentError('tokenUrl', 'tokenUrl must be a URL string');
  }
  const tokenUrl = checkTokenUrl(options.tokenUrl ?? DEFAULT_TOKEN_URL);
  const timeout = checkDuration(options.timeout ?? 30_000, 'timeout');
  const share = options.refreshAt ?? 0.8;
  if (typeof share !== 'number' || !(share > 0 && share <= 1))
    throw new InvalidArgumentError('refreshAt', 'refreshAt must be a number in (0, 1]');
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw new InvalidArgumentError('fetch', 'fetch must be a function');
  }
  const doFetch = options.fetch ?? globalThis.fetch;
  const seen: string[] = [apiKey];
  const redact = (text: string) => createRedactor(seen)(text);
  let cached: CachedToken | undefined;
  let pending: Promise<CachedToken> | undefined;

  const requestToken = async (): Promise<CachedToken> => {
    const info = { method: 'POST', path: 'identity/token' };
    const body = new URLSearchParams({ grant_type: GRANT_TYPE, apikey: apiKey, response_type: 'cloud_iam' });
    let response: Response;
    let text: string;
    // AbortSignal.timeout takes whole milliseconds only (else a RangeError); durations may have fractions.
    const signal = AbortSignal.timeout(Math.ceil(timeout));
    try {
      response = await doFetch(tokenUrl, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        body,
        signal,
      });
      text = await response.text();
    } catch (error) {
      if (signal.aborted) throw new TimeoutError({ ...info, timeoutMs: timeout, limit: 'attempt' });
      // Named as IAM, with its host: a failed token exchange is not the SoftLayer API being down.
      const code = systemErrorCode(error);
      throw new ConnectionError(
        {
          ...info,
          code,
          dispatched: mayHaveLeft(code),
          service: 'IBM Cloud IAM',
          host: new URL(tokenUrl).host,
        },
        error,
      );
    }
    let json: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null) json = parsed as Record<string, unknown>;
    } catch {
      // Reported below with an excerpt of the body.
    }
    if (!response.ok || typeof json['access_token'] !== 'string') {
      const code = typeof json['errorCode'] === 'string' ? redact(json['errorCode']) : undefined;
      const message =
        typeof json['errorMessage'] === 'string'
          ? json['errorMessage']
          : excerpt(text) || 'no token in the answer';
      throw new AuthenticationError({
        ...info,
        status: response.status,
        code,
        serverMessage: redact(`IAM: ${message}`),
      });
    }
    const value = json['access_token'] as string;
    seen.push(value);
    if (seen.length > 8) seen.splice(1, 1);
    const now = Date.now();
    // expires_in is relative, so a skewed local clock cannot make a fresh token look expired; IAM
    // sends it. The absolute `expiration` is only a fallback for an answer without it, and does
    // depend on the local clock. Neither: assume IAM's usual hour.
    let expiresAt = now + 3_600_000;
    if (typeof json['expires_in'] === 'number') expiresAt = now + json['expires_in'] * 1000;
    else if (typeof json['expiration'] === 'number') expiresAt = json['expiration'] * 1000;
    const lifetime = Math.max(0, expiresAt - now);
    return { value, expiresAt, refreshAt: now + lifetime * share };
  };

  const refresh = (): Promise<CachedToken> => {
    pending ??= requestToken().then(
      (token) => {
        cached = token;
        pending = undefined;
        return token;
      },
      (error: unknown) => {
        pending = undefined;
        throw error instanceof SslOrdersError
          ? error
          : new AuthenticationError({
              method: 'POST',
              path: 'identity/token',
              status: 0,
              code: undefined,
              serverMessage: 'token request failed',
            });
      },
    );
    return pending;
  };

  return async (request: TokenRequest) => {
    const now = Date.now();
    if (!request.forceRefresh && cached && now < cached.expiresAt - EXPIRY_MARGIN_MS) {
      // Past the refresh point but still valid: refresh in the background, keep serving the old one.
      if (now >= cached.refreshAt) refresh().catch(() => undefined);
      return cached.value;
    }
    // The refresh is shared: one caller's abort ends its own wait, not the others' token.
    return (await abortable(refresh(), request.signal)).value;
  };
}

function checkTokenUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('tokenUrl', 'tokenUrl is not a valid URL');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    throw new InvalidArgumentError('tokenUrl', 'tokenUrl must use https (plain http only on loopback)');
  }
  return url.href;
}
