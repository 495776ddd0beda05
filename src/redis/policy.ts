/**
 * The eviction-policy check a Redis ledger runs at connect: under any `maxmemory-policy` but
 * `noeviction` Redis may drop ledger records under memory pressure, and a dropped record lets an email
 * be sent twice.
 *
 * @module
 */

/**
 * A warning from a Redis store, given to `onEvent`. Pass the same handler you give the client's
 * `onEvent` to see it beside the client's events.
 */
export interface RedisStoreWarningEvent {
  /** Always `ledger.warning`. */
  type: 'ledger.warning';
  /** `evicting-policy`: the server may evict keys under memory pressure, and with them records. */
  reason: 'evicting-policy';
  /** Where the store lives (`redis://host:port`), never a password. */
  store: string;
  /** The server's `maxmemory-policy`, e.g. `allkeys-lru`. */
  policy: string;
  /** One line saying what can go wrong and what to set. */
  message: string;
}

/** Policies under which Redis drops keys that a ledger still needs. Only `noeviction` keeps them. */
function evicts(policy: string): boolean {
  return policy !== 'noeviction';
}

/** `CONFIG GET` answers a flat array (RESP2) or a map (RESP3). */
function configValue(reply: unknown, name: string): string | undefined {
  if (Array.isArray(reply)) {
    const index = reply.findIndex((entry) => String(entry) === name);
    return index >= 0 && index + 1 < reply.length ? String(reply[index + 1]) : undefined;
  }
  if (reply instanceof Map) return reply.has(name) ? String(reply.get(name)) : undefined;
  if (reply && typeof reply === 'object' && name in reply)
    return String((reply as Record<string, unknown>)[name]);
  return undefined;
}

/** The warning for the server's `CONFIG GET maxmemory-policy` reply, or none when it keeps keys. */
export function policyWarning(store: string, reply: unknown): RedisStoreWarningEvent | undefined {
  const policy = configValue(reply, 'maxmemory-policy');
  if (policy === undefined || !evicts(policy)) return undefined;
  return {
    type: 'ledger.warning',
    reason: 'evicting-policy',
    store,
    policy,
    message:
      `${store} has maxmemory-policy ${policy}: under memory pressure Redis can evict ledger records, ` +
      'and an evicted record lets the same email be sent again; set maxmemory-policy noeviction.',
  };
}
