/**
 * The client's option resolution: every option checked once, at construction, into what the read and
 * send parts of {@link SslOrdersClient} use. No request is made here.
 *
 * @module
 */
import { resolveAuth } from './auth.js';
import { InvalidArgumentError } from './errors.js';
import { type SslOrdersEvent, safeEmitter } from './events.js';
import { checkDuration, checkFunction, checkInteger, checkUserAgent } from './internal/arguments.js';
import { resolveBaseUrl } from './internal/endpoint.js';
import { DEFAULTS, type SslOrdersClientOptions } from './options.js';
import { checkRateLimit, LazyPacer } from './pace.js';
import { type RetryPolicy, resolveRetryPolicy } from './retry.js';
import { RetryBudget } from './retry-budget.js';
import { checkRetryOptions } from './retry-options.js';
import type { SenderConfig } from './send.js';
import type { SendLedger } from './send-ledger.js';
import { checkLedger, checkRetention } from './send-ledger-check.js';
import { loadWire, Transport } from './transport.js';
import { VERSION } from './version.js';

/** The send settings of a client; `ledger` stays `undefined` until the first send makes a memory one. */
export type SendSettings = Omit<SenderConfig, 'readOrder' | 'accountId' | 'ledger'> & {
  ledger: SendLedger | undefined;
};

/** What a client runs on, resolved from its options. */
export interface ClientConfig {
  baseUrl: string;
  authKind: string;
  configuredAccountId: number | undefined;
  retry: RetryPolicy;
  emit: (event: SslOrdersEvent) => void;
  transport: Transport;
  send: SendSettings;
}

/**
 * Checks every option of {@link SslOrdersClientOptions} and builds the transport.
 *
 * @throws {@link InvalidArgumentError} when an option is missing or wrong; the message says how to fix it.
 */
export function resolveClientConfig(options: SslOrdersClientOptions): ClientConfig {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError(
      'options',
      'SslOrdersClient needs an options object with at least { auth }',
    );
  }
  const auth = resolveAuth(options.auth);
  if (options.accountId !== undefined)
    checkInteger(options.accountId, 'accountId', 1, Number.MAX_SAFE_INTEGER);
  const baseUrl = resolveBaseUrl(options.baseUrl, DEFAULTS);
  const timeout = checkDuration(options.timeout ?? DEFAULTS.timeout, 'timeout');
  const totalTimeout =
    options.totalTimeout === undefined ? undefined : checkDuration(options.totalTimeout, 'totalTimeout');
  const retryOptions = checkRetryOptions(options.retry);
  const retry = resolveRetryPolicy(retryOptions, DEFAULTS.retry);
  const budget =
    retryOptions === false || retryOptions?.budget === false
      ? undefined
      : new RetryBudget(retryOptions?.budget, DEFAULTS.retryBudget);
  checkFunction(options.confirm, 'confirm');
  checkFunction(options.fetch, 'fetch');
  checkFunction(options.onEvent, 'onEvent');
  const cooldown = checkDuration(options.sendCooldown ?? DEFAULTS.sendCooldown, 'sendCooldown', true);
  const retention = checkRetention(options.sendRetention);
  const ledger = checkLedger(options.sendLedger);
  const userAgent = checkUserAgent(options.userAgent);
  const emit = safeEmitter(options.onEvent);
  const pace = checkRateLimit(options.rateLimit);
  const transport = new Transport({
    baseUrl,
    timeout,
    totalTimeout,
    fetch: options.fetch,
    userAgent: `softlayer-ssl-orders/${VERSION}${userAgent ? ` ${userAgent}` : ''}`,
    auth,
    retry,
    budget,
    emit,
    pacer: pace ? new LazyPacer(baseUrl, options.auth, pace, emit, loadWire) : undefined,
  });
  return {
    baseUrl,
    authKind: auth.kind,
    configuredAccountId: options.accountId,
    retry,
    emit,
    transport,
    send: {
      transport,
      confirm: options.confirm,
      ledger,
      cooldown,
      retention,
      host: new URL(baseUrl).host,
      timeout,
      retry,
      totalTimeout,
      emit,
    },
  };
}
