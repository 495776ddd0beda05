/**
 * How a Redis store is reached: the connection options (a URL or a caller's node-redis client) and the
 * secret-free target (host, port, `redis://host:port`) that errors and events name.
 *
 * @module
 */
import type { ConnectionOptions } from 'node:tls';
import { InvalidArgumentError } from '../errors.js';

/**
 * The part of a node-redis v6 client this package uses. A client from `createClient()` fits; it must be
 * connected (`await client.connect()`) before the first operation.
 */
export interface RedisCommandClient {
  /** node-redis's raw command call. */
  sendCommand(args: ReadonlyArray<string>, options?: { timeout?: number }): Promise<unknown>;
  /** Whether the socket is open. */
  readonly isOpen: boolean;
}

/** TLS settings for `rediss://` URLs, passed to node-redis's `socket` options (Node's `tls.connect`). */
export type RedisTlsOptions = Pick<
  ConnectionOptions,
  'ca' | 'cert' | 'key' | 'servername' | 'rejectUnauthorized' | 'minVersion'
>;

/** How a ledger or limiter reaches Redis. */
export type RedisConnectionOptions =
  | {
      /**
       * `redis://[user:password@]host[:port][/db]` or `rediss://…` for TLS. The password is used to
       * log in and appears in no message, event or error.
       */
      url: string;
      /** TLS settings for `rediss://` (for example `{ ca }` of a private certificate authority). */
      tls?: RedisTlsOptions | undefined;
      /** Longest wait for the connection (TCP, TLS and login), in milliseconds. Default 2,000. */
      connectTimeoutMs?: number | undefined;
      /** Not with `url`. */
      client?: undefined;
    }
  | {
      /** A connected node-redis v6 client that the caller owns: it is never closed here. */
      client: RedisCommandClient;
      /** Not with `client`. */
      url?: undefined;
      /** Not with `client`: TLS is the client's own setting. */
      tls?: undefined;
      /** Not with `client`. */
      connectTimeoutMs?: undefined;
    };

/** Where a connection goes, secret-free. */
export interface RedisTarget {
  host: string;
  port: number;
  /** `redis://host:port` or `rediss://host:port`. */
  description: string;
}

/**
 * Every spelling of the password in `url` that a message could carry: as written (before the last `@`
 * and after the first `:` of the user part), as the URL parser keeps it (percent-encoded: `@` and `:`
 * become `%40` and `%3A`), and decoded (what is sent to Redis). Longest first, so scrubbing one
 * spelling never leaves part of a longer one behind.
 */
export function passwordSpellings(url: string, parsedPassword?: string): string[] {
  const spellings = new Set<string>();
  const scheme = url.indexOf('://');
  const at = url.lastIndexOf('@');
  if (scheme >= 0 && at > scheme) {
    const userinfo = url.slice(scheme + 3, at);
    const colon = userinfo.indexOf(':');
    if (colon >= 0) spellings.add(userinfo.slice(colon + 1));
  }
  if (parsedPassword) {
    spellings.add(parsedPassword);
    try {
      spellings.add(decodeURIComponent(parsedPassword));
    } catch {
      // A lone `%` is sent as written.
    }
  }
  for (const each of [...spellings]) {
    try {
      spellings.add(decodeURIComponent(each));
    } catch {
      // as above
    }
    spellings.add(encodeURIComponent(each));
  }
  return [...spellings].filter((each) => each.length > 0).sort((a, b) => b.length - a.length);
}

/** Parses a Redis URL into a secret-free target, or throws an {@link InvalidArgumentError}. */
export function parseRedisUrl(
  url: string,
  option = 'url',
): RedisTarget & { tls: boolean; password?: string; secrets: string[] } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Name the host and port as written, never what comes before an @ (user and password).
    const scheme = url.indexOf('://');
    const start = Math.max(url.lastIndexOf('@') + 1, scheme >= 0 ? scheme + 3 : url.length);
    const written = /^[^/?#\s]*/.exec(url.slice(start))?.[0];
    throw new InvalidArgumentError(
      option,
      `${option} is not a valid URL${written ? ` (host and port "${written}")` : ''}: expected ` +
        'redis://[user:password@]host[:port][/db] or rediss://… for TLS, with a port from 1 to 65535.',
    );
  }
  const scheme = parsed.protocol.slice(0, -1);
  if (scheme !== 'redis' && scheme !== 'rediss')
    throw new InvalidArgumentError(
      option,
      `${option} must start with redis:// or rediss:// (TLS); got ${scheme}://${parsed.host}.`,
    );
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '')
    throw new InvalidArgumentError(option, `${option} names no host: expected ${scheme}://host[:port].`);
  const port = parsed.port === '' ? 6379 : Number(parsed.port);
  let password: string | undefined;
  try {
    password = parsed.password === '' ? undefined : decodeURIComponent(parsed.password);
  } catch {
    password = parsed.password;
  }
  return {
    host,
    port,
    tls: scheme === 'rediss',
    description: `${scheme}://${parsed.hostname}:${port}`,
    secrets: passwordSpellings(url, parsed.password),
    ...(password === undefined ? {} : { password }),
  };
}

/** The passwords a caller's client was created with (URL and `password` option), in every spelling. */
export function secretsOfClient(client: RedisCommandClient): string[] {
  const options = (client as { options?: { url?: unknown; password?: unknown } }).options;
  const secrets = new Set<string>();
  if (typeof options?.url === 'string') {
    let parsed = '';
    try {
      parsed = new URL(options.url).password;
    } catch {
      // not a URL: only the spelling as written
    }
    for (const each of passwordSpellings(options.url, parsed)) secrets.add(each);
  }
  if (typeof options?.password === 'string' && options.password !== '')
    for (const each of passwordSpellings(`redis://:${options.password}@host`, options.password))
      secrets.add(each);
  return [...secrets].sort((a, b) => b.length - a.length);
}

/** The secret-free target of a caller's client, from its `url` or `socket` options. */
export function targetOfClient(client: RedisCommandClient): RedisTarget {
  const options = (
    client as { options?: { url?: string; socket?: { host?: string; port?: number; tls?: boolean } } }
  ).options;
  if (options?.url) {
    try {
      const { host, port, description } = parseRedisUrl(options.url);
      return { host, port, description };
    } catch {
      // fall through to the socket options
    }
  }
  const host = options?.socket?.host ?? 'localhost';
  const port = options?.socket?.port ?? 6379;
  return { host, port, description: `${options?.socket?.tls ? 'rediss' : 'redis'}://${host}:${port}` };
}
