import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFilter, FilterError, runFilter } from '../../src/testing/filter.js';
import { type Emulator, type SeedOrder, seedOrders, startEmulator } from '../../src/testing/index.js';
import { resolveOrderPath } from '../../src/testing/model.js';
import { call, q } from './helpers.js';

const orders = seedOrders();
const ids = (filter: object) =>
  runFilter(orders, compileFilter(JSON.stringify(filter), resolveOrderPath)).map((o) => o.id);
const op = (operation: string | number) => ({ operation });

const dateOp = (operation: string, options: Record<string, string>) => ({
  operation,
  options: Object.entries(options).map(([name, value]) => ({ name, value: [value] })),
});

describe('date operations (options form)', () => {
  it('betweenDate takes startDate/endDate, bounds included, in MM/DD/YYYY or M/D/YYYY H:M:S', () => {
    const between = (startDate: string, endDate: string) =>
      ids({ createDate: dateOp('betweenDate', { startDate, endDate }) });
    expect(between('11/01/2023', '11/30/2023')).toEqual([4471203]);
    expect(between('11/1/2023 0:0:0', '12/1/2023 0:0:0')).toEqual([4471203, 4471877]);
    // 4471877 was created 11/30/2023 14:05:51 Central: an end bound at that second includes it.
    expect(between('11/30/2023 0:0:0', '11/30/2023 14:5:51')).toEqual([4471877]);
    expect(between('11/30/2023 0:0:0', '11/30/2023 14:5:50')).toEqual([]);
  });

  it('greaterThanDate and lessThanDate take date and are strict', () => {
    expect(ids({ createDate: dateOp('greaterThanDate', { date: '12/01/2024' }) })).toEqual([
      4502244, 4503981,
    ]);
    expect(ids({ createDate: dateOp('lessThanDate', { date: '3/1/2022 0:0:0' }) })).toEqual([4401388]);
    expect(ids({ createDate: dateOp('greaterThanDate', { date: '12/11/2024 8:3:17' }) })).toEqual([]);
    // The event-log helpers of softlayer-python send ISO 8601 with an offset.
    expect(
      ids({ createDate: dateOp('greaterThanDate', { date: '2024-12-01T00:00:00.000000-06:00' }) }),
    ).toEqual([4502244, 4503981]);
  });

  it('isDate matches the calendar day in the configured zone', () => {
    // 2024-11-03T17:59:59-06:00 is Nov 3 in Chicago and Nov 4 in Tokyo.
    const isDate = (date: string, timeZone?: string) =>
      runFilter(
        orders,
        compileFilter(
          JSON.stringify({ expirationDate: dateOp('isDate', { date }) }),
          resolveOrderPath,
          timeZone === undefined ? {} : { timeZone },
        ),
      ).map((o) => o.id);
    expect(isDate('11/03/2024')).toEqual([4471203]);
    expect(isDate('11/04/2024')).toEqual([]);
    expect(isDate('11/03/2024', '+09:00')).toEqual([]);
    expect(isDate('11/04/2024', 'Asia/Tokyo')).toEqual([4471203]);
  });

  it('reads dates without an offset in the zone: Central by default, with daylight saving time', () => {
    const at = (date: string, timeZone?: string) =>
      runFilter(
        orders,
        compileFilter(
          JSON.stringify({ createDate: dateOp('greaterThanDate', { date }) }),
          resolveOrderPath,
          timeZone === undefined ? {} : { timeZone },
        ),
      ).map((o) => o.id);
    // 4495021: 2024-09-03T09:09:09-05:00 (CDT). 9:09:08 Central is before it, 9:09:09 is not.
    expect(at('9/3/2024 9:9:8')).toContain(4495021);
    expect(at('9/3/2024 9:9:9')).not.toContain(4495021);
    // Read in UTC, 9:09:08 is 04:09:08 Central: still before.
    expect(at('9/3/2024 14:9:8', 'UTC')).toContain(4495021);
    expect(at('9/3/2024 14:9:9', '+00:00')).not.toContain(4495021);
  });

  it('an unreadable date matches nothing', () => {
    expect(ids({ createDate: dateOp('greaterThanDate', { date: 'yesterday' }) })).toEqual([]);
    expect(ids({ createDate: { operation: 'betweenDate' } })).toEqual([]);
  });
});

describe('object filter operators', () => {
  it('= is implicit, exact and case-sensitive; != excludes', () => {
    expect(ids({ commonName: op('www.example.com') })).toEqual([4471203]);
    expect(ids({ commonName: op('= www.example.com') })).toEqual([4471203]);
    expect(ids({ commonName: op('= WWW.example.com') })).toEqual([]);
    expect(ids({ commonName: op('!= www.example.com') })).toHaveLength(orders.length - 1);
  });

  it('_= is case-insensitive equality', () => {
    expect(ids({ commonName: op('_= WWW.Example.COM') })).toEqual([4471203]);
  });

  it('*=, !*=, ^=, $= match substrings case-insensitively', () => {
    expect(ids({ commonName: op('*= SHOP') })).toEqual([4433012, 4471877]);
    expect(
      ids({ commonName: op('!*= example.com') }).every(
        (id) => !orders.find((o) => o.id === id)!.commonName.endsWith('.com'),
      ),
    ).toBe(true);
    expect(ids({ commonName: op('!*= example') })).toEqual([]);
    expect(ids({ commonName: op('^= Api.') })).toEqual([4482310]);
    expect(ids({ commonName: op('$= .ORG') })).toEqual([4412907, 4490155, 4503981]);
  });

  it('>, <, >=, <= compare numbers numerically', () => {
    expect(ids({ id: op('> 4495021') })).toEqual([4502244, 4503981]);
    expect(ids({ id: op('>= 4495021') })).toEqual([4495021, 4502244, 4503981]);
    expect(ids({ id: op('< 4412907') })).toEqual([4401388]);
    expect(ids({ id: op('<= 4412907') })).toEqual([4401388, 4412907]);
    expect(ids({ statusId: op(3) })).toEqual([4401388, 4412907, 4456630, 4471203]);
  });

  it('compares dates as instants, in ISO and MM/DD/YYYY forms', () => {
    expect(ids({ expirationDate: op('> 2026-01-01T00:00:00-06:00') })).toEqual([4482310, 4495021]);
    expect(ids({ createDate: op('>= 12/01/2024 00:00:00') })).toEqual([4502244, 4503981]);
    expect(ids({ createDate: op('< 03/01/2022') })).toEqual([4401388]);
  });

  it('reads M/D/YYYY H:M:S unpadded, as softlayer-python sends it', () => {
    expect(ids({ createDate: op('>= 12/1/2024 0:0:0') })).toEqual([4502244, 4503981]);
    expect(ids({ createDate: op('< 3/1/2022 0:0:0') })).toEqual([4401388]);
  });

  it('is null / not null', () => {
    expect(ids({ effectiveDate: op('is null') })).toEqual([4433012, 4460771, 4502244, 4503981]);
    expect(ids({ effectiveDate: op('not null') })).toHaveLength(8);
  });

  it('~ and !~ are "contains" and "does not contain", with case (softlayer-python query_filter)', () => {
    expect(ids({ commonName: op('~ example.net') })).toEqual([4456630, 4460771, 4495021]);
    expect(ids({ commonName: op('~ shop') })).toEqual([4433012, 4471877]);
    expect(ids({ commonName: op('~ SHOP') })).toEqual([]);
    expect(ids({ commonName: op('!~ example.com') })).toEqual(
      orders.filter((o) => !o.commonName.includes('example.com')).map((o) => o.id),
    );
    expect(ids({ commonName: op('!~ example.com') })).toHaveLength(6);
    // No LIKE wildcards: '%' and '_' are plain characters.
    expect(ids({ commonName: op('~ %.example.net') })).toEqual([]);
  });

  it('not in excludes the listed values', () => {
    const notIn = (value: unknown[]) => ({ operation: 'not in', options: [{ name: 'data', value }] });
    expect(ids({ status: { name: notIn(['Approved', 'Complete']) } })).toEqual([
      4433012, 4460771, 4502244, 4503981,
    ]);
    expect(ids({ id: notIn([4401388, '4412907']) })).toHaveLength(orders.length - 2);
  });

  it('in matches any value of the data option', () => {
    const filter = { id: { operation: 'in', options: [{ name: 'data', value: [4471203, '4490155', 1] }] } };
    expect(ids(filter)).toEqual([4471203, 4490155]);
  });

  it('filters on the relational status', () => {
    expect(ids({ status: { name: op('Approved') } })).toEqual([4471877, 4482310, 4490155, 4495021]);
    expect(ids({ status: { name: op('_= canceled') }, commonName: op('^= old') })).toEqual([4433012]);
  });

  it('orders by one or several keys, stably, ASC or DESC', () => {
    const desc = { id: { operation: 'orderBy', options: [{ name: 'sort', value: ['DESC'] }] } };
    expect(ids(desc)).toEqual(orders.map((o) => o.id).reverse());
    const byStatusThenExpiry = {
      statusId: { operation: 'orderBy', options: [{ name: 'sort', value: ['DESC'] }] },
      expirationDate: { operation: 'orderBy', options: [{ name: 'sort', value: ['ASC'] }] },
    };
    const sorted = runFilter(orders, compileFilter(JSON.stringify(byStatusThenExpiry), resolveOrderPath));
    expect(sorted.map((o) => o.statusId)).toEqual([4, 4, 3, 3, 3, 3, 2, 2, 2, 2, 1, 1]);
    expect(sorted.slice(2, 6).map((o) => o.id)).toEqual([4401388, 4471203, 4456630, 4412907]);
    // Equal keys keep their input order.
    const byStatus = { statusId: { operation: 'orderBy', options: [{ name: 'sort', value: ['ASC'] }] } };
    expect(ids(byStatus).slice(-2)).toEqual([4433012, 4460771]);
  });

  it('honours sortOrder between keys', () => {
    const filter = {
      id: {
        operation: 'orderBy',
        options: [
          { name: 'sort', value: ['DESC'] },
          { name: 'sortOrder', value: [2] },
        ],
      },
      statusId: {
        operation: 'orderBy',
        options: [
          { name: 'sort', value: ['ASC'] },
          { name: 'sortOrder', value: [1] },
        ],
      },
    };
    expect(ids(filter).slice(0, 3)).toEqual([4503981, 4502244, 4495021]);
  });

  it('ignores unknown properties, and returns the input untouched for an empty filter', () => {
    expect(ids({ nope: op('= 1'), status: { keyName: op('X') } })).toHaveLength(orders.length);
    const compiled = compileFilter<SeedOrder>('', resolveOrderPath);
    expect(runFilter(orders, compiled)).toBe(orders);
  });

  it('rejects text that is not a JSON object', () => {
    expect(() => compileFilter('{nope', resolveOrderPath)).toThrow(FilterError);
    expect(() => compileFilter('[1]', resolveOrderPath)).toThrow(FilterError);
  });
});

describe('object filters, resultLimit and SoftLayer-Total-Items over HTTP', () => {
  let emulator: Emulator;
  const list = (query: Record<string, string | object>) =>
    call(emulator, `SoftLayer_Security_Certificate_Request/getSslCertificateRequests.json${q(query)}`, {
      body: { parameters: [emulator.accountId] },
    });
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  it('filters and sorts before slicing, and counts before slicing', async () => {
    const res = await list({
      objectMask: 'mask[id]',
      objectFilter: {
        status: { name: { operation: 'in', options: [{ name: 'data', value: ['Approved', 'Complete'] }] } },
        id: { operation: 'orderBy', options: [{ name: 'sort', value: ['DESC'] }] },
      },
      resultLimit: '1,3',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('softlayer-total-items')).toBe('8');
    expect(res.json).toEqual([{ id: 4490155 }, { id: 4482310 }, { id: 4471877 }]);
  });

  it('accepts resultLimit=<limit> and sends the total on every list response', async () => {
    const limited = await list({ objectMask: 'mask[id]', resultLimit: '2' });
    expect(limited.json).toEqual([{ id: 4401388 }, { id: 4412907 }]);
    expect(limited.headers.get('softlayer-total-items')).toBe('12');
    const all = await list({});
    expect(all.headers.get('softlayer-total-items')).toBe('12');
    const beyond = await list({ resultLimit: '50,10' });
    expect(beyond.json).toEqual([]);
    expect(beyond.headers.get('softlayer-total-items')).toBe('12');
  });

  it('answers an invalid filter with 500 SoftLayer_Exception_Public', async () => {
    const res = await list({ objectFilter: '{"status":' });
    expect(res.status).toBe(500);
    expect(res.json).toMatchObject({ code: 'SoftLayer_Exception_Public' });
  });

  it('answers an invalid resultLimit with 500', async () => {
    const res = await list({ resultLimit: 'a,b' });
    expect(res.status).toBe(500);
  });
});
