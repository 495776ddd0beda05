/**
 * `list` and `show` in-process against a real emulator.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import type { SslOrder } from '../../src/index.js';
import { type Emulator, startEmulator } from '../../src/testing/index.js';
import { emulatorEnv, firstIn, ordersIn, runCli, statusOf, tableIds, tempDir } from './helpers.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.reset());

describe('list', () => {
  it('prints every order as a table, oldest expiration first, with the five columns', async () => {
    const { code, stdout, stderr } = await runCli(['list'], emulator);
    expect(code).toBe(EXIT.ok);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+COMMON NAME\s+STATUS\s+EXPIRES\s+APPROVER$/);
    const expected = ordersIn(emulator);
    expect(tableIds(stdout)).toEqual(expected.map((order) => order.id));
    for (const [index, order] of expected.entries()) {
      const line = lines[index + 1] ?? '';
      expect(line).toContain(order.commonName);
      expect(line).toContain(statusOf(order));
      expect(line).toContain(order.approverEmailAddress);
      expect(line).toContain(order.expirationDate?.slice(0, 10) ?? '-');
    }
    expect(stderr).toBe(`${expected.length} orders, oldest expiration first.\n`);
  });

  it('the table really is in expiration order, not id order', async () => {
    const { stdout } = await runCli(['list'], emulator);
    const ids = tableIds(stdout);
    expect(ids).not.toEqual([...ids].sort((a, b) => a - b));
    const expires = stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => /\d{4}-\d{2}-\d{2}/.exec(line)?.[0] ?? '');
    expect(expires).toEqual([...expires].sort());
  });

  it('--status keeps only that status (case-insensitive), asking the API with a filter', async () => {
    const { code, stdout, stderr } = await runCli(['list', '--status', 'approved'], emulator);
    expect(code).toBe(EXIT.ok);
    const approved = ordersIn(emulator, 'Approved');
    expect(approved.length).toBeGreaterThan(1);
    expect(tableIds(stdout)).toEqual(approved.map((order) => order.id));
    // The status is matched against the account's statuses and asked for in its canonical spelling.
    expect(stderr).toContain(`${approved.length} orders in status "Approved"`);
    const listCall = emulator.requests.find((request) => request.route === 'list');
    expect(listCall?.query['objectFilter']).toContain('Approved');
  });

  it('--json prints the orders as a JSON array in the same order', async () => {
    const { code, stdout, stderr } = await runCli(['list', '--json', '--status', 'Complete'], emulator);
    expect(code).toBe(EXIT.ok);
    expect(stderr).toBe('');
    const orders = JSON.parse(stdout) as SslOrder[];
    const expected = ordersIn(emulator, 'Complete');
    expect(orders.map((order) => order.id)).toEqual(expected.map((order) => order.id));
    expect(orders[0]).toMatchObject({
      commonName: expected[0]?.commonName,
      approverEmailAddress: expected[0]?.approverEmailAddress,
      status: { name: 'Complete' },
    });
  });

  it('a status without orders says so', async () => {
    for (const order of ordersIn(emulator, 'Canceled')) emulator.setOrderStatus(order.id, 'Complete');
    const { code, stdout } = await runCli(['list', '--status', 'canceled'], emulator);
    expect(code).toBe(EXIT.ok);
    expect(stdout).toBe('No orders in status "Canceled".\n');
  });

  it('a misspelt --status: exit 2 with "did you mean", before any order is read', async () => {
    const run = await runCli(['list', '--status', 'Aproved'], emulator);
    expect(run.code).toBe(EXIT.usage);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^ssl-orders: unknown status "Aproved"; did you mean Approved\? The statuses are: /,
    );
    expect(emulator.count({ route: 'statuses' })).toBe(1);
    expect(emulator.count({ route: 'list' })).toBe(0);
  });

  it('--status falls back to the documented names when the account refuses the status list', async () => {
    emulator.inject({ route: 'statuses', kind: 'server-error', status: 403 });
    const wrong = await runCli(['list', '--status', 'Complet'], emulator);
    expect(wrong.code).toBe(EXIT.usage);
    expect(wrong.stderr).toContain(
      'did you mean Complete? The statuses are: Approved, Complete, Pending CA Approval, Canceled',
    );
    emulator.inject({ route: 'statuses', kind: 'server-error', status: 403 });
    const right = await runCli(['list', '--status', 'COMPLETE', '--json'], emulator);
    expect(right.code).toBe(EXIT.ok);
    expect((JSON.parse(right.stdout) as SslOrder[]).length).toBe(ordersIn(emulator, 'Complete').length);
  });

  it('a hanging API: a line per retry on stderr, and the final message gives attempts and time', async () => {
    emulator.inject({ route: 'list', kind: 'hang', times: Infinity });
    const run = await runCli(['list', '--timeout', '0.2'], emulator);
    expect(run.code).toBe(EXIT.failed);
    const lines = run.stderr.trim().split('\n');
    const retries = lines.filter((line) =>
      /^ssl-orders: [A-Z]+ \S+: attempt \d failed \(TimeoutError\); retrying in \d+\.\d s$/.test(line),
    );
    expect(retries).toHaveLength(2);
    expect(lines.at(-1)).toMatch(
      /^ssl-orders: TimeoutError: .*timed out after 200 ms.* \(gave up after 3 attempts in \d+\.\d s\)$/,
    );
    expect(emulator.count({ route: 'list' })).toBe(3);
  });

  it.each([
    ['SL_TIMEOUT=0', { SL_TIMEOUT: '0' }, false],
    ['timeout = 0 in ~/.softlayer', {}, true],
  ] as const)(
    '%s (what slcli setup writes) means the default timeout: the CLI works',
    async (_, extra, file) => {
      const dir = tempDir();
      const config = join(dir, '.softlayer');
      writeFileSync(config, '[softlayer]\ntimeout = 0\n');
      const run = await runCli(['list', '--json'], emulator, {
        env: { ...emulatorEnv(emulator), ...extra },
        configFile: file ? config : false,
      });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(EXIT.ok);
    },
  );

  it('reads every page of a large account', async () => {
    const big = await startEmulator({ orderCount: 250 });
    try {
      const { code, stdout } = await runCli(['list', '--json'], big);
      expect(code).toBe(EXIT.ok);
      expect((JSON.parse(stdout) as SslOrder[]).map((order) => order.id).sort()).toEqual(
        big.orders.map((order) => order.id).sort(),
      );
      expect(big.count({ route: 'list' })).toBe(3);
    } finally {
      await big.close();
    }
  });

  it('refused credentials: exit 1, one line, no stack, no secret', async () => {
    const secret = `wrong-${'k'.repeat(58)}`;
    const env = { SL_USERNAME: emulator.credentials.username, SL_API_KEY: secret };
    const { code, stdout, stderr } = await runCli(['list'], emulator, { env });
    expect(code).toBe(EXIT.failed);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^ssl-orders: AuthenticationError: .*HTTP 401/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).not.toContain(secret);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('show', () => {
  it('prints every field of the order', async () => {
    const order = firstIn(emulator, 'Approved');
    const { code, stdout } = await runCli(['show', String(order.id)], emulator);
    expect(code).toBe(EXIT.ok);
    const fields = Object.fromEntries(
      stdout
        .trim()
        .split('\n')
        .map((line) => {
          const [, label = '', value = ''] = /^(\S+(?: \S+)*?)\s{2,}(.*)$/.exec(line) ?? [];
          return [label, value];
        }),
    );
    expect(fields).toMatchObject({
      id: String(order.id),
      'common name': order.commonName,
      approver: order.approverEmailAddress,
      'technical contact': order.technicalContactEmailAddress,
      created: order.createDate,
      modified: order.modifyDate,
      expires: order.expirationDate,
      'account id': String(order.accountId),
      'status id': String(order.statusId),
    });
    expect(fields['status']).toMatch(/^Approved \(.+\)$/);
  });

  it('--json prints the order object', async () => {
    const order = firstIn(emulator, 'Complete');
    const { code, stdout } = await runCli(['show', String(order.id), '--json'], emulator);
    expect(code).toBe(EXIT.ok);
    expect(JSON.parse(stdout)).toMatchObject({
      id: order.id,
      commonName: order.commonName,
      approverEmailAddress: order.approverEmailAddress,
      expirationDate: order.expirationDate,
      status: { name: 'Complete' },
    });
  });

  it('an unknown order: exit 1 with the API error on one line', async () => {
    const missing = Math.max(...emulator.orders.map((order) => order.id)) + 1;
    const { code, stdout, stderr } = await runCli(['show', String(missing)], emulator);
    expect(code).toBe(EXIT.failed);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      new RegExp(`^ssl-orders: NotFoundError: GET \\S+/${missing}/getObject\\.json failed: HTTP 404`),
    );
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('control characters from the server are not passed to the terminal', async () => {
    const order = firstIn(emulator, 'Approved');
    emulator.addOrders({ ...order, id: order.id + 7_000_000, commonName: 'evil\u001b[2J.example.com' });
    const { stdout } = await runCli(['show', String(order.id + 7_000_000)], emulator);
    expect(stdout).toContain('evil?[2J.example.com');
    expect(stdout).not.toContain('\u001b');
  });
});
