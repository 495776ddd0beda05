/**
 * `softlayer-ssl-orders/redis`: the send ledger and the rate limiter on Redis, for fleets of processes
 * and hosts. Needs the optional peer dependency `redis` (node-redis v6); the main entry never loads it.
 * See docs/fleet.md for the Redis settings a ledger needs.
 *
 * @module
 */

export { RedisStoreError, type RedisStoreFailure } from './errors.js';
export {
  RedisSendLedger,
  type RedisSendLedgerOptions,
  type RedisSendLedgerSettings,
  type RedisStoreWarningEvent,
} from './ledger.js';
export { type RateSlot, RedisRateLimiter, type RedisRateLimiterSettings } from './rate-limiter.js';
export type { RedisCommandClient, RedisConnectionOptions, RedisTlsOptions } from './target.js';
