// The record's time: pino's `stdTimeFunctions`, and what a `timestamp` option resolves to. The
// standard functions are recognised and written by the writer thread (the JS thread only reads
// the clock); any other function is called per record and its text written as it returns it.

/** How a record's time is written: by the writer in a standard form, or by a function's text. */
export type TimeChoice = 'none' | 'epoch' | 'unix' | 'iso' | (() => string);

const nullTime = (): string => '';
const epochTime = (): string => `,"time":${Date.now()}`;
const unixTime = (): string => `,"time":${Math.round(Date.now() / 1000)}`;
const isoTime = (): string => `,"time":"${new Date(Date.now()).toISOString()}"`;

const NS_PER_MS = 1_000_000n;
let origin: { wallNs: bigint; hr: bigint } | undefined;

/** ISO 8601 with nanoseconds: the wall clock at first use, advanced by the monotonic clock. */
const isoTimeNano = (): string => {
  origin ??= { wallNs: BigInt(Date.now()) * NS_PER_MS, hr: process.hrtime.bigint() };
  const ns = origin.wallNs + (process.hrtime.bigint() - origin.hr);
  const iso = new Date(Number(ns / NS_PER_MS)).toISOString();
  return `,"time":"${iso.slice(0, 19)}.${(ns % 1_000_000_000n).toString().padStart(9, '0')}Z"`;
};

/** pino's standard time functions; the first four are written off the JS thread. */
export const stdTimeFunctions = Object.freeze({ nullTime, epochTime, unixTime, isoTime, isoTimeNano });

const STANDARD = new Map<unknown, TimeChoice>([
  [nullTime, 'none'],
  [epochTime, 'epoch'],
  [unixTime, 'unix'],
  [isoTime, 'iso'],
]);

/**
 * What a `timestamp` option means: `true`/`'epoch'` epoch ms, `'unix'` seconds, `'iso'` an ISO
 * string, `false` none, a standard function its form, any other function itself (pino's rule:
 * it returns members such as `,"time":…`). Undefined for a value it does not take.
 */
export function timeChoice(timestamp: unknown): TimeChoice | undefined {
  if (timestamp === undefined || timestamp === true || timestamp === 'epoch') return 'epoch';
  if (timestamp === false) return 'none';
  if (timestamp === 'iso' || timestamp === 'unix') return timestamp;
  if (typeof timestamp === 'function') return STANDARD.get(timestamp) ?? (timestamp as () => string);
  return undefined;
}

/** A custom time function's members; one that throws or returns a non-string writes none. */
export function customTime(fn: () => string): string {
  try {
    const t = fn();
    return typeof t === 'string' ? t : '';
  } catch {
    return '';
  }
}
