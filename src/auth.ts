/**
 * Credentials: the three ways IBM Cloud classic accepts them, checked up front and turned into an
 * Authorization header. Secrets live in closures and private fields only, never on a visible object.
 *
 * @module
 */
import { InvalidArgumentError } from './errors.js';
import { abortable } from './internal/abort.js';
import { base64, createRedactor, type Redactor } from './internal/redact.js';

/** A classic infrastructure user name and that user's classic API key (HTTP Basic). */
export interface ClassicAuth {
  /** The classic user name, usually `<accountId>_<email>`, e.g. `SL1234567_jane@example.com`. */
  username: string;
  /** The user's classic API key (64 hex characters). */
  apiKey: string;
}

/** An IBM Cloud API key, sent as HTTP Basic with the literal user name `apikey`. */
export interface IbmCloudApiKeyAuth {
  /** The IBM Cloud (platform) API key. */
  ibmCloudApiKey: string;
}

/** What a {@link TokenProvider} is told when it is asked for a token. */
export interface TokenRequest {
  /** `true` when the API rejected the last token as expired: return a fresh one, not a cached one. */
  forceRefresh: boolean;
  /** Aborts when the call that needs the token is aborted. */
  signal?: AbortSignal | undefined;
}

/** Returns an IAM access token; called before each request, so it should cache. */
export type TokenProvider = (request: TokenRequest) => string | Promise<string>;

/** An IAM bearer token, or a function that provides one (see {@link iamTokenProvider}). */
export interface BearerAuth {
  /** The access token, or a provider the client asks for a token before each request. */
  bearerToken: string | TokenProvider;
}

/** The `auth` option: one of the three credential shapes. */
export type Auth = ClassicAuth | IbmCloudApiKeyAuth | BearerAuth;

/** The resolved credentials the transport uses. */
export interface AuthState {
  readonly kind: 'classic' | 'ibmCloudApiKey' | 'bearer';
  /**
   * Where the credential came from, in the words the user set it with, e.g. `auth.username +
   * auth.apiKey` or `SL_USERNAME + ~/.softlayer api_key`. No secret; for AuthenticationError messages.
   */
  readonly source: string;
  /** Whether a rejected token can be replaced by asking the provider again. */
  readonly refreshable: boolean;
  /** The Authorization header value. */
  header(request: TokenRequest): string | Promise<string>;
  /** Replaces every secret this state has seen (keys, tokens, header values) with `[REDACTED]`. */
  redact: Redactor;
}

/**
 * What the user set for each field of an `auth` object that did not come from the `auth` option
 * itself (`fromEnv`): field → name (`SL_API_KEY`, `~/.softlayer api_key`), and the whole source.
 */
export interface AuthOrigin {
  readonly names: Readonly<Partial<Record<'username' | 'apiKey' | 'ibmCloudApiKey', string>>>;
  readonly source: string;
}

// Kept beside the object, not on it: the auth object stays exactly what the types say it is.
const origins = new WeakMap<object, AuthOrigin>();

/** Records where an `auth` object's fields came from, so messages name the variable or file. */
export function withOrigin<T extends Auth>(auth: T, origin: AuthOrigin): T {
  origins.set(auth, origin);
  return auth;
}

const SHORTEST_SECRET = 4;

/**
 * Checks a key or token: a string of visible ASCII, at least 4 characters. Internal (iam.ts uses it).
 *
 * @throws {@link InvalidArgumentError} naming `argument`, never showing the value.
 */
export function requireSecret(value: unknown, argument: string, hint: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidArgumentError(argument, `${argument} is missing or empty: ${hint}`);
  }
  // Keys and tokens are visible ASCII. fetch refuses control characters and anything past Latin-1
  // in a header, with an error that quotes the whole header; a space or a non-ASCII letter is never
  // part of a real key either. The message gives the position, never the value.
  const at = value.search(/[^!-~]/);
  if (at >= 0) {
    throw new InvalidArgumentError(
      argument,
      `${argument} has a space, line break, control or non-ASCII character at position ${at + 1}, which no key or token has: ${hint}`,
    );
  }
  if (value.length < SHORTEST_SECRET) {
    throw new InvalidArgumentError(argument, `${argument} does not look like a credential: ${hint}`);
  }
  return value;
}

const SHAPES = '{ username, apiKey }, { ibmCloudApiKey } or { bearerToken }';

/**
 * Checks the `auth` option and builds the header logic for it.
 *
 * @throws {@link InvalidArgumentError} when `auth` is not exactly one complete credential shape, or a
 *   key or token holds a character an HTTP header cannot carry (the message never shows the value).
 */
export function resolveAuth(auth: unknown): AuthState {
  if (typeof auth !== 'object' || auth === null) {
    throw new InvalidArgumentError(
      'auth',
      `auth is required: pass ${SHAPES}, or use SslOrdersClient.fromEnv()`,
    );
  }
  const given = ['username', 'apiKey', 'ibmCloudApiKey', 'bearerToken'].filter((key) => key in auth);
  const record = auth as Record<string, unknown>;
  const origin = origins.get(auth);
  const name = (field: keyof AuthOrigin['names']) => origin?.names[field] ?? `auth.${field}`;
  const isBearer = 'bearerToken' in auth;
  if ((isBearer || 'ibmCloudApiKey' in auth) && given.length > 1) {
    throw new InvalidArgumentError(
      'auth',
      `auth mixes credential kinds (${given.join(', ')}): pass one of ${SHAPES}`,
    );
  }
  // The option's own names unless fromEnv recorded the variables: `auth.username + auth.apiKey`.
  const source = origin?.source ?? given.map((key) => `auth.${key}`).join(' + ');
  if (isBearer) return bearerState(record['bearerToken']);
  if ('ibmCloudApiKey' in auth) {
    const key = requireSecret(
      record['ibmCloudApiKey'],
      name('ibmCloudApiKey'),
      'create one with `ibmcloud iam api-key-create`',
    );
    return basicState('ibmCloudApiKey', 'apikey', key, source);
  }
  if ('username' in auth || 'apiKey' in auth) {
    const username = record['username'];
    const userName = name('username');
    if (typeof username !== 'string' || username.trim() === '') {
      throw new InvalidArgumentError(
        userName,
        `${userName} is missing or empty: use the classic user name, e.g. SL1234567_jane`,
      );
    }
    // The user name is base64-encoded, so any letter is fine; ":" would end it early.
    if (/[:\p{Cc}]/u.test(username)) {
      throw new InvalidArgumentError(userName, `${userName} must not contain ":" or control characters`);
    }
    const apiKey = requireSecret(
      record['apiKey'],
      name('apiKey'),
      "find the user's classic API key in the console under Access (IAM) > API keys",
    );
    return basicState('classic', username, apiKey, source);
  }
  throw new InvalidArgumentError('auth', `auth has no credential: pass ${SHAPES}`);
}

function basicState(
  kind: 'classic' | 'ibmCloudApiKey',
  username: string,
  key: string,
  source: string,
): AuthState {
  const header = `Basic ${base64(`${username}:${key}`)}`;
  return {
    kind,
    source,
    refreshable: false,
    header: () => header,
    redact: createRedactor([key, header, header.slice('Basic '.length)]),
  };
}

function bearerState(token: unknown): AuthState {
  if (typeof token === 'function') {
    const provider = token as TokenProvider;
    const seen: string[] = [];
    let redact: Redactor = createRedactor([]);
    const remember = (value: unknown): string => {
      const checked = requireSecret(
        withoutScheme(value),
        'auth.bearerToken',
        'the token provider must return a non-empty token string',
      );
      if (!seen.includes(checked)) {
        seen.push(checked);
        // Only the latest few tokens can still appear anywhere; older ones are long expired.
        if (seen.length > 8) seen.shift();
        redact = createRedactor(seen);
      }
      return `Bearer ${checked}`;
    };
    return {
      kind: 'bearer',
      source: 'auth.bearerToken',
      refreshable: true,
      header: (request) => {
        const value = provider(request);
        // A provider may wait on a shared refresh; the caller's abort must end its wait at once.
        return typeof value === 'string'
          ? remember(value)
          : abortable(Promise.resolve(value), request.signal).then(remember);
      },
      redact: (text) => redact(text),
    };
  }
  const value = requireSecret(
    withoutScheme(token),
    'auth.bearerToken',
    'pass an IAM access token or a function that returns one',
  );
  const header = `Bearer ${value}`;
  return {
    kind: 'bearer',
    source: 'auth.bearerToken',
    refreshable: false,
    header: () => header,
    redact: createRedactor([value]),
  };
}

// Tokens copied from an Authorization header often keep their scheme; "Bearer Bearer x" would fail.
function withoutScheme(value: unknown): unknown {
  return typeof value === 'string' ? value.replace(/^Bearer\s+/i, '') : value;
}
