/**
 * Fault matrix, reads: every fault kind except the timing ones (see fault-matrix-timing.test.ts),
 * once and persistent, × listOrders, iterateOrders, getOrder, over real sockets against the emulator.
 * A transient retryable fault is retried away; a persistent one ends in its typed error after exactly
 * the attempts the policy allows.
 */
import { describe, it, vi } from 'vitest';
import { FAULT_ROWS, PERSISTENCE } from './support/fault-table.js';
import { READS, readCell } from './support/matrix-cells.js';
import { useSummary } from './support/summary.js';

useSummary(import.meta.filename);

// Cells mostly wait on sockets and timers, and each has its own emulator.
vi.setConfig({ maxConcurrency: 12 });

describe.concurrent.each(FAULT_ROWS.filter((row) => !row.timing))('$name', (row) => {
  describe.each(PERSISTENCE)('$name', ({ name, times }) => {
    it.each(READS)('$operation', ({ operation, route }) => readCell(row, name, times, operation, route));
  });
});
