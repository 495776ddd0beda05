/**
 * Benchmark data: orders shaped exactly as the SDK's object mask returns them (no CSR), built with
 * the emulator's deterministic generator so every benchmark and the emulator agree on the shape.
 */
import { generateOrders } from '../src/testing/seed.js';

/** An order with the fields of the SDK's mask. */
export interface WireOrder {
  id: number;
  accountId: number;
  commonName: string;
  approverEmailAddress: string;
  technicalContactEmailAddress: string;
  statusId: number;
  createDate: string;
  modifyDate: string;
  effectiveDate?: string;
  expirationDate?: string;
  status?: { id: number; name: string; description: string };
}

export const BENCH_ACCOUNT_ID = 1234567;
export const FIRST_ORDER_ID = 5_000_000;

/** `count` realistic orders; order FIRST_ORDER_ID is "Approved", so a fulfillment resend is allowed. */
export function wireOrders(count: number): WireOrder[] {
  return generateOrders(count, { startId: FIRST_ORDER_ID, accountId: BENCH_ACCOUNT_ID }).map((order) => {
    const { certificateSigningRequest: _csr, ...masked } = order;
    return masked as WireOrder;
  });
}

/** The JSON text of `count` orders, as a list response would carry it. */
export function ordersJson(count: number): string {
  return JSON.stringify(wireOrders(count));
}
