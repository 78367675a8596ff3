// A record's time, as Date.now() gives it, read from memory a Rust thread keeps current
// (crates/kakashi-core/src/clock.rs) instead of calling Date.now() (~60 ns here, a third of a
// record's capture). The clock ticks every millisecond while it is read and parks after a second
// without reads; a read that finds it parked wakes it, which sets the time there and then.
// Where Date.now has been replaced (fake timers in a test), Date.now() is what a record gets.

import type { NativeBinding } from '../engines/native-binding';

const NOW = 0;
const STATE = 1;
const USED = 2;

const dateNow = Date.now;
let cells: Float64Array | undefined;
let wake: () => void = () => {};

/** Starts reading the shared clock on this thread (once); Date.now() stays in use if it cannot be had. */
export function useSharedClock(binding: NativeBinding): void {
  if (cells !== undefined) return;
  try {
    cells = new Float64Array(binding.clockCells());
    wake = binding.clockWake;
  } catch {
    // No external buffers in this runtime: every record reads Date.now().
  }
}

/** Epoch milliseconds now, within the clock's tick (1 ms). */
export function now(): number {
  const c = cells;
  if (c === undefined || Date.now !== dateNow) return Date.now();
  if (c[STATE] !== 1) wake();
  c[USED] = 1;
  return c[NOW];
}
