// A record's time, as Date.now() gives it: while records come fast, read from memory a Rust
// thread keeps current every millisecond (crates/kakashi-core/src/clock.rs) instead of calling
// Date.now() (~60 ns here, a third of a record's capture). A tick costs the machine more than a
// few hundred Date.now() calls, so the clock runs only from BUSY records within one millisecond
// until the rate drops; meanwhile (and so for a program's first, or few, records) each record
// calls Date.now(). While it runs, a time may be up to a tick behind a Date.now() read between
// two records. One read in 256 is checked
// against Date.now(), so a ticker kept from its core makes times late by a few ms at most.
// Where Date.now has been replaced (fake timers in a test), Date.now() is what a record gets.

import type { NativeBinding } from '../engines/native-binding';

const NOW = 0;
const STATE = 1;
const USED = 2;

/** Records within one millisecond from which the clock is worth running (clock.rs MIN_READS). */
const BUSY = 300;

/** The runtime's own Date.now; none if it was already replaced when this module loaded (fake timers). */
const dateNow = /\[native code\]/.test(Function.prototype.toString.call(Date.now)) ? Date.now : undefined;
let cells: Float64Array | undefined;
let wake: () => boolean = () => false;
/** The process has no ticker thread: the clock is not tried again. */
let noTicker = false;
/** While the clock is parked: the last Date.now() and how many records have had it. */
let lastMs = 0;
let sameMs = 0;

/** Starts reading the shared clock on this thread (once); Date.now() stays in use if it cannot be had. */
export function useSharedClock(binding: NativeBinding): void {
  if (cells !== undefined || noTicker || dateNow === undefined) return;
  try {
    cells = new Float64Array(binding.clockCells());
    wake = binding.clockWake;
  } catch {
    // No external buffers in this runtime: every record reads Date.now().
  }
}

/** Every this many clock reads, one Date.now() checks that the ticker keeps up. */
const CHECK_EVERY = 256;
/** Milliseconds behind Date.now() past which the clock is not used until it catches up. */
const LATE_MS = 2;
let reads = 0;
let late = false;
/** The last time a record had from Date.now() while the clock ran or was parked. */
let given = 0;

/** Epoch milliseconds now: within LATE_MS of Date.now(). */
export function now(): number {
  const c = cells;
  if (c === undefined || Date.now !== dateNow) return Date.now();
  if (c[STATE] === 1) {
    c[USED]++;
    // A ticker that waits for a core (a loaded machine) falls behind: checked now and then, and
    // Date.now() used meanwhile, until it has caught up.
    if ((++reads & (CHECK_EVERY - 1)) === 0 || late) {
      const t = Date.now();
      late = t - c[NOW] > LATE_MS;
      if (late) return (given = t);
    }
    // Never below a time Date.now() gave (parked, or late): taken up again, the shared clock,
    // up to a tick behind, would step a record's time back.
    const shared = c[NOW];
    return shared >= given ? shared : given;
  }
  const t = Date.now();
  given = t;
  if (t !== lastMs) {
    lastMs = t;
    sameMs = 0;
  } else if (++sameMs === BUSY && !wake()) {
    // No ticker thread in this process: Date.now() it stays.
    cells = undefined;
    noTicker = true;
  }
  return t;
}
