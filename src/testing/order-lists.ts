/**
 * Memoized order lists, dropped whenever the orders change: paging through 100,000 orders must not
 * filter and sort them again for every page.
 *
 * @module
 */
import type { SeedOrder } from './types.js';

interface Entry {
  readonly version: number;
  readonly orders: readonly SeedOrder[];
}

/** The lists computed since the orders last changed. */
export class OrderLists {
  private version = 0;
  private account: Entry | null = null;
  private readonly byKey = new Map<string, Entry>();

  /** Forgets every list: the orders changed. */
  changed(): void {
    this.version++;
    this.byKey.clear();
  }

  /** The account's orders, computed once per change. */
  accountOrders(compute: () => readonly SeedOrder[]): readonly SeedOrder[] {
    if (this.account?.version !== this.version) this.account = { version: this.version, orders: compute() };
    return this.account.orders;
  }

  /** A list per key (the filter text), at most 33 kept. */
  cached(key: string, compute: () => readonly SeedOrder[]): readonly SeedOrder[] {
    const hit = this.byKey.get(key);
    if (hit && hit.version === this.version) return hit.orders;
    const orders = compute();
    if (this.byKey.size > 32) this.byKey.clear();
    this.byKey.set(key, { version: this.version, orders });
    return orders;
  }
}
