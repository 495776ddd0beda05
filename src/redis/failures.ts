/**
 * Turning node-redis errors into {@link RedisStoreError}s: which failure it was, and a copy of the
 * driver's error that cannot carry the password (only its name, code and scrubbed message).
 *
 * @module
 */
import { RedisStoreError, type RedisStoreFailure } from './errors.js';
import type { RedisTarget } from './target.js';

/** node-redis wraps the socket's error when its reconnect strategy gives up. */
function unwrap(error: unknown): unknown {
  const original = (error as { originalError?: unknown } | null)?.originalError;
  return original instanceof Error ? original : error;
}

/** The failure class of a node-redis (or socket) error. */
export function classify(wrapped: unknown): RedisStoreFailure {
  const error = unwrap(wrapped);
  const name = error instanceof Error ? `${error.constructor.name} ${error.name}` : '';
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (/^(WRONGPASS|NOAUTH|NOPERM)\b/.test(message) || /invalid password|auth/i.test(message)) return 'auth';
  if (name.includes('Timeout') || code === 'ETIMEDOUT') return 'timeout';
  if (
    typeof code === 'string' &&
    (code.startsWith('ERR_SSL') ||
      code.startsWith('ERR_TLS') ||
      /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code))
  )
    return 'tls';
  if (/ErrorReply|SimpleError|BlobError/.test(name)) return 'command';
  return 'unreachable';
}

/** `text` with every spelling in `secrets` (longest first) replaced by `***`. */
function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join('***');
  return out;
}

/** A copy of a driver error that cannot carry a secret: name, code and the message with `secrets` removed. */
function scrubbed(error: unknown, secrets: readonly string[]): Error {
  const inner = unwrap(error);
  const source = inner instanceof Error ? inner : new Error(String(inner));
  const message = scrub(source.message, secrets);
  const copy = new Error(message);
  copy.name = source.constructor.name === 'Error' ? source.name : source.constructor.name;
  const code = (source as { code?: unknown }).code;
  if (typeof code === 'string') (copy as Error & { code: string }).code = code;
  copy.stack = `${copy.name}: ${message}`;
  return copy;
}

const WHAT: Record<RedisStoreFailure, string> = {
  unreachable: 'could not reach Redis',
  timeout: 'Redis did not answer in time',
  auth: 'Redis refused the username or password',
  tls: 'the TLS handshake with Redis failed',
  record: 'Redis holds a record this SDK cannot read',
  closed: 'the Redis connection is closed',
  command: 'Redis refused the command',
};

const HINT: Record<RedisStoreFailure, string> = {
  unreachable: 'check the host and port, and that the server is running',
  timeout: 'check the network and the server load',
  auth: 'check the username and password in the URL',
  tls: 'pass the server certificate authority as tls.ca, or use redis:// for a plain port',
  record: 'inspect or delete the key',
  closed: 'create a new ledger, or connect the client you passed',
  command: 'see the cause',
};

/** A {@link RedisStoreError} naming the host and port, with a scrubbed copy of `cause`. */
export function storeError(
  target: RedisTarget,
  secrets: readonly string[],
  info: { failure: RedisStoreFailure; operation: string; cause: unknown; detail?: string | undefined },
): RedisStoreError {
  const { failure, operation, cause, detail } = info;
  const why =
    detail === undefined
      ? cause instanceof Error
        ? scrubbed(cause, secrets).message
        : undefined
      : scrub(detail, secrets);
  return new RedisStoreError(
    {
      failure,
      host: target.host,
      port: target.port,
      operation,
      ...(cause === undefined ? {} : { cause: scrubbed(cause, secrets) }),
    },
    `${operation}: ${WHAT[failure]} at ${target.description}${why ? ` (${why})` : ''}; ${HINT[failure]}.`,
  );
}
