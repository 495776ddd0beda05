/**
 * Fault matrix, sends: every fault kind except the timing ones (see fault-matrix-timing.test.ts),
 * once and persistent, on the order read before the POST or on the POST itself, × both resend
 * methods. Each cell checks the typed outcome, the POSTs the emulator received and the emails in its
 * outbox: never more than one email, and never a second POST unless the first was provably refused.
 */
import { describe, it, vi } from 'vitest';
import { FAULT_ROWS, PERSISTENCE } from './support/fault-table.js';
import { SENDS, sendCell } from './support/matrix-cells.js';
import { useSummary } from './support/summary.js';

useSummary(import.meta.filename);

// Cells mostly wait on sockets and timers, and each has its own emulator.
vi.setConfig({ maxConcurrency: 12 });

describe.concurrent.each(FAULT_ROWS.filter((row) => !row.timing))('$name', (row) => {
  describe.each(PERSISTENCE)('$name', ({ name, times }) => {
    it.each(SENDS)('$operation, fault on the $phase', ({ operation, phase }) =>
      sendCell(row, name, times, operation, phase),
    );
  });
});
