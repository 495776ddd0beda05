import { describe, expect, it } from 'vitest';
import { generateOrders, SSL_REQUEST_STATUSES, seedOrders, startEmulator } from '../../src/testing/index.js';
import { call, q } from './helpers.js';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-0[56]:00$/;

describe('seedOrders', () => {
  const orders = seedOrders();

  it('covers every status, with several Approved and Complete orders', () => {
    const count = (name: string) => orders.filter((o) => o.status?.name === name).length;
    expect(orders.length).toBeGreaterThanOrEqual(10);
    expect(count('Pending CA Approval')).toBeGreaterThanOrEqual(1);
    expect(count('Canceled')).toBeGreaterThanOrEqual(1);
    expect(count('Approved')).toBeGreaterThanOrEqual(2);
    expect(count('Complete')).toBeGreaterThanOrEqual(2);
  });

  it('has consistent, well-formed orders', () => {
    const ids = new Set(orders.map((o) => o.id));
    expect(ids.size).toBe(orders.length);
    for (const order of orders) {
      expect(order.accountId).toBe(1234567);
      expect(order.status).toEqual(SSL_REQUEST_STATUSES.find((s) => s.id === order.statusId));
      expect(order.certificateSigningRequest).toMatch(
        /^-----BEGIN CERTIFICATE REQUEST-----\n[\s\S]+\n-----END CERTIFICATE REQUEST-----\n$/,
      );
      expect(order.approverEmailAddress).toMatch(/^[^@\s]+@[^@\s]+$/);
      for (const date of [order.createDate, order.modifyDate, order.expirationDate, order.effectiveDate]) {
        if (date !== undefined) expect(date).toMatch(RFC3339);
      }
      const pendingOrCanceled =
        order.status?.name === 'Pending CA Approval' || order.status?.name === 'Canceled';
      expect(order.effectiveDate === undefined).toBe(pendingOrCanceled);
    }
  });

  it('returns fresh objects and honours the account id', () => {
    expect(seedOrders()).not.toBe(orders);
    expect(seedOrders(42).every((o) => o.accountId === 42)).toBe(true);
  });
});

describe('generateOrders', () => {
  it('is deterministic, with ids from 5,000,000 and cycling statuses', () => {
    const a = generateOrders(10);
    expect(a).toEqual(generateOrders(10));
    expect(a.map((o) => o.id)).toEqual(Array.from({ length: 10 }, (_, i) => 5_000_000 + i));
    expect(a[3]?.commonName).toBe('host-3.example.com');
    expect(new Set(a.map((o) => o.status?.name))).toEqual(new Set(SSL_REQUEST_STATUSES.map((s) => s.name)));
    for (const order of a) {
      expect(order.createDate).toMatch(RFC3339);
      expect(order.effectiveDate === undefined).toBe(order.statusId === 1 || order.statusId === 4);
    }
  });

  it('takes a start id, account and domain, and rejects a bad count', () => {
    const [first] = generateOrders(1, { startId: 7, accountId: 9, domain: 'test.example' });
    expect(first).toMatchObject({
      id: 7,
      accountId: 9,
      commonName: 'host-0.test.example',
      approverEmailAddress: 'admin@test.example',
    });
    expect(() => generateOrders(-1)).toThrow(RangeError);
  });

  it('serves 100,000 orders, paged and filtered, quickly', async () => {
    await using emulator = await startEmulator({ orderCount: 100_000 });
    const page = (offset: number, filter?: object) =>
      call(
        emulator,
        `SoftLayer_Security_Certificate_Request/getSslCertificateRequests.json${q({
          objectMask: 'mask[id,commonName,status[name]]',
          resultLimit: `${offset},100`,
          ...(filter ? { objectFilter: filter } : {}),
        })}`,
        { body: { parameters: [emulator.accountId] } },
      );
    const started = performance.now();
    const last = await page(99_900);
    expect(last.headers.get('softlayer-total-items')).toBe('100000');
    expect((last.json as { id: number }[]).at(-1)?.id).toBe(5_099_999);
    const approvedDesc = {
      status: { name: { operation: 'Approved' } },
      id: { operation: 'orderBy', options: [{ name: 'sort', value: ['DESC'] }] },
    };
    const first = await page(0, approvedDesc);
    expect(first.headers.get('softlayer-total-items')).toBe('20000');
    expect((first.json as { id: number }[])[0]).toEqual({
      id: 5_099_995,
      commonName: 'host-99995.example.com',
      status: { name: 'Approved' },
    });
    const second = await page(100, approvedDesc);
    expect((second.json as { id: number }[])[0]?.id).toBe(5_099_995 - 500);
    expect(performance.now() - started).toBeLessThan(8_000);
  });
});
