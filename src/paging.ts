/**
 * Iteration over the order list that never loses an order, whatever the server does with
 * `resultLimit`, the offset, the page size or the filter (SLDN documents none of them for
 * `getSslCertificateRequests`), and that fetches pages ahead once their size is known.
 *
 * - A capped page (fewer orders than asked although more match): go on from what was received, at
 *   the size the server really sends.
 * - `resultLimit` ignored (more orders than asked): that answer is everything.
 * - The offset ignored (a later page repeats the first): one request without `resultLimit`, whose
 *   orders are yielded without those already yielded, with a `paging.offset-ignored` event.
 * - The filter ignored: the client drops what does not match (in the client's page reader); paging
 *   counts what the server sent, so nothing is skipped.
 *
 * @module
 */
import type { SslOrdersEvent } from './events.js';
import type { SslOrder } from './order.js';

/** One answer of the list endpoint, as the pager needs it. */
export interface RawPage {
  /** The orders that match the filter (the server may have sent others too). */
  orders: SslOrder[];
  /** The ids of every order the server sent, in its order. */
  ids: number[];
  /** The `SoftLayer-Total-Items` header, if any. */
  total: number | undefined;
}

/** Reads the page at `offset` of `limit` orders; `limit` undefined: without `resultLimit`. */
export type PageReader = (offset: number, limit: number | undefined, signal: AbortSignal) => Promise<RawPage>;

/** How to page. */
export interface PagingPlan {
  pageSize: number;
  /** Pages fetched ahead, and the most pages held at once (the one being consumed included). */
  concurrency: number;
  signal: AbortSignal | undefined;
  emit: (event: SslOrdersEvent) => void;
}

interface Pending {
  offset: number;
  size: number;
  controller: AbortController;
  result: Promise<RawPage>;
}

/**
 * Yields the matching orders page by page, in order. Returning early (a consumer's `break`) aborts
 * the pages in flight; a failed page ends the iteration with its error after the pages before it.
 */
export async function* orderPages(
  read: PageReader,
  plan: PagingPlan,
): AsyncGenerator<SslOrder[], void, undefined> {
  const { pageSize, concurrency, signal, emit } = plan;
  const inFlight: Pending[] = [];
  const start = (offset: number, size: number | undefined): Pending => {
    const controller = new AbortController();
    const combined = signal ? AbortSignal.any([signal, controller.signal]) : controller.signal;
    const result = read(offset, size, combined);
    // Awaited later, or dropped after an abort: never an unhandled rejection meanwhile.
    result.catch(() => undefined);
    return { offset, size: size ?? 0, controller, result };
  };
  const cancel = () => {
    for (const pending of inFlight.splice(0)) pending.controller.abort();
  };
  try {
    const first = await start(0, pageSize).result;
    yield first.orders;
    const received = first.ids.length;
    let total = first.total;
    // More than asked: the server ignores resultLimit and that answer was everything.
    if (received === 0 || received > pageSize || (total !== undefined && received >= total)) return;
    let size = pageSize;
    let next = received;
    let probing = false;
    if (received < pageSize) {
      // Short of the total: the server caps pages. Without a total, only the next page can tell.
      size = received;
      if (total === undefined) probing = true;
      else emit({ type: 'paging.capped', asked: pageSize, received });
    }
    const firstIds = new Set(first.ids);
    for (;;) {
      // Without a total the end is only known from a short or empty page: one page at a time.
      const ahead = total === undefined ? 1 : concurrency;
      while (inFlight.length < ahead && (total === undefined ? inFlight.length === 0 : next < total)) {
        inFlight.push(start(next, size));
        next += size;
      }
      const head = inFlight.shift();
      if (!head) return;
      const page = await head.result;
      const got = page.ids.length;
      if (page.total !== undefined && (total === undefined || page.total > total)) total = page.total;
      if (got > 0 && firstIds.has(page.ids[0]!)) {
        // The first page again for a later offset: the server ignores the offset.
        cancel();
        const all = await start(0, undefined).result;
        const fresh = all.orders.filter((order) => !firstIds.has(order.id));
        emit({
          type: 'paging.offset-ignored',
          offset: head.offset,
          skipped: all.orders.length - fresh.length,
        });
        yield fresh;
        return;
      }
      if (probing && got > 0) {
        probing = false;
        emit({ type: 'paging.capped', asked: pageSize, received: size });
      }
      yield page.orders;
      if (got === 0 || got > head.size) return;
      if (got < head.size) {
        if (total === undefined || head.offset + got >= total) return;
        // Fewer than the size this server sent before: go on from what came, at the new size.
        cancel();
        size = got;
        next = head.offset + got;
        emit({ type: 'paging.capped', asked: head.size, received: got });
      }
    }
  } finally {
    cancel();
  }
}
