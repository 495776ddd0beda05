import type { Emulator } from '../../src/testing/index.js';

/** An HTTP Basic Authorization header value. */
export function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** The Authorization header of the emulator's default classic user. */
export function classicAuth(emulator: Pick<Emulator, 'credentials'>): string {
  return basic(emulator.credentials.username, emulator.credentials.apiKey);
}

export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

/**
 * Calls the emulator: `path` is relative to `emulator.url` (…/rest/v3.1/) unless it starts with '/'.
 * Authenticates as the default classic user unless `authorization` is given (null = no header).
 */
export async function call(
  emulator: Pick<Emulator, 'url' | 'origin' | 'credentials'>,
  path: string,
  init: { method?: string; body?: unknown; authorization?: string | null; signal?: AbortSignal } = {},
): Promise<CallResult> {
  const url = path.startsWith('/') ? `${emulator.origin}${path}` : `${emulator.url}${path}`;
  const headers: Record<string, string> = {};
  const authorization = init.authorization === undefined ? classicAuth(emulator) : init.authorization;
  if (authorization !== null) headers['authorization'] = authorization;
  let body: string | undefined;
  if (init.body !== undefined) {
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(url, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    ...(body === undefined ? {} : { body }),
    ...(init.signal ? { signal: init.signal } : {}),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Query-string helper: `q({ objectMask: 'mask[id]' })` → `?objectMask=mask%5Bid%5D`. */
export function q(params: Record<string, string | object>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    search.set(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return `?${search.toString()}`;
}
