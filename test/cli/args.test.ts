/**
 * Help, version and usage errors: exit code 2, one message, and no request made.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS, parseCommandLine } from '../../src/cli/args.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { VERSION } from '../../src/index.js';
import { type Emulator, startEmulator } from '../../src/testing/index.js';
import { runCli } from './helpers.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.reset());

describe('help', () => {
  it('the program help lists every command and documents every exit code', async () => {
    for (const argv of [[], ['--help'], ['-h'], ['help']]) {
      const { code, stdout, stderr } = await runCli(argv);
      expect(code).toBe(0);
      expect(stderr).toBe('');
      for (const command of ['list', 'show', 'resend', 'demo'])
        expect(stdout).toContain(`ssl-orders ${command}`);
      for (const [name, value] of Object.entries(EXIT)) {
        expect(stdout, name).toMatch(new RegExp(`^ {2}${value} {2}\\S`, 'm'));
      }
    }
  });

  it.each(COMMANDS.filter((command) => command !== 'help'))(
    '%s --help and help %s print its usage',
    async (command) => {
      const viaFlag = await runCli([command, '--help']);
      const viaHelp = await runCli(['help', command]);
      expect(viaFlag.code).toBe(0);
      expect(viaFlag.stdout).toMatch(new RegExp(`^Usage:\\s+ssl-orders ${command}`));
      expect(viaHelp).toEqual(viaFlag);
      expect(emulator.requests).toHaveLength(0);
    },
  );

  it('resend --help documents the confirmation, --yes, --all and the exit codes', async () => {
    const { stdout } = await runCli(['resend', '--help']);
    for (const text of [
      '[y/N]',
      '--yes',
      '--all',
      '--dry-run',
      '--force <reason>',
      '--approver',
      'Exit codes',
    ]) {
      expect(stdout).toContain(text);
    }
  });

  it('--version is in the help', async () => {
    const { stdout } = await runCli(['--help']);
    expect(stdout).toMatch(/^ {2}-V, --version {2,}print the version$/m);
  });

  it('--version prints the package version', async () => {
    const { code, stdout } = await runCli(['--version']);
    expect(code).toBe(0);
    expect(stdout).toBe(`${VERSION}\n`);
  });
});

describe('usage errors exit 2 before any request', () => {
  it.each([
    [['frobnicate'], /unknown command "frobnicate"/],
    [['list', '--bogus'], /unknown option --bogus for "list"/],
    [['show'], /"show" needs an order id/],
    [['show', 'abc'], /invalid order id "abc": an order id is a positive integer/],
    [['show', '0'], /invalid order id "0"/],
    [['show', '-1'], /invalid order id "-1": an order id is a positive integer/],
    [['resend', '-7', '--yes'], /invalid order id "-7"/],
    [['show', '9007199254740992'], /invalid order id "9007199254740992".*at most 9007199254740991/],
    [['show', '12345678901234567'], /invalid order id/],
    [['resend', '12', '--cooldown', '30'], /--cooldown takes a duration .* e\.g\. 30m, 2h or 1d; got "30"/],
    [['resend', '12', '--cooldown', '0h'], /--cooldown takes a duration greater than 0/],
    [['resend', '12', '--concurrency', '2'], /--concurrency goes with --all/],
    [
      ['resend', '--all', '--status', 'Approved', '--concurrency', '99'],
      /--concurrency takes a whole number from 1 to 16/,
    ],
    [
      ['resend', '12', '--ledger', 'http://example.com/x'],
      /--ledger takes a file path or a redis:\/\/ or rediss:\/\/ URL/,
    ],
    [['mark', '12'], /"mark" needs an order id and sent or not-sent/],
    [['mark', '12', 'maybe', '--reason', 'x'], /"mark" records sent or not-sent, got "maybe"/],
    [['mark', '12', 'sent'], /"mark" needs --reason/],
    [['mark', '-3', 'sent', '--reason', 'x'], /invalid order id "-3"/],
    [['history', '--order', 'x'], /invalid order id "x"/],
    [['history', '12'], /unexpected argument "12" for "history"/],
    [['show', '12', '13'], /unexpected argument "13"/],
    [['resend'], /needs an order id \(or --all --status <name>\)/],
    [['resend', '--all'], /--all needs --status <name>/],
    [['resend', '12', '--status', 'Approved'], /--status goes with --all/],
    [['resend', '12', '--all', '--status', 'Approved'], /unexpected argument "12"/],
    [['resend', '12', '--force', ' '], /--force needs a reason/],
    [['list', '--timeout', 'soon'], /--timeout takes a number of seconds/],
    [['list', '--status'], /argument missing|--status/],
    [['show', '12', '--yes'], /unknown option --yes for "show"/],
  ])('%j', async (argv, message) => {
    const run = await runCli(argv, emulator);
    expect(run.code).toBe(EXIT.usage);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/^ssl-orders: .*\nRun 'ssl-orders( \w+)? --help' for usage\.\n$/);
    expect(emulator.requests).toHaveLength(0);
  });

  it('--emulator and --endpoint together are refused', async () => {
    const run = await runCli(['list', '--emulator', '--endpoint', 'https://api.softlayer.com/rest/v3.1/']);
    expect(run.code).toBe(EXIT.usage);
    expect(run.stderr).toContain('cannot be used together');
  });

  it('missing credentials: exit 2 with every place searched, one line', async () => {
    const run = await runCli(['list'], undefined, { env: {} });
    expect(run.code).toBe(EXIT.usage);
    expect(run.stderr).toMatch(
      /^ssl-orders: no SoftLayer credentials found\. Looked in: .*SL_USERNAME \+ SL_API_KEY/,
    );
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a plain http endpoint that is not loopback is refused before any request', async () => {
    const run = await runCli(['list', '--endpoint', 'http://api.example.com/rest/v3.1/'], undefined, {
      env: { SL_USERNAME: 'SL1_jane', SL_API_KEY: 'a'.repeat(64) },
    });
    expect(run.code).toBe(EXIT.usage);
    expect(run.stderr).toMatch(/^ssl-orders: .*https/i);
  });
});

describe('--json errors', () => {
  it('a usage error is one JSON object on stderr: name, message, exit code', async () => {
    const run = await runCli(['show', '-1', '--json'], emulator);
    expect(run.code).toBe(EXIT.usage);
    expect(run.stdout).toBe('');
    expect(run.stderr.endsWith('\n')).toBe(true);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(run.stderr)).toEqual({
      name: 'UsageError',
      message: expect.stringMatching(/^invalid order id "-1"/),
      exitCode: EXIT.usage,
    });
  });

  it('an API error carries the order id', async () => {
    const missing = Math.max(...emulator.orders.map((order) => order.id)) + 1;
    const run = await runCli(['show', String(missing), '--json'], emulator);
    expect(run.code).toBe(EXIT.failed);
    expect(JSON.parse(run.stderr)).toMatchObject({ name: 'NotFoundError', exitCode: EXIT.failed });
    expect(run.stderr).not.toMatch(/^ssl-orders:/);
  });
});

describe('parseCommandLine', () => {
  it('accepts ids up to 2^53 - 1, durations with units, and the mark and history forms', () => {
    expect(parseCommandLine(['show', '9007199254740991'])).toMatchObject({
      orderId: Number.MAX_SAFE_INTEGER,
    });
    for (const [text, ms] of [
      ['30m', 1_800_000],
      ['2h', 7_200_000],
      ['1d', 86_400_000],
      ['90s', 90_000],
      ['1.5h', 5_400_000],
    ] as const) {
      expect(parseCommandLine(['resend', '12', '--cooldown', text])).toMatchObject({
        flags: { cooldownMs: ms },
      });
    }
    expect(parseCommandLine(['mark', '12', 'not-sent', '--reason', 'bounced', '--approver'])).toMatchObject({
      command: 'mark',
      orderId: 12,
      outcome: 'not-sent',
      flags: { reason: 'bounced', approver: true },
    });
    expect(parseCommandLine(['history', '--order', '12', '--json', '--retention', '30d'])).toMatchObject({
      command: 'history',
      flags: { order: 12, json: true, retentionMs: 30 * 86_400_000 },
    });
  });

  it('global flags may come before or after the command; --timeout is in seconds', () => {
    const early = parseCommandLine(['--timeout', '2.5', 'resend', '--yes', '4471877', '--force', 'lost it']);
    const late = parseCommandLine(['resend', '4471877', '--yes', '--force', 'lost it', '--timeout', '2.5']);
    expect(early).toEqual(late);
    expect(early).toMatchObject({
      kind: 'run',
      command: 'resend',
      orderId: 4471877,
      flags: { timeoutMs: 2500, yes: true, force: 'lost it', dryRun: false, all: false },
    });
  });
});
