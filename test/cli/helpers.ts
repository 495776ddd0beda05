/**
 * Drives the CLI's `main` in-process against a real emulator: collected stdout/stderr, a scripted
 * stdin, and a chosen isTTY.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { type Emulator, type SeedOrder, SSL_REQUEST_STATUSES } from '../../src/testing/index.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Text available on stdin (then end of input). Default: nothing, end of input. */
  stdin?: string;
  /** Whether stdin counts as a terminal. Default false. */
  isTTY?: boolean;
  /** Environment; default: the emulator's credentials when an emulator is given, else empty. */
  env?: Record<string, string | undefined>;
  /** Override how `--emulator`/`demo` start their emulator. */
  startEmulator?: CliIo['startEmulator'];
  /** Ctrl-C: called with the CLI's listener once the command listens. */
  onInterrupt?: CliIo['onInterrupt'];
  /** Whether stderr is a terminal (progress bar). Default false. */
  stderrIsTTY?: boolean;
  /** The slcli config file to read; default none (`false`). */
  configFile?: string | false;
}

/** A temporary directory of its own. */
export function tempDir(prefix = 'ssl-orders-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

// The default ledger path follows XDG_STATE_HOME: in this process it points at a temporary directory,
// so no test can write the ledger of the person running the tests.
process.env['XDG_STATE_HOME'] = tempDir('ssl-orders-state-');

let ledgerPath = join(tempDir(), 'ledger');

/** Starts a fresh send ledger for the next runs (an emulator's reset keeps its host and account). */
export function newLedger(): string {
  ledgerPath = join(tempDir(), 'ledger');
  return ledgerPath;
}

/** The ledger `runCli` points the CLI at (SSL_ORDERS_LEDGER) unless the test gives its own env. */
export function currentLedger(): string {
  return ledgerPath;
}

class Collector {
  text = '';
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

/** Credentials env for an emulator's default classic user, and the current test ledger. */
export function emulatorEnv(emulator: Emulator): Record<string, string> {
  return {
    SL_USERNAME: emulator.credentials.username,
    SL_API_KEY: emulator.credentials.apiKey,
    SSL_ORDERS_LEDGER: ledgerPath,
  };
}

/**
 * Runs `ssl-orders <argv>`; with `emulator`, adds `--endpoint <emulator.url>` and its credentials so
 * the test can inspect the emulator's outbox afterwards.
 */
export async function runCli(
  argv: readonly string[],
  emulator?: Emulator,
  options: RunOptions = {},
): Promise<CliRun> {
  const stdin = new PassThrough();
  stdin.end(options.stdin ?? '');
  const stdout = new Collector();
  const stderr = new Collector();
  const io: CliIo = {
    stdin,
    stdout,
    stderr,
    env: options.env ?? (emulator ? emulatorEnv(emulator) : {}),
    isTTY: options.isTTY ?? false,
    configFile: options.configFile ?? false,
    startEmulator: options.startEmulator,
    onInterrupt: options.onInterrupt,
    stderrIsTTY: options.stderrIsTTY,
  };
  const args = emulator ? [...argv, '--endpoint', emulator.url] : argv;
  const code = await main(args, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** The status name of a seed order. */
export function statusOf(order: SeedOrder): string {
  return (
    order.status?.name ?? SSL_REQUEST_STATUSES.find((status) => status.id === order.statusId)?.name ?? ''
  );
}

/** The emulator's orders in a status, oldest expiration first (as `list` sorts them). */
export function ordersIn(emulator: Emulator, status?: string): SeedOrder[] {
  return emulator.orders
    .filter((order) => status === undefined || statusOf(order) === status)
    .sort(
      (a, b) =>
        Date.parse(a.expirationDate ?? '9999-12-31') - Date.parse(b.expirationDate ?? '9999-12-31') ||
        a.id - b.id,
    );
}

/** The first order in a status, oldest expiration first. */
export function firstIn(emulator: Emulator, status: string): SeedOrder {
  const order = ordersIn(emulator, status)[0];
  if (!order) throw new Error(`the emulator has no order in status ${status}`);
  return order;
}

/** The number of resendEmail POSTs the emulator received. */
export function resendPosts(emulator: Emulator): number {
  return emulator.count({ route: 'resend', method: 'POST' });
}

/** The ids in the first column of a table's body rows. */
export function tableIds(table: string): number[] {
  return table
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => Number(line.split(/\s+/)[0]));
}
