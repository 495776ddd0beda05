/**
 * The pacing limiter on a manual clock: assertions are on the times requests were released, never on
 * how long a test took.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../src/errors.js';
import { checkRateLimit, DEFAULT_PACE_RATE } from '../src/pace.js';
import { LocalLimiter, learnRate, type PaceClock, rateUnder } from '../src/pace-limiter.js';
import { paceKey } from '../src/pacer.js';

/** A clock that moves only when told to, firing due timers in time order. */
class ManualClock implements PaceClock {
  time = 0;
  #timers = new Map<number, { at: number; callback: () => void }>();
  #next = 1;
  now(): number {
    return this.time;
  }
  setTimer(callback: () => void, ms: number): unknown {
    const id = this.#next++;
    this.#timers.set(id, { at: this.time + ms, callback });
    return id;
  }
  clearTimer(handle: unknown): void {
    this.#timers.delete(handle as number);
  }
  /** Advances to `until`, running each timer at its own time (and the promise jobs it starts). */
  async advanceTo(until: number): Promise<void> {
    for (;;) {
      await flush();
      const due = [...this.#timers.entries()]
        .filter(([, timer]) => timer.at <= until)
        .sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!due) break;
      this.#timers.delete(due[0]);
      this.time = Math.max(this.time, due[1].at);
      due[1].callback();
    }
    this.time = until;
    await flush();
  }
}

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

/** Starts `count` takes at the clock's current time and records when each was released. */
function takeMany(limiter: LocalLimiter, clock: ManualClock, count: number, signal?: AbortSignal) {
  const released: number[] = [];
  const settled = Array.from({ length: count }, () =>
    limiter.take(signal).then(
      () => released.push(clock.now()),
      () => undefined,
    ),
  );
  return { released, settled };
}

/** The largest number of release times in any window (t - 1000, t], SoftLayer's sliding second. */
function busiestSecond(times: number[]): number {
  let best = 0;
  for (const end of times) best = Math.max(best, times.filter((t) => t > end - 1000 && t <= end).length);
  return best;
}

describe('LocalLimiter (GCRA on a FIFO queue)', () => {
  it('lets the burst go at once, then one request every 1000 / rate ms', async () => {
    const clock = new ManualClock();
    const limiter = new LocalLimiter({ requestsPerSecond: 10, burst: 3 }, clock);
    const { released } = takeMany(limiter, clock, 6);
    await clock.advanceTo(1_000);
    expect(released).toEqual([0, 0, 0, 100, 200, 300]);
  });

  it('by default never lets more than 50 requests into any one-second window (47 at most)', async () => {
    const clock = new ManualClock();
    const limiter = new LocalLimiter(DEFAULT_PACE_RATE, clock);
    const { released } = takeMany(limiter, clock, 300);
    await clock.advanceTo(10_000);
    expect(released).toHaveLength(300);
    expect(busiestSecond(released)).toBe(47);
    // …and the throughput is the rate: 300 requests need (300 - burst) / 46 s, give or take a ms each.
    expect(released.at(-1)).toBeLessThanOrEqual(Math.ceil(((300 - 2) * 1000) / 46) + 300);
  });

  it('a burst of 50 at 50/s (the naive setting) would break the rule, which is why it is not the default', async () => {
    const clock = new ManualClock();
    const limiter = new LocalLimiter({ requestsPerSecond: 50, burst: 50 }, clock);
    const { released } = takeMany(limiter, clock, 200);
    await clock.advanceTo(10_000);
    expect(busiestSecond(released)).toBeGreaterThan(50);
  });

  it('releases in arrival order', async () => {
    const clock = new ManualClock();
    const limiter = new LocalLimiter({ requestsPerSecond: 5, burst: 1 }, clock);
    const order: number[] = [];
    const all = [0, 1, 2, 3].map((index) => limiter.take().then(() => order.push(index)));
    await clock.advanceTo(1_000);
    await Promise.all(all);
    expect(order).toEqual([0, 1, 2, 3]);
  });

  it('an abort while waiting rejects with the reason and gives the slot to the next waiter', async () => {
    const clock = new ManualClock();
    const limiter = new LocalLimiter({ requestsPerSecond: 10, burst: 1 }, clock);
    await limiter.take();
    const controller = new AbortController();
    const aborted = limiter.take(controller.signal);
    const next: number[] = [];
    const later = limiter.take().then(() => next.push(clock.now()));
    controller.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    await clock.advanceTo(1_000);
    await later;
    // The aborted waiter took no token: the next one leaves one interval after the first.
    expect(next).toEqual([100]);
    expect(limiter.waiting).toBe(0);
  });

  it('gives up at the deadline without taking a token', async () => {
    const clock = new ManualClock();
    const limiter = new LocalLimiter({ requestsPerSecond: 1, burst: 1 }, clock);
    await limiter.take();
    const result = limiter.take(undefined, 300);
    await clock.advanceTo(300);
    expect(await result).toBeUndefined();
    expect(limiter.waiting).toBe(0);
    // The slot at 1000 ms is still free.
    const next = limiter.take();
    await clock.advanceTo(1_000);
    expect(await next).toBe(700);
  });

  it('resolves the time waited', async () => {
    const clock = new ManualClock();
    const limiter = new LocalLimiter({ requestsPerSecond: 4, burst: 1 }, clock);
    expect(await limiter.take()).toBe(0);
    const second = limiter.take();
    await clock.advanceTo(250);
    expect(await second).toBe(250);
  });

  it('a rate-limit answer lowers the rate to 70 %, with no burst, and it recovers to the ceiling', async () => {
    const clock = new ManualClock();
    const limiter = new LocalLimiter({ requestsPerSecond: 40, burst: 4 }, clock);
    expect(limiter.slowDown()).toEqual({ requestsPerSecond: 28, burst: 1 });
    // A second answer within the same second is the same overload: no further cut.
    clock.time = 500;
    expect(limiter.slowDown()).toBeUndefined();
    clock.time = 1_000;
    expect(limiter.rate.requestsPerSecond).toBeCloseTo(32, 5);
    clock.time = 3_000;
    expect(limiter.rate).toEqual({ requestsPerSecond: 40, burst: 4 });
  });

  it('requests already waiting slow down too when the rate drops', async () => {
    const clock = new ManualClock();
    const limiter = new LocalLimiter({ requestsPerSecond: 10, burst: 1 }, clock);
    const { released } = takeMany(limiter, clock, 3);
    await clock.advanceTo(0);
    limiter.slowDown({ requestsPerSecond: 2, burst: 1 });
    await clock.advanceTo(2_000);
    expect(released).toEqual([0, 500, 1000]);
  });

  it('learns the server limit from its message and keeps under it', async () => {
    const clock = new ManualClock();
    const limiter = new LocalLimiter(DEFAULT_PACE_RATE, clock);
    const learnt = learnRate('Rate limit of 10 requests for every 1 second(s) exceeded.');
    expect(learnt).toEqual({ requestsPerSecond: 9.2, burst: 1 });
    expect(limiter.slowDown(learnt)).toEqual({ requestsPerSecond: 9.2, burst: 1 });
    const { released } = takeMany(limiter, clock, 40);
    await clock.advanceTo(10_000);
    expect(busiestSecond(released)).toBeLessThanOrEqual(10);
    // A learnt limit is the ceiling: it does not recover above it.
    clock.time = 60_000;
    expect(limiter.rate).toEqual({ requestsPerSecond: 9.2, burst: 1 });
  });

  it('reads limits per several seconds, and ignores other messages', () => {
    expect(learnRate('Rate limit of 100 requests for every 2 second(s) exceeded.')).toEqual({
      requestsPerSecond: 46,
      burst: 4,
    });
    expect(learnRate('Internal error')).toBeUndefined();
    expect(rateUnder(50, 1)).toEqual({ requestsPerSecond: 46, burst: 2 });
  });

  it('tighten keeps the lower of two clients’ rates', () => {
    const limiter = new LocalLimiter({ requestsPerSecond: 46, burst: 4 }, new ManualClock());
    limiter.tighten({ requestsPerSecond: 80, burst: 10 });
    expect(limiter.rate).toEqual({ requestsPerSecond: 46, burst: 4 });
    limiter.tighten({ requestsPerSecond: 5, burst: 1 });
    expect(limiter.rate).toEqual({ requestsPerSecond: 5, burst: 1 });
  });
});

describe('the rateLimit option', () => {
  it('defaults to 46/s with a burst of 2, adaptive, local', () => {
    expect(checkRateLimit(undefined)).toEqual({
      rate: { requestsPerSecond: 46, burst: 2 },
      adaptive: true,
      shared: undefined,
    });
    expect(checkRateLimit(false)).toBe(false);
    expect(checkRateLimit({ requestsPerSecond: 20 })).toMatchObject({
      rate: { requestsPerSecond: 20, burst: 1 },
    });
  });

  it.each([
    [{ requestsPerSecond: 0 }, 'rateLimit.requestsPerSecond'],
    [{ requestsPerSecond: Number.NaN }, 'rateLimit.requestsPerSecond'],
    [{ requestsPerSecond: '46' }, 'rateLimit.requestsPerSecond'],
    [{ burst: 0 }, 'rateLimit.burst'],
    [{ burst: 1.5 }, 'rateLimit.burst'],
    [{ adaptive: 'yes' }, 'rateLimit.adaptive'],
    [{ shared: { take: 1 } }, 'rateLimit.shared'],
    [true, 'rateLimit'],
    [null, 'rateLimit'],
  ])('rejects %j naming %s', (value, argument) => {
    let error: unknown;
    try {
      checkRateLimit(value);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).message).toContain(argument);
  });
});

describe('the limiter key', () => {
  const base = 'https://api.softlayer.com/rest/v3.1/';
  it('names the host and user, and holds no secret', () => {
    const key = 'a'.repeat(64);
    expect(paceKey(base, { username: 'SL1_jane', apiKey: key })).toBe('api.softlayer.com user:SL1_jane');
    const byKey = paceKey(base, { ibmCloudApiKey: key });
    expect(byKey).not.toContain(key.slice(0, 8));
    expect(byKey).toBe(paceKey(base, { ibmCloudApiKey: key }));
    expect(byKey).not.toBe(paceKey(base, { ibmCloudApiKey: 'b'.repeat(64) }));
    const token = 'eyJ'.padEnd(40, 'x');
    expect(paceKey(base, { bearerToken: token })).not.toContain(token.slice(0, 8));
  });

  it('tells token providers apart by identity, and hosts apart', () => {
    const provider = () => 'token';
    expect(paceKey(base, { bearerToken: provider })).toBe(paceKey(base, { bearerToken: provider }));
    expect(paceKey(base, { bearerToken: provider })).not.toBe(paceKey(base, { bearerToken: () => 'token' }));
    expect(paceKey('https://api.service.softlayer.com/rest/v3.1/', { username: 'u', apiKey: 'k' })).not.toBe(
      paceKey(base, { username: 'u', apiKey: 'k' }),
    );
  });
});
