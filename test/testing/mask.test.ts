import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/testing/index.js';
import { applyMask, MaskError, parseMask } from '../../src/testing/mask.js';
import { ORDER_TYPE } from '../../src/testing/model.js';
import { seedOrders } from '../../src/testing/seed.js';
import { call, q } from './helpers.js';

const order = seedOrders().find((o) => o.id === 4471203)!;
const masked = (mask: string | null) => applyMask(order, parseMask(mask), ORDER_TYPE);

const tree = (mask: string) =>
  JSON.stringify(parseMask(mask), (_k, v) => (v instanceof Map ? Object.fromEntries(v) : v));

describe('parseMask', () => {
  it('treats absent, blank and mask[] as no mask', () => {
    expect(parseMask(undefined)).toBeNull();
    expect(parseMask('  ')).toBeNull();
    expect(parseMask('mask[]')).toBeNull();
  });

  it('parses nested brackets, dotted paths, the old form, filteredMask, typed nodes and bare lists', () => {
    expect(tree('mask[id,status[id,name]]')).toBe('{"id":{},"status":{"id":{},"name":{}}}');
    expect(tree('mask[id,status.name]')).toBe('{"id":{},"status":{"name":{}}}');
    expect(tree('mask.status.name')).toBe('{"status":{"name":{}}}');
    expect(tree('filteredMask[id, commonName]')).toBe('{"id":{},"commonName":{}}');
    expect(tree('mask(SoftLayer_Security_Certificate_Request)[id]')).toBe('{"id":{}}');
    expect(tree('id,commonName')).toBe('{"id":{},"commonName":{}}');
    expect(tree('mask[status.name,status.id]')).toBe('{"status":{"name":{},"id":{}}}');
  });

  it("takes ; as an item separator, the form of SLDN's REST article", () => {
    expect(tree('id;commonName')).toBe('{"id":{},"commonName":{}}');
    expect(tree('mask[id;status[id;name]]')).toBe('{"id":{},"status":{"id":{},"name":{}}}');
    expect(tree('id;status.name')).toBe('{"id":{},"status":{"name":{}}}');
  });

  it.each([
    ['mask[id', 8, "Expected ']', got 'EOF'"],
    ['mask[id,,name]', 9, "Expected PROPERTY, got ','"],
    ['mask[id]]', 9, "Expected ',' or EOF, got ']'"],
    ['mask[1id]', 6, "Unexpected character '1'"],
    ['mask{id}', 5, "Unexpected character '{'"],
    ['mask[id, ]', 10, "Expected PROPERTY, got ']'"],
  ])("rejects the malformed mask %s at its column, in the parser's words", (mask, column, what) => {
    let thrown: unknown;
    try {
      parseMask(mask);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MaskError);
    expect((thrown as MaskError).kind).toBe('parse');
    expect((thrown as MaskError).message).toBe(`Error on line 1 at column ${column}: ${what}`);
  });
});

describe('applyMask', () => {
  it('returns every local property and no relation without a mask', () => {
    const all = masked(null);
    expect(Object.keys(all).sort()).toEqual([...ORDER_TYPE.locals].sort());
    expect(all).not.toHaveProperty('status');
  });

  it('trims to the named locals', () => {
    expect(masked('mask[id,commonName]')).toEqual({ id: 4471203, commonName: 'www.example.com' });
  });

  it('adds relations only when named, with all their locals unless trimmed', () => {
    expect(masked('mask[id,status]')).toEqual({
      id: 4471203,
      status: { id: 3, name: 'Complete', description: 'SSL certificate order completed' },
    });
    expect(masked('mask[id,status[name]]')).toEqual({ id: 4471203, status: { name: 'Complete' } });
    expect(masked('mask[id,status.name]')).toEqual({ id: 4471203, status: { name: 'Complete' } });
  });

  it('keeps every local when only a relation is named (old dotted form)', () => {
    const result = masked('mask.status.name');
    expect(result['status']).toEqual({ name: 'Complete' });
    expect(result['commonName']).toBe('www.example.com');
    expect(result['certificateSigningRequest']).toContain('BEGIN CERTIFICATE REQUEST');
  });

  it('omits absent properties such as the effectiveDate of a pending order', () => {
    const pending = seedOrders().find((o) => o.status?.name === 'Pending CA Approval')!;
    expect(applyMask(pending, parseMask('mask[id,effectiveDate]'), ORDER_TYPE)).toEqual({ id: pending.id });
  });

  it('rejects a property the type does not have', () => {
    expect(() => masked('mask[id,serverType]')).toThrow(
      "Property 'serverType' not valid for 'SoftLayer_Security_Certificate_Request'.",
    );
    expect(() => masked('mask[status[keyName]]')).toThrow(/keyName/);
  });
});

describe('object masks over HTTP', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  it('masks getObject', async () => {
    const res = await call(
      emulator,
      `SoftLayer_Security_Certificate_Request/4471203/getObject.json${q({ objectMask: 'mask[id,status.name]' })}`,
    );
    expect(res.json).toEqual({ id: 4471203, status: { name: 'Complete' } });
  });

  it('masks every element of a list', async () => {
    const res = await call(
      emulator,
      `SoftLayer_Security_Certificate_Request/getSslCertificateRequests.json${q({ objectMask: 'mask[id]' })}`,
      { body: { parameters: [emulator.accountId] } },
    );
    expect(res.status).toBe(200);
    expect((res.json as object[]).every((o) => Object.keys(o).join() === 'id')).toBe(true);
  });

  it('answers a malformed mask with SoftLayer_Exception_Common_Parser', async () => {
    const res = await call(
      emulator,
      `SoftLayer_Security_Certificate_Request/4471203.json${q({ objectMask: 'mask[id,status[name' })}`,
    );
    expect(res.status).toBe(500);
    expect(res.json).toEqual({
      code: 'SoftLayer_Exception_Common_Parser',
      error: "Error on line 1 at column 20: Expected ']', got 'EOF'",
    });
  });

  it('answers an unknown property with SoftLayer_Exception_WebService_ObjectMask naming it', async () => {
    const res = await call(
      emulator,
      `SoftLayer_Security_Certificate_Request/4471203.json${q({ objectMask: 'mask[id,nope]' })}`,
    );
    expect(res.status).toBe(500);
    expect(res.json).toEqual({
      error: "Property 'nope' not valid for 'SoftLayer_Security_Certificate_Request'.",
      code: 'SoftLayer_Exception_WebService_ObjectMask',
    });
    const nested = await call(
      emulator,
      `SoftLayer_Security_Certificate_Request/4471203.json${q({ objectMask: 'mask[status[keyName]]' })}`,
    );
    expect(nested.json).toEqual({
      error: "Property 'keyName' not valid for 'SoftLayer_Security_Certificate_Request_Status'.",
      code: 'SoftLayer_Exception_WebService_ObjectMask',
    });
  });

  it('serves a ;-separated mask', async () => {
    const res = await call(
      emulator,
      `SoftLayer_Security_Certificate_Request/4471203.json${q({ objectMask: 'id;commonName;status.name' })}`,
    );
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ id: 4471203, commonName: 'www.example.com', status: { name: 'Complete' } });
  });
});
