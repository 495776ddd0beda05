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
import { tally, useSummary } from '../reliability/support/summary.js';
import { CHILD_STATE_HOME, collect, environment, ROOT } from './child.js';
import { firstIn, tempDir } from './helpers.js';

useSummary(import.meta.filename);

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

/** Resolves (performance.now()) when the child prints the recipient: its confirm step ran. */
function recipientShown(child: ChildProcessWithoutNullStreams): Promise<number> {
  return new Promise((resolve) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.includes('Recipient:')) {
        child.stderr.off('data', onData);
        resolve(performance.now());
      }
    };
    child.stderr.on('data', onData);
  });
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

// The generous timeout is for a loaded machine; on an idle 2-core machine the file takes ~40 s.
describe('one email per intent across CLI processes (default file ledger)', { timeout: 300_000 }, () => {
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
    tally.figures['CLI, 6 concurrent processes, same order, default file ledger'] =
      `${rounds.length} rounds: 1 email per round (goal 1); others exited 6 ${refused6}×, 7 ${refused7}×`;
    console.log(
      `[proof] 6 concurrent CLI processes × ${rounds.length} rounds: emails per order = 1 in every round ` +
        `(goal 1); the other 25 exited 6 (already sent) ${refused6}×, 7 (in flight) ${refused7}×`,
    );
  });

  it(`SIGKILL of a CLI send at random instants, ${KILL_RUNS} runs, each followed by a plain re-run: never a second email`, async () => {
    // How long a send takes here with AT_ONCE of them running (medians): from the start, and from the
    // moment it shows the recipient (its confirm step, just before the ledger reservation and the POST).
    const calibration = await Promise.all(
      addApproved(AT_ONCE, 9_200_000).map(async (order) => {
        const started = performance.now();
        const child = cli(['resend', String(order.id), '--yes']);
        child.stdin.end();
        const confirmed = recipientShown(child);
        const result = await collect(child);
        expect(result.code).toBe(EXIT.ok);
        const ended = performance.now();
        return { whole: ended - started, tail: ended - (await confirmed) };
      }),
    );
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    const wholeMs = median(calibration.map((entry) => entry.whole));
    const tailMs = median(calibration.map((entry) => entry.tail));

    const orders = addApproved(KILL_RUNS, 9_300_000);
    const began = performance.now();
    const results = await pool(orders, AT_ONCE, async (order) => {
      const child = cli(['resend', String(order.id), '--yes']);
      child.stdin.end();
      const done = collect(child);
      // Half the kills land anywhere in the run; the other half in its last part (reserve, POST,
      // settle), which is short and would otherwise be hit rarely.
      const fromStart = order.id % 2 === 0;
      const delay = Math.random() * (fromStart ? wholeMs : tailMs) * 1.2;
      const startAt = fromStart ? Promise.resolve(performance.now()) : recipientShown(child);
      let timer: NodeJS.Timeout | undefined;
      void startAt.then(() => {
        timer = setTimeout(() => child.kill('SIGKILL'), delay);
      });
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
      `[proof] SIGKILL at random instants (half in 0–${Math.round(wholeMs * 1.2)} ms of a ${Math.round(wholeMs)} ms send, ` +
        `half in 0–${Math.round(tailMs * 1.2)} ms after its confirm step), ` +
        `${figures.runs} runs, ${AT_ONCE} at a time, ${(wallMs / 1000).toFixed(1)} s: ` +
        `${figures.killedBeforeAnyEmail} killed before the email, ${figures.killedAfterTheEmail} killed after it, ` +
        `${figures.finishedBeforeKill} finished first; plain re-run: ${figures.rerunSent} sent, ` +
        `${figures.rerunRefused6} refused (6), ${figures.rerunRefused7} refused (7); second emails: ` +
        `${figures.secondEmails} (goal 0)`,
    );
    tally.figures['CLI, SIGKILL at random instants + plain re-run'] =
      `${figures.runs} runs (goal ≥ 200): ${figures.killedBeforeAnyEmail} killed before the email, ` +
      `${figures.killedAfterTheEmail} after it; second emails ${figures.secondEmails} (goal 0)`;
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
