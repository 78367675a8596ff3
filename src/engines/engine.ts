// What every engine provides: take a captured record, get it to the destination, report.

import type { Stats, TargetStats } from '../../index';
import type { Bindings } from '../bindings';
import type { FieldRedactor } from '../redact';

export interface Engine {
  readonly name: 'native' | 'js';
  /**
   * One record. `bindings` is the logger's JSON members (`,"pid":1,...`), or undefined for a
   * child whose own bindings are still values (bindings.ts: `bindingsText(owner)`); `fields`
   * is read here, on the calling thread, because only this thread can read a JS object, and
   * each field passes through `redact` as it is read. `msg` is a string, undefined for none, or
   * any other value (written as JSON under the message key, as pino writes it). `owner` is the
   * logger whose bindings these are. Never throws.
   */
  write(level: number, bindings: string | undefined, fields: object | undefined, msg: unknown, redact: FieldRedactor | undefined, owner: Bindings): void;
  /** Resolves once every record logged before it is written, or after exitTimeout. */
  flush(): Promise<void>;
  /** Writes what is pending before returning, waiting at most exitTimeout; whether all of it was written. */
  flushSync(): boolean;
  /**
   * The process is exiting: writes what is pending (within exitTimeout) and every later record
   * before its call returns (an `exit` listener's "shutting down" line). Whether all was written.
   */
  exit(): boolean;
  /** Writes what is pending, then opens a file destination's path again (for logrotate). */
  reopen(): void;
  close(): Promise<void>;
  stats(): Stats;
  /** Whether its pino transports' workers have built their streams, once they have or could not (none: true at once). */
  ready?(): Promise<boolean>;
}

/**
 * A logger's stats from its targets': with one target, its figures; with several, the sums, a
 * record counting once per target it was meant for, so that at both levels
 * `enqueued = written + dropped + filtered + queued`; and each target's own figures.
 */
export function combineStats(targets: TargetStats[]): Stats {
  const stats: Stats = sumCounts(targets);
  if (targets.some((t) => t.spilled !== undefined)) {
    stats.spilled = targets.reduce((n, t) => n + (t.spilled ?? 0), 0);
    stats.retries = targets.reduce((n, t) => n + (t.retries ?? 0), 0);
  }
  if (targets.length > 1) stats.targets = targets;
  return stats;
}

/** The counts every target reports, in the order stats list them. */
const COUNTS = ['enqueued', 'written', 'dropped', 'filtered', 'queued', 'bytesWritten', 'errors'] as const;
type Counts = Record<(typeof COUNTS)[number], number>;

/** The counts of `parts` added up. */
function sumCounts(parts: readonly Counts[]): Counts {
  const out = {} as Counts;
  for (const k of COUNTS) out[k] = parts.reduce((n, t) => n + t[k], 0);
  return out;
}

/** One destination's figures from engines that wrote to it in turn (a file stream's JS engine, then its native writer). */
export function inTurn(destination: string, parts: readonly Counts[]): TargetStats {
  return { destination, ...sumCounts(parts) };
}

/** A warning printed once per process, on stderr, without going through a logger. */
const warned = new Set<string>();
export function warnOnce(key: string, text: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  try {
    process.stderr.write(`kakashi: ${text}\n`);
  } catch {
    // stderr itself is gone: nothing left to tell.
  }
}

/**
 * How long the first record of a batch waits before it is handed over: not at all (the next
 * turn of the event loop) when nothing was handed over for `flushInterval` — a quiet logger's
 * record reaches its destination within about a millisecond, as pino's does — else
 * `flushInterval`, so that a busy logger hands over a batch at a time. `handedAt`:
 * performance.now() of the last hand-over.
 */
export function handOverIn(handedAt: number, flushInterval: number): number {
  return performance.now() - handedAt >= flushInterval ? 0 : flushInterval;
}

/** A timer that never keeps the process alive: the flush interval's, in both engines. */
export function backgroundTimer(ms: number, fn: () => void): NodeJS.Timeout {
  const timer = setTimeout(fn, ms);
  timer.unref();
  return timer;
}

/** `done`, or a resolved promise after `ms` if it takes longer (a destination that takes no writes). */
export function withinLimit(done: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = backgroundTimer(ms, resolve);
    done.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
