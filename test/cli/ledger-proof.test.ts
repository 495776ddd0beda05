/**
 * Proofs of the CLI's "one email per intent" across real OS processes on the default file ledger:
 *
 * - 6 CLI processes started together for the same order: one email.
 * - A CLI send SIGKILLed at a random instant, ≥ 200 times (several at a time, to fit CI), each followed
 *   by a plain re-run: never a second email without --force.
 *
 * Every process reaches one shared emulator through SL_ENDPOINT_URL and credentials in the
 * environment (not --emulator, which starts a fresh emulator per process) and shares one
 * XDG_STATE_HOME, so they all use the default ledger file. The CLI is bundled once with esbuild, so a
 * process starts in a fraction of the time tsx takes; the figures are printed with the results.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { type Emulator, type SeedOrder, startEmulator } from '../../src/testing/index.js';
import { CHILD_STATE_HOME, collect, environment, ROOT } from './child.js';
import { firstIn, tempDir } from './helpers.js';

const NODE = join(ROOT, 'node_modules/.bin/node');
const KILL_RUNS = 200;
const AT_ONCE = 12;

let emulator: Emulator;
let bin: string;
let state: string;

beforeAll(async () => {
  const out = tempDir('ssl-orders-bin-');
  await build({
    entryPoints: [join(ROOT, 'src/cli/index.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    splitting: true,
    outdir: out,
    external: ['redis'],
    logLevel: 'silent',
  });
  bin = join(out, 'index.js');
  emulator = await startEmulator();
  state = tempDir('ssl-orders-proof-state-');
  expect(state).not.toBe(CHILD_STATE_HOME);
});
afterAll(async () => {
  await emulator.close();
});

function cli(args: readonly string[]): ChildProcessWithoutNullStreams {
  const { username, apiKey } = emulator.credentials;
  return spawn(NODE, [bin, ...args], {
    cwd: ROOT,
    env: environment({
      SL_USERNAME: username,
      SL_API_KEY: apiKey,
      SL_ENDPOINT_URL: emulator.url,
      XDG_STATE_HOME: state,
    }),
  });
}

async function run(args: readonly string[]) {
  const child = cli(args);
  child.stdin.end();
  return collect(child);
}

/** Adds `count` Approved orders, each with its own recipient, and returns them. */
function addApproved(count: number, base: number): SeedOrder[] {
  const template = firstIn(emulator, 'Approved');
  const orders = Array.from({ length: count }, (_, index) => ({
    ...template,
    id: base + index,
    approverEmailAddress: `admin+${base + index}@example.com`,
  }));
  emulator.addOrders(...orders);
  return orders;
}

function emailsFor(orderId: number): number {
  return emulator.outbox.filter((entry) => entry.orderId === orderId).length;
}

/** Runs `task` over `items`, `limit` at a time. */
async function pool<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

describe('one email per intent across CLI processes (default file ledger)', { timeout: 120_000 }, () => {
  it('6 concurrent CLI processes, same order: one email (5 rounds)', async () => {
    const rounds = addApproved(5, 9_100_000);
    const codes: number[][] = [];
    for (const order of rounds) {
      const runs = await Promise.all(
        Array.from({ length: 6 }, () => run(['resend', String(order.id), '--yes'])),
      );
      codes.push(runs.map((result) => result.code ?? -1));
      expect(emailsFor(order.id)).toBe(1);
      expect(runs.filter((result) => result.code === EXIT.ok)).toHaveLength(1);
      for (const result of runs.filter((candidate) => candidate.code !== EXIT.ok)) {
        expect([EXIT.alreadySent, EXIT.earlierUnknown]).toContain(result.code);
      }
    }
    const refused6 = codes.flat().filter((code) => code === EXIT.alreadySent).length;
    const refused7 = codes.flat().filter((code) => code === EXIT.earlierUnknown).length;
    console.log(
      `[proof] 6 concurrent CLI processes × ${rounds.length} rounds: emails per order = 1 in every round ` +
        `(goal 1); the other 25 exited 6 (already sent) ${refused6}×, 7 (in flight) ${refused7}×`,
    );
  });

  it(`SIGKILL of a CLI send at random instants, ${KILL_RUNS} runs, each followed by a plain re-run: never a second email`, async () => {
    // How long a whole send takes here with AT_ONCE of them running (the median), to spread the kills
    // over all of it and a little past it.
    const durations = await Promise.all(
      addApproved(AT_ONCE, 9_200_000).map(async (order) => {
        const started = performance.now();
        expect((await run(['resend', String(order.id), '--yes'])).code).toBe(EXIT.ok);
        return performance.now() - started;
      }),
    );
    const fullRunMs = durations.sort((a, b) => a - b)[Math.floor(durations.length / 2)] ?? 0;

    const orders = addApproved(KILL_RUNS, 9_300_000);
    const began = performance.now();
    const results = await pool(orders, AT_ONCE, async (order) => {
      const child = cli(['resend', String(order.id), '--yes']);
      child.stdin.end();
      const done = collect(child);
      const delay = Math.random() * fullRunMs * 1.2;
      const timer = setTimeout(() => child.kill('SIGKILL'), delay);
      const first = await done;
      clearTimeout(timer);
      const emailsAfterKill = emailsFor(order.id);
      const rerun = await run(['resend', String(order.id), '--yes']);
      return { first: first.code, emailsAfterKill, rerun: rerun.code, emails: emailsFor(order.id) };
    });
    const wallMs = performance.now() - began;

    const killed = results.filter((result) => result.first === null);
    const count = (predicate: (result: (typeof results)[number]) => boolean) =>
      results.filter(predicate).length;
    const figures = {
      runs: results.length,
      killedBeforeAnyEmail: count((result) => result.first === null && result.emailsAfterKill === 0),
      killedAfterTheEmail: count((result) => result.first === null && result.emailsAfterKill === 1),
      finishedBeforeKill: results.length - killed.length,
      rerunSent: count((result) => result.rerun === EXIT.ok),
      rerunRefused6: count((result) => result.rerun === EXIT.alreadySent),
      rerunRefused7: count((result) => result.rerun === EXIT.earlierUnknown),
      secondEmails: count((result) => result.emails > 1),
    };
    console.log(
      `[proof] SIGKILL at random instants (0–${Math.round(fullRunMs * 1.2)} ms into a ${Math.round(fullRunMs)} ms send), ` +
        `${figures.runs} runs, ${AT_ONCE} at a time, ${(wallMs / 1000).toFixed(1)} s: ` +
        `${figures.killedBeforeAnyEmail} killed before the email, ${figures.killedAfterTheEmail} killed after it, ` +
        `${figures.finishedBeforeKill} finished first; plain re-run: ${figures.rerunSent} sent, ` +
        `${figures.rerunRefused6} refused (6), ${figures.rerunRefused7} refused (7); second emails: ` +
        `${figures.secondEmails} (goal 0)`,
    );
    expect(figures.runs).toBeGreaterThanOrEqual(200);
    expect(figures.secondEmails).toBe(0);
    for (const result of results) {
      // A re-run sends only when the killed run had not emailed; every order ends with at most one.
      expect(result.emails).toBeLessThanOrEqual(1);
      if (result.rerun === EXIT.ok) expect(result.emailsAfterKill).toBe(0);
      expect([EXIT.ok, EXIT.alreadySent, EXIT.earlierUnknown]).toContain(result.rerun);
    }
    // The kills must have hit both sides of the POST for the proof to mean anything.
    expect(figures.killedBeforeAnyEmail).toBeGreaterThan(0);
    expect(figures.killedAfterTheEmail + figures.finishedBeforeKill).toBeGreaterThan(0);
  });
});
