/**
 * The `SoftLayer` Python library (Debian's python3-softlayer, run by /usr/bin/python3) against the
 * emulator: paging with `iter_call`, and filters built by the library's own helpers.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/testing/index.js';
import { undocumented } from './documented.js';
import { python, requireSoftLayerPython } from './helpers.js';

const SSL = 'SoftLayer_Security_Certificate_Request';

beforeAll(requireSoftLayerPython);

describe.concurrent('the SoftLayer library against the emulator', () => {
  it('iter_call pages through 250 orders and sees every order exactly once', async () => {
    await using emulator = await startEmulator({ orderCount: 250 });
    const ids = (await python(
      emulator,
      `ids = [o['id'] for o in client.iter_call('${SSL}', 'getSslCertificateRequests', 1234567, mask='id')]
print(json.dumps(ids))`,
    )) as number[];
    expect(ids).toHaveLength(250);
    expect(new Set(ids).size).toBe(250);
    expect([...ids].sort()).toEqual(emulator.orders.map((o) => o.id).sort());
    const pages = emulator.requests.map((r) => r.query['resultLimit']);
    expect(pages).toEqual(['0,100', '100,100', '200,100']);
    for (const request of emulator.requests) expect(undocumented(request)).toEqual([]);
  });

  it("filters built by SoftLayer.utils (query_filter, query_filter_date's M/D/YYYY 0:0:0) select the right orders", async () => {
    await using emulator = await startEmulator();
    const result = (await python(
      emulator,
      `from SoftLayer import utils
def ids(object_filter):
    return sorted(o['id'] for o in client.call('${SSL}', 'getSslCertificateRequests', 1234567, mask='id', filter=object_filter))
print(json.dumps({
    'contains': ids({'commonName': utils.query_filter('~ shop')}),
    'between': ids({'createDate': utils.query_filter_date('2023-11-01', '2023-12-01')}),
    'greater': ids({'createDate': utils.event_log_filter_greater_than_date('12/01/2024', '-0600')}),
    'less': ids({'createDate': utils.event_log_filter_less_than_date('03/01/2022', '-0600')}),
    'between_log': ids({'createDate': utils.event_log_filter_between_date('11/01/2023', '12/01/2023', '-0600')}),
}))`,
    )) as Record<string, number[]>;
    expect(result).toEqual({
      contains: [4433012, 4471877],
      between: [4471203, 4471877],
      greater: [4502244, 4503981],
      less: [4401388],
      between_log: [4471203, 4471877],
    });
    // query_filter_date sends unpadded dates with a zero time: the form the issue quotes.
    const sent = emulator.requests.map((r) => r.query['objectFilter'] ?? '');
    expect(sent.some((f) => f.includes('"11/1/2023 0:0:0"'))).toBe(true);
    for (const request of emulator.requests) expect(undocumented(request)).toEqual([]);
  });
});
