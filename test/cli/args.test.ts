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
    [['show', 'abc'], /positive integer such as 4471203, got "abc"/],
    [['show', '0'], /positive integer/],
    [['show', '12', '13'], /unexpected argument "13"/],
    [['resend'], /needs an order id \(or --all --status <name>\)/],
    [['resend', '--all'], /--all needs --status <name>/],
    [['resend', '12', '--status', 'Approved'], /--status goes with --all/],
    [['resend', '12', '--all', '--status', 'Approved'], /unexpected argument "12"/],
    [['resend', '12', '--force', ' '], /--force needs a reason/],
    [['list', '--timeout', 'soon'], /--timeout takes a number of seconds/],
    [['list', '--status'], /argument missing|--status/],
    [['show', '--json', '12', '--yes'], /unknown option --yes for "show"/],
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

describe('parseCommandLine', () => {
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
