/**
 * What a call needs once it goes to the wire: ky, the call's callbacks (transport-call.ts), the
 * pacer, the pager and response validation. Loaded by the first call of the process (transport.ts
 * `loadWire`), in one chunk, so an app's startup carries only the client, its option checks, the
 * errors and the send pipeline; the first call fetches this chunk once, as it fetched the pacer alone
 * before (one dynamic import either way).
 *
 * @module
 */
import ky from 'ky';
import { type Call, kyCall, type Outcome, type TransportConfig } from './transport-call.js';
import type { Reply } from './transport-response.js';

// The pacer loads with the call code, not in a chunk of its own: a second chunk would be a second
// round trip on the first call (LazyPacer is handed `loadWire`, see client-config.ts).
export { Pacer, paceKey } from './pacer.js';
// The pager too: iteration's first page is a call, so this module is loaded by then anyway.
export { orderPages } from './paging.js';
// And response validation: every response is validated after its call, when this is loaded.
export { validateAccount, validateOrder, validateOrderList, validateStatusList } from './validate.js';

/**
 * Runs a call with retries; never throws.
 *
 * @param url - the call's absolute URL.
 * @param started - `Date.now()` when the call began: its `totalTimeout` counts from there, the load
 *   of this module included.
 */
export async function runCall(
  config: TransportConfig,
  host: string,
  url: string,
  call: Call,
  started: number,
): Promise<Outcome> {
  const run = kyCall(config, host, call, started);
  try {
    // Nearly always no wait: then no promise, and no extra turn of the event loop.
    const paced = run.pace();
    if (paced) await paced;
    try {
      await ky(url, run.options());
    } catch (failure) {
      if (!run.retryAfter(failure)) throw failure;
      await ky(url, run.options({ failure }));
    }
    config.budget?.recordSuccess(run.state.lastRetryCost);
    return { ok: true, reply: run.state.reply as Reply };
  } catch (error) {
    const reached = run.state.reached;
    if (call.signal?.aborted) return { ok: false, error: call.signal.reason, reached };
    return { ok: false, error: run.error(error), reached };
  }
}
