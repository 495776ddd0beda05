import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { ResponseValidationError } from '../src/index.js';
import { isSslOrderFast } from '../src/internal/order-check.js';
import { parseAccount, parseOrder, parseOrderList, parseStatusList } from '../src/internal/order-parse.js';
import { validateOrderList } from '../src/validate.js';
import {
  BASE,
  listHandler,
  makeClient,
  ORDER_SERVICE,
  order,
  rejection,
  useMswServer,
} from './helpers/msw.js';
import { SslOrderSchema } from './order-oracle.js';

const msw = useMswServer();

describe('order schema through the client', () => {
  it('tolerates extra fields and keeps them', async () => {
    const extra = order(1, {
      certificateSigningRequest: 'CSR',
      newField: { nested: [1] },
      status: { name: 'Approved', extra: true },
    });
    msw.server.use(listHandler([extra]));
    const { client } = makeClient();
    const page = await client.listOrders();
    expect(page.orders[0]).toEqual(extra);
  });

  it('coerces numeric strings and drops nulls', async () => {
    msw.server.use(
      listHandler([
        order(1),
        {
          id: '2',
          accountId: '1234567',
          statusId: null,
          commonName: null,
          status: { id: '4', name: 'Complete', description: null },
        },
      ]),
    );
    const { client } = makeClient();
    const { orders } = await client.listOrders();
    expect(orders[1]).toEqual({ id: 2, accountId: 1234567, status: { id: 4, name: 'Complete' } });
    expect(orders[1]).not.toHaveProperty('commonName');
  });

  it('a wrong shape names the path of the first issue and never the value', async () => {
    const secretish = 'personal-data@example.com';
    msw.server.use(
      listHandler([
        order(1),
        order(2, { status: { name: 42 }, approverEmailAddress: 7, commonName: [secretish] }),
      ]),
    );
    const { client } = makeClient();
    const error = (await rejection(client.listOrders())) as ResponseValidationError;
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error.name).toBe('ResponseValidationError');
    expect(error.message).toMatch(
      /^POST SoftLayer_Security_Certificate_Request\/getSslCertificateRequests\.json returned an unexpected response at \[1\]\./,
    );
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(
      ['[1].approverEmailAddress', '[1].commonName', '[1].status.name'].sort(),
    );
    expect(JSON.stringify(error)).not.toContain(secretish);
    expect(error.message).not.toContain('42');
  });

  it('names [index].status.name exactly for a bad status name', async () => {
    msw.server.use(listHandler([order(1), order(2, { status: { name: 42 } })]));
    const { client } = makeClient();
    const error = (await rejection(client.listOrders())) as ResponseValidationError;
    expect(error.issues[0]?.path).toBe('[1].status.name');
    expect(error.message).toContain('at [1].status.name:');
  });

  it('getOrder: a list instead of an object, or a missing id, is a validation error', async () => {
    const url = `${BASE}${ORDER_SERVICE}/5/getObject.json`;
    msw.server.use(http.get(url, () => HttpResponse.json([order(5)])));
    const { client } = makeClient();
    const error = (await rejection(client.getOrder(5))) as ResponseValidationError;
    expect(error.issues[0]?.path).toBe('');
    expect(error.message).toContain('at (root)');
    msw.server.use(http.get(url, () => HttpResponse.json({ commonName: 'a.example.com' })));
    expect(((await rejection(client.getOrder(5))) as ResponseValidationError).issues[0]?.path).toBe('id');
  });

  it('the list endpoint answering an object is a validation error at the root', async () => {
    msw.server.use(listHandler({ id: 1 } as unknown as unknown[]));
    const { client } = makeClient();
    const error = (await rejection(client.listOrders())) as ResponseValidationError;
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error.issues[0]?.path).toBe('');
  });
});

describe('fast check, validator and the zod oracle agree', () => {
  const table: [string, unknown][] = [
    ['well-formed', order(1)],
    ['minimal', { id: 1 }],
    ['extra fields', { id: 1, foo: 'bar', status: { id: 1, foo: null } }],
    ['negative id', { id: -4 }],
    ['zero id', { id: 0 }],
    ['float id', { id: 1.5 }],
    ['unsafe id', { id: 2 ** 53 }],
    ['NaN id', { id: Number.NaN }],
    ['Infinity id', { id: Number.POSITIVE_INFINITY }],
    ['string id', { id: '12' }],
    ['bad string id', { id: '12a' }],
    ['long numeric string', { id: '1234567890123456' }],
    ['missing id', { commonName: 'x' }],
    ['null id', { id: null }],
    ['null field', { id: 1, commonName: null }],
    ['number as string field', { id: 1, commonName: 5 }],
    ['status null', { id: 1, status: null }],
    ['status array', { id: 1, status: [] }],
    ['status string', { id: 1, status: 'Approved' }],
    ['status name number', { id: 1, status: { name: 1 } }],
    ['status id string', { id: 1, status: { id: '3' } }],
    ['statusId float', { id: 1, statusId: 2.5 }],
    ['array', [order(1)]],
    ['null', null],
    ['string', 'order'],
    ['date as number', { id: 1, createDate: 1_700_000_000 }],
  ];

  it.each(table)('%s', (_, value) => {
    const zod = z.safeParse(SslOrderSchema, value);
    const fast = isSslOrderFast(value);
    // The fast path may only accept what zod accepts unchanged.
    if (fast) {
      expect(zod.success).toBe(true);
      expect(zod.data).toEqual(value);
    }
    // The validator accepts what the oracle accepts, with the same value.
    const parsed = parseOrder(value);
    expect(parsed.ok).toBe(zod.success);
    if (parsed.ok && zod.success) expect(parsed.value).toEqual(zod.data);
    const list = parseOrderList([order(7), value]);
    expect(list.ok).toBe(zod.success);
  });

  it('the fast path returns the same objects without copying', () => {
    const body = [order(1), order(2)];
    const parsed = validateOrderList(body);
    expect('ok' in parsed && parsed.ok && parsed.value).toBe(body);
  });

  it('only the coerced items are replaced, the input is not mutated', async () => {
    const body = [order(1), { id: '2' }];
    const parsed = await validateOrderList(body);
    expect(parsed.ok && parsed.value[1]).toEqual({ id: 2 });
    expect(parsed.ok && parsed.value[0]).toBe(body[0]);
    expect(body[1]).toEqual({ id: '2' });
  });
});

describe('status list and account', () => {
  it('status list and account', () => {
    expect(
      parseStatusList([
        { id: 1, name: 'Approved' },
        { id: '2', name: null },
      ]),
    ).toEqual({
      ok: true,
      value: [{ id: 1, name: 'Approved' }, { id: 2 }],
    });
    expect(parseStatusList({}).ok).toBe(false);
    expect(parseAccount({ id: '123' })).toEqual({ ok: true, value: { id: 123 } });
    const bad = parseAccount({ id: 'abc' });
    expect(bad.ok === false && bad.issues[0]?.path).toBe('id');
  });
});
