// The native engine's JS side: capture a record's raw values into the current batch (short
// strings into a Uint16Array, long ones onto a string, numbers into a Float64Array, ops into a
// Uint32Array) and hand whole batches to the Rust writer in one call.
// Formatting, escaping, number printing and I/O all happen on the writer thread.
// The op layout and numbers are crates/kakashi-core/src/batch.rs's.

import type { Stats } from '../../index';
import type { Dialect } from '../dialect';
import type { Resolved } from '../options';
import type { FieldRedactor } from '../redact';
import { callLazy, cutLong, cutLongStrings, fieldsJson, safeFieldsJson } from '../serialize';
import { REMOVED } from '../symbols';
import type { TimeChoice } from '../time';
import { backgroundTimer, combineStats, type Engine, warnOnce, withinLimit } from './engine';
import type { NativeBinding, NativeProducer } from './native-binding';

const REC = 1;
const BINDINGS = 2;
const KEY = 3;
const STR = 4;
const NUM = 5;
const TRUE = 6;
const FALSE = 7;
const NULL = 8;
const RAW = 9;
const MSG = 10;
const END = 11;
const MEMBERS = 12;
const TIME = 13;

/** Batch sizes after which a batch is handed over: about 400 records of 4 fields. */
const OPS_SOFT_LIMIT = 4096;
const NUMS_SOFT_LIMIT = 2048;
const CHARS_SOFT_LIMIT = 16 * 1024;
const TEXT_SOFT_LIMIT = 32 * 1024;
/** Strings up to this long are copied into `chars`; longer ones join the `text` rope. */
const SHORT = 24;
/** String lengths from here up take a second op slot (batch.rs's LONG). */
const LONG = 2 ** 27 - 1;

const hasOwn = Object.prototype.hasOwnProperty;

type Reentered = [number, string, object | undefined, unknown, FieldRedactor | undefined];

/** A copy of `a[0..used]` in an array with room for `more` (at least twice as large). */
function grown<T extends Uint16Array | Uint32Array | Float64Array>(a: T, used: number, more: number): T {
  const bigger = new (a.constructor as new (n: number) => T)(Math.max(a.length * 2, used + more));
  bigger.set(a.subarray(0, used));
  return bigger;
}

export class NativeEngine implements Engine {
  readonly name = 'native';
  private readonly producer: NativeProducer;
  /** Read the clock for each record (the writer formats it), or call a custom time function. */
  private readonly clock: boolean;
  private readonly timeFn: (() => string) | undefined;
  private readonly lazy: boolean;
  private readonly objectJson: Dialect['objectJson'];
  private readonly dialect: Dialect;
  private readonly messageKey: string;
  private readonly nestedKey: string | undefined;
  private readonly destinations: string[];
  private readonly flushInterval: number;

  // The batch being filled (see crates/kakashi-core/src/batch.rs).
  private text = '';
  private chars: Uint16Array = new Uint16Array(CHARS_SOFT_LIMIT * 2);
  private nChars = 0;
  private ops: Uint32Array = new Uint32Array(OPS_SOFT_LIMIT * 2);
  private at = 0;
  private nums: Float64Array = new Float64Array(NUMS_SOFT_LIMIT * 2);
  private nNums = 0;
  private records = 0;
  /** The bindings the batch last announced: they stay in force until changed. */
  private lastBindings: string | null = null;
  private timer: NodeJS.Timeout | undefined;

  private enqueued = 0;
  private droppedHere = 0;
  private closed = false;
  private closing: Promise<void> | undefined;
  /** Set at exit: each record is written before its call returns. */
  private writeThrough = false;
  private readonly exitTimeout: number;
  /** A record is being captured: a log call made meanwhile (re-entrant) waits in `reentered`. */
  private capturing = false;
  private readonly reentered: Reentered[] = [];

  constructor(binding: NativeBinding, o: Resolved) {
    this.producer = new binding.NativeProducer({
      targets: o.targets.map(({ destination: d, format, colour, minLevel, belowLevel }) => ({
        kind: d.kind,
        fd: d.kind === 'fd' ? d.fd : undefined,
        path: d.kind === 'path' ? d.path : undefined,
        mkdir: d.kind === 'path' ? d.mkdir : undefined,
        append: d.kind === 'path' ? d.append : undefined,
        rotate: d.kind === 'path' ? d.rotate : undefined,
        format,
        colour,
        minLevel: Math.min(minLevel, 0xffffffff), // 'silent' is Infinity: above every level
        belowLevel: Math.min(belowLevel, 0xffffffff),
      })),
      bufferSize: o.bufferSize,
      dropWhenFull: o.dropWhenFull,
      messageKey: o.messageKey,
      levelKey: o.levelKey,
      levels: o.levelSpecs,
      timeFormat: timeFormat(o.time),
      crlf: o.crlf,
    });
    this.destinations = o.targets.map((t) => t.destinationText);
    this.clock = o.time !== 'none' && typeof o.time !== 'function';
    this.timeFn = typeof o.time === 'function' ? o.time : undefined;
    this.dialect = o.dialect;
    this.lazy = o.dialect.lazy;
    this.objectJson = o.dialect.objectJson;
    this.messageKey = o.messageKey;
    this.nestedKey = o.nestedKey;
    this.flushInterval = o.flushInterval;
    this.exitTimeout = o.exitTimeout;
  }

  write(level: number, bindings: string, fields: object | undefined, msg: unknown, redact: FieldRedactor | undefined): void {
    this.enqueued++;
    if (this.closed) {
      this.droppedHere++;
      return;
    }
    if (this.capturing) {
      // A lazy field, getter or toJSON of the record being captured logs: its record follows this one.
      this.reentered.push([level, bindings, fields, msg, redact]);
      return;
    }
    this.capturing = true;
    try {
      this.capture(level, bindings, fields, msg, redact);
      while (this.reentered.length > 0) {
        const [l, b, f, m, r] = this.reentered.shift() as Reentered;
        this.capture(l, b, f, m, r);
      }
    } finally {
      this.capturing = false;
    }
    if (this.writeThrough) this.flushSync();
  }

  /** One record into the batch: whole, or rolled back and captured member by member. */
  private capture(level: number, bindings: string, fields: object | undefined, msg: unknown, redact: FieldRedactor | undefined): void {
    const { text, nChars, at, nNums, lastBindings } = this;
    const rollback = (): void => {
      this.text = text;
      this.nChars = nChars;
      this.at = at;
      this.nNums = nNums;
      this.lastBindings = lastBindings;
    };
    try {
      this.encode(level, bindings, fields, msg, redact);
    } catch (e) {
      rollback();
      if (e instanceof RangeError && this.records > 0) {
        // The batch's strings together passed V8's longest string: hand over what is there first.
        this.submit();
        this.capture(level, bindings, fields, msg, redact);
        return;
      }
      // A getter or proxy trap threw mid-record: read each field on its own.
      try {
        this.encodeSafe(level, bindings, fields, msg, redact);
      } catch {
        // The record's own strings together pass V8's longest string: cut the long ones, marked.
        rollback();
        this.encodeSafe(level, bindings, fields === undefined ? undefined : cutLongStrings(fields), cutLong(msg), redact);
      }
    }
    if (this.records++ === 0 && this.timer === undefined) this.schedule();
    if (
      this.at > OPS_SOFT_LIMIT ||
      this.nNums > NUMS_SOFT_LIMIT ||
      this.nChars > CHARS_SOFT_LIMIT ||
      this.text.length > TEXT_SOFT_LIMIT
    ) {
      this.submit();
    }
  }

  private encode(level: number, bindings: string, fields: object | undefined, msg: unknown, redact: FieldRedactor | undefined): void {
    if (bindings !== this.lastBindings) {
      this.str(BINDINGS, bindings);
      this.lastBindings = bindings;
    }
    this.open(level);
    if (fields !== undefined) {
      if (this.nestedKey !== undefined) this.nested(fields, redact);
      else
        for (const k in fields) {
          if (!hasOwn.call(fields, k)) continue;
          let v = (fields as Record<string, unknown>)[k];
          if (redact !== undefined && (v = redact(k, v)) === REMOVED) continue;
          if (typeof v === 'function') {
            if (!this.lazy) continue;
            v = callLazy(v as () => unknown);
          }
          this.value(k, v);
        }
    }
    this.message(msg);
    this.op(END);
  }

  /** A record's first ops: a custom time's members, the level, and the clock (NaN for none). */
  private open(level: number): void {
    if (this.timeFn !== undefined) this.str(TIME, customTime(this.timeFn));
    this.op(REC + 32 * level);
    this.num(this.clock ? Date.now() : NaN);
  }

  /** One field: its key and value ops, or nothing where JSON omits the value. */
  private value(k: string, v: unknown): void {
    switch (typeof v) {
      case 'string':
        this.str(KEY, k);
        this.str(STR, v);
        break;
      case 'number':
        this.str(KEY, k);
        this.op(NUM);
        this.num(v);
        break;
      case 'boolean':
        this.str(KEY, k);
        this.op(v ? TRUE : FALSE);
        break;
      case 'object':
      case 'bigint': {
        if (v === null) {
          this.str(KEY, k);
          this.op(NULL);
          break;
        }
        const j = typeof v === 'bigint' ? '' + v : this.objectJson(v as object);
        if (j === undefined) break;
        this.str(KEY, k);
        this.str(RAW, j);
        break;
      }
      // undefined, symbol, function: omitted, as JSON omits them
    }
  }

  /** The message: a string op, or any other JSON value under the message key (pino writes `"msg":42`). */
  private message(msg: unknown): void {
    if (typeof msg === 'string') this.str(MSG, msg);
    else if (msg !== undefined) this.value(this.messageKey, msg);
  }

  /** pino's nestedKey: the fields as one nested object (serialized here: only JavaScript reads them). */
  private nested(fields: object, redact: FieldRedactor | undefined): void {
    const members = fieldsJson(fields, redact, this.dialect);
    if (members === '') return;
    this.str(KEY, this.nestedKey as string);
    this.str(RAW, '{' + members.slice(1) + '}');
  }

  // Every write into the capture arrays goes through op(), num() or str(), and each makes its
  // own room: no record, however wide, can run past an array's end.

  private op(word: number): void {
    if (this.at === this.ops.length) this.ops = grown(this.ops, this.at, 1);
    this.ops[this.at++] = word;
  }

  private num(v: number): void {
    if (this.nNums === this.nums.length) this.nums = grown(this.nums, this.nNums, 1);
    this.nums[this.nNums++] = v;
  }

  /** One string op: short strings are copied into `chars`, long ones join the `text` rope. */
  private str(tag: number, s: string): void {
    const len = s.length;
    if (len <= SHORT) {
      if (this.nChars + len > this.chars.length) this.chars = grown(this.chars, this.nChars, len);
      const chars = this.chars;
      let c = this.nChars;
      for (let j = 0; j < len; j++) chars[c++] = s.charCodeAt(j);
      this.nChars = c;
      this.op(tag + 32 * len);
    } else {
      this.text += s;
      if (len < LONG) this.op(tag + 16 + 32 * len);
      else {
        this.op(tag + 16 + 32 * LONG);
        this.op(len);
      }
    }
  }

  /** The same record with its fields serialized member by member, each failure contained. */
  private encodeSafe(level: number, bindings: string, fields: object | undefined, msg: unknown, redact: FieldRedactor | undefined): void {
    let members = fields === undefined ? '' : safeFieldsJson(fields, redact, this.dialect);
    if (this.nestedKey !== undefined && members !== '') members = ',' + JSON.stringify(this.nestedKey) + ':{' + members.slice(1) + '}';
    this.str(BINDINGS, bindings);
    this.lastBindings = bindings;
    this.open(level);
    this.str(MEMBERS, members);
    this.message(msg);
    this.op(END);
  }

  private schedule(): void {
    this.timer = backgroundTimer(this.flushInterval, () => {
      this.timer = undefined;
      this.submit();
    });
  }

  /** Hands the current batch to the writer thread. */
  submit(): void {
    if (this.records === 0) return;
    const { text, nChars, at, nNums, records } = this;
    this.text = '';
    this.nChars = 0;
    this.at = 0;
    this.nNums = 0;
    this.records = 0;
    this.lastBindings = null;
    try {
      this.producer.submit(text, text.length, this.chars, nChars, this.ops, at, this.nums, nNums, records);
    } catch (e) {
      this.refused(records, e);
    }
  }

  /** A batch the binding could not take: never lost quietly — counted, marked in the output, warned about once. */
  private refused(records: number, e: unknown): void {
    try {
      this.producer.lose(records);
    } catch {
      // The writer is gone (closed under us): the records are counted here.
      this.droppedHere += records;
    }
    warnOnce(`refused:${this.destinations.join(',')}`, `a batch of ${records} records could not be handed to the writer (${e instanceof Error ? e.message : String(e)}); they are counted in getStats().dropped`);
  }

  flush(): Promise<void> {
    this.submit();
    return withinLimit(this.producer.flush(), this.exitTimeout);
  }

  /** Writes what is pending before returning, waiting at most exitTimeout for a destination that takes no writes. */
  flushSync(): boolean {
    this.submit();
    return this.producer.flushSync(this.exitTimeout);
  }

  /** The process is exiting: what is pending is written, and every later record before its call returns. */
  exit(): boolean {
    this.writeThrough = true;
    this.producer.waitAtMost(this.exitTimeout);
    return this.flushSync();
  }

  reopen(): void {
    this.submit();
    this.producer.reopen();
  }

  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
    this.submit();
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.flush();
    this.producer.close(this.exitTimeout);
  }

  stats(): Stats {
    const targets = this.producer.stats().map((s, i) => {
      const dropped = s.dropped + this.droppedHere;
      return {
        destination: this.destinations[i],
        enqueued: this.enqueued,
        written: s.written,
        dropped,
        filtered: s.filtered,
        queued: Math.max(0, this.enqueued - s.written - dropped - s.filtered),
        bytesWritten: s.bytesWritten,
        errors: s.errors,
      };
    });
    return combineStats(targets);
  }


}

/** The writer's JSON form of `time` for a standard choice. */
function timeFormat(time: TimeChoice): 'epoch' | 'unix' | 'iso' {
  return time === 'unix' || time === 'iso' ? time : 'epoch';
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
