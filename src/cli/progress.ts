/**
 * Progress of `resend --all` on stderr: on a terminal, one bar redrawn in place with the counts and
 * an ETA, and each order's line printed above it; otherwise (a pipe, a log file, cron) plain lines only.
 *
 * @module
 */
import type { TextSink } from './io.js';

/** Where progress goes. */
export interface Progress {
  /** Prints one finished order's line (above the bar, if any). */
  line(text: string): void;
  /** Counts one finished order and redraws the bar with `counts` (e.g. `sent 3 · skipped 1`). */
  tick(counts: string): void;
  /** Removes the bar. Idempotent. */
  done(): void;
}

/** `75` → `1:15`, `3725` → `1:02:05`. */
export function clock(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/**
 * The bar's text: `[#########-----------] 12/40  sent 10 · skipped 2  ETA 0:14`. The ETA assumes the
 * remaining orders take as long as the finished ones did on average (sends are paced, so they do).
 */
export function barText(done: number, total: number, counts: string, elapsedMs: number, width = 80): string {
  const eta = done > 0 && done < total ? `  ETA ${clock(((elapsedMs / done) * (total - done)) / 1000)}` : '';
  const tail = ` ${done}/${total}  ${counts}${eta}`;
  const size = Math.max(10, Math.min(30, width - tail.length - 3));
  const filled = total === 0 ? size : Math.round((done / total) * size);
  return `[${'#'.repeat(filled)}${'-'.repeat(size - filled)}]${tail}`.slice(0, Math.max(20, width - 1));
}

/** Plain lines, one per order. */
export function plainProgress(output: TextSink): Progress {
  return { line: (text) => output.write(`${text}\n`), tick() {}, done() {} };
}

/** A bar redrawn in place (`\r` + erase line), for a terminal `columns` wide. */
export function barProgress(
  output: TextSink,
  total: number,
  columns = 80,
  now = () => performance.now(),
): Progress {
  const startedAt = now();
  let done = 0;
  let counts = '';
  let drawn = false;
  const clear = () => {
    if (drawn) output.write('\r\u001b[2K');
    drawn = false;
  };
  const draw = () => {
    output.write(`\r\u001b[2K${barText(done, total, counts, now() - startedAt, columns)}`);
    drawn = true;
  };
  draw();
  return {
    line(text) {
      clear();
      output.write(`${text}\n`);
      draw();
    },
    tick(next) {
      done++;
      counts = next;
      draw();
    },
    done() {
      clear();
    },
  };
}
