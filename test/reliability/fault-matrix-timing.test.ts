/**
 * Fault matrix, timing rows (latency beyond the per-attempt timeout, and a server that never answers),
 * × every operation. Kept apart because each attempt waits for its 600 ms timeout.
 */
import { describe, it, vi } from 'vitest';
import { FAULT_ROWS, PERSISTENCE } from './support/fault-table.js';
import { READS, readCell, SENDS, sendCell } from './support/matrix-cells.js';
import { useSummary } from './support/summary.js';

useSummary(import.meta.filename);

// Cells mostly wait on sockets and timers, and each has its own emulator.
vi.setConfig({ maxConcurrency: 28 });

describe.concurrent.each(FAULT_ROWS.filter((row) => row.timing))('$name', (row) => {
  describe.each(PERSISTENCE)('$name', ({ name, times }) => {
    it.each(READS)('$operation', ({ operation, route }) => readCell(row, name, times, operation, route));
    it.each(SENDS)('$operation, fault on the $phase', ({ operation, phase }) =>
      sendCell(row, name, times, operation, phase),
    );
  });
});
