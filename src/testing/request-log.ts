/**
 * The request log and the outbox: what tests assert on.
 *
 * @module
 */
import type { EmailType, OutboxEntry, RecordedRequest, RequestCountFilter, SeedOrder } from './types.js';

/** A request log entry while the request is in flight. */
export type MutableRecordedRequest = { -readonly [K in keyof RecordedRequest]: RecordedRequest[K] };

/** Every request received and every email sent, oldest first. */
export class RequestLog {
  private sent: OutboxEntry[] = [];
  private log: MutableRecordedRequest[] = [];
  private nextRequestId = 1;

  get outbox(): readonly OutboxEntry[] {
    return this.sent;
  }

  get requests(): readonly RecordedRequest[] {
    return this.log;
  }

  /** Counts recorded requests matching every given field. */
  count(filter: RequestCountFilter = {}): number {
    const method = filter.method?.toUpperCase();
    return this.log.filter(
      (r) =>
        (filter.route === undefined || r.route === filter.route) &&
        (method === undefined || r.method === method) &&
        (filter.methodName === undefined || r.methodName === filter.methodName) &&
        (filter.status === undefined || r.status === filter.status),
    ).length;
  }

  /** Logs a request as it arrives; the caller fills in its status and fault as they become known. */
  start(entry: Omit<MutableRecordedRequest, 'requestId' | 'at'>): MutableRecordedRequest {
    const record: MutableRecordedRequest = {
      requestId: this.nextRequestId++,
      at: new Date().toISOString(),
      ...entry,
    };
    this.log.push(record);
    return record;
  }

  /** Records an email the emulated CA sent. */
  email(order: SeedOrder, emailType: EmailType, requestId: number): void {
    this.sent.push(
      Object.freeze({
        orderId: order.id,
        emailType,
        recipient: order.approverEmailAddress,
        commonName: order.commonName,
        at: new Date().toISOString(),
        requestId,
      }),
    );
  }

  clear(): void {
    this.sent = [];
    this.log = [];
    this.nextRequestId = 1;
  }
}
