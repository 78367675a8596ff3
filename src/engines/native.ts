// The native engine's JS side: capture a record's raw values into the current batch (short
// strings into a Uint16Array, long ones onto a string, numbers into a Float64Array, ops into a
// Uint32Array) and hand whole batches to the Rust writer in one call.
// Formatting, escaping, number printing and I/O all happen on the writer thread.
// The op layout and numbers are crates/kakashi-core/src/batch.rs's.

import type { Stats } from '../../index';
import type { Resolved } from '../options';
import type { FieldRedactor } from '../redact';
import { callLazy, objectJson, safeFieldsJson } from '../serialize';
import { REMOVED } from '../symbols';
import { backgroundTimer, combineStats, type Engine } from './engine';
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

/** Batch sizes after which a batch is handed over: about 400 records of 4 fields. */
const OPS_SOFT_LIMIT = 4096;
const NUMS_SOFT_LIMIT = 2048;
const CHARS_SOFT_LIMIT = 16 * 1024;
const TEXT_SOFT_LIMIT = 32 * 1024;
/** Strings up to this long are copied into `chars`; longer ones join the `text` rope. */
const SHORT = 24;
/** Room a record may need beyond one field: header, message, end. */
const OPS_SLACK = 8;
/** String lengths from here up take a second op slot (batch.rs's LONG). */
const LONG = 2 ** 27 - 1;

const hasOwn = Object.prototype.hasOwnProperty;

export class NativeEngine implements Engine {
  readonly name = 'native';
  private readonly producer: NativeProducer;
  private readonly timestamp: boolean;
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

  constructor(binding: NativeBinding, o: Resolved) {
    this.producer = new binding.NativeProducer({
      targets: o.targets.map(({ destination: d, format, colour, minLevel }) => ({
        kind: d.kind,
        fd: d.kind === 'fd' ? d.fd : undefined,
        path: d.kind === 'path' ? d.path : undefined,
        mkdir: d.kind === 'path' ? d.mkdir : undefined,
        append: d.kind === 'path' ? d.append : undefined,
        rotate: d.kind === 'path' ? d.rotate : undefined,
        format,
        colour,
        minLevel: Math.min(minLevel, 0xffffffff), // 'silent' is Infinity: above every level
      })),
      bufferSize: o.bufferSize,
      dropWhenFull: o.dropWhenFull,
      messageKey: o.messageKey,
      levelKey: o.levelKey,
      levelMembers: o.levelMembers,
      isoTime: o.isoTime,
    });
    this.destinations = o.targets.map((t) => t.destinationText);
    this.timestamp = o.timestamp;
    this.flushInterval = o.flushInterval;
  }

  write(level: number, bindings: string, fields: object | undefined, msg: string | undefined, redact: FieldRedactor | undefined): void {
    this.enqueued++;
    if (this.closed) {
      this.droppedHere++;
      return;
    }
    const { text, nChars, at, nNums, lastBindings } = this;
    try {
      this.encode(level, bindings, fields, msg, redact);
    } catch {
      // A getter or proxy trap threw mid-record: roll back, then read each field on its own.
      this.text = text;
      this.nChars = nChars;
      this.at = at;
      this.nNums = nNums;
      this.lastBindings = lastBindings;
      this.encodeSafe(level, bindings, fields, msg, redact);
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

  private encode(level: number, bindings: string, fields: object | undefined, msg: string | undefined, redact: FieldRedactor | undefined): void {
    if (bindings !== this.lastBindings) {
      this.str(BINDINGS, bindings);
      this.lastBindings = bindings;
    }
    let ops = this.ops;
    ops[this.at++] = REC + 32 * level;
    this.nums[this.nNums++] = this.timestamp ? Date.now() : NaN;
    if (fields !== undefined) {
      for (const k in fields) {
        if (!hasOwn.call(fields, k)) continue;
        let v = (fields as Record<string, unknown>)[k];
        if (redact !== undefined && (v = redact(k, v)) === REMOVED) continue;
        if (typeof v === 'function') v = callLazy(v as () => unknown);
        if (this.at + 4 + OPS_SLACK > ops.length || this.nChars + 2 * SHORT > this.chars.length || this.nNums + 2 > this.nums.length) {
          ops = this.grow();
        }
        switch (typeof v) {
          case 'string':
            this.str(KEY, k);
            this.str(STR, v);
            break;
          case 'number':
            this.str(KEY, k);
            ops[this.at++] = NUM;
            this.nums[this.nNums++] = v;
            break;
          case 'boolean':
            this.str(KEY, k);
            ops[this.at++] = v ? TRUE : FALSE;
            break;
          case 'object':
          case 'bigint': {
            if (v === null) {
              this.str(KEY, k);
              ops[this.at++] = NULL;
              break;
            }
            const j = typeof v === 'bigint' ? '' + v : objectJson(v as object);
            if (j === undefined) break;
            this.str(KEY, k);
            this.str(RAW, j);
            break;
          }
          // undefined, symbol, function: omitted, as JSON omits them
        }
      }
    }
    if (msg !== undefined) this.str(MSG, msg);
    ops[this.at++] = END;
  }

  /** One string op: short strings are copied into `chars`, long ones join the `text` rope. */
  private str(tag: number, s: string): void {
    const len = s.length;
    if (len <= SHORT) {
      const chars = this.chars;
      let c = this.nChars;
      for (let j = 0; j < len; j++) chars[c++] = s.charCodeAt(j);
      this.nChars = c;
      this.ops[this.at++] = tag + 32 * len;
    } else {
      this.text += s;
      if (len < LONG) this.ops[this.at++] = tag + 16 + 32 * len;
      else {
        this.ops[this.at++] = tag + 16 + 32 * LONG;
        this.ops[this.at++] = len;
      }
    }
  }

  /** The same record with its fields serialized member by member, each failure contained. */
  private encodeSafe(level: number, bindings: string, fields: object | undefined, msg: string | undefined, redact: FieldRedactor | undefined): void {
    const members = fields === undefined ? '' : safeFieldsJson(fields, redact);
    const ops = this.grow();
    this.str(BINDINGS, bindings);
    this.lastBindings = bindings;
    ops[this.at++] = REC + 32 * level;
    this.nums[this.nNums++] = this.timestamp ? Date.now() : NaN;
    this.str(MEMBERS, members);
    if (msg !== undefined) this.str(MSG, msg);
    ops[this.at++] = END;
  }

  /** Makes room for one more field (or a whole safe-path record) and the record's end. */
  private grow(): Uint32Array {
    if (this.at + 4 + OPS_SLACK > this.ops.length) {
      const bigger = new Uint32Array(this.ops.length * 2);
      bigger.set(this.ops.subarray(0, this.at));
      this.ops = bigger;
    }
    if (this.nNums + 2 > this.nums.length) {
      const bigger = new Float64Array(this.nums.length * 2);
      bigger.set(this.nums.subarray(0, this.nNums));
      this.nums = bigger;
    }
    if (this.nChars + 2 * SHORT > this.chars.length) {
      const bigger = new Uint16Array(this.chars.length * 2);
      bigger.set(this.chars.subarray(0, this.nChars));
      this.chars = bigger;
    }
    return this.ops;
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
    } catch {
      // The writer is gone (closed under us): the records are lost, and counted.
      this.droppedHere += records;
    }
  }

  flush(): Promise<void> {
    this.submit();
    return this.producer.flush();
  }

  flushSync(): void {
    this.submit();
    this.producer.flushSync();
  }

  reopen(): void {
    this.submit();
    this.producer.reopen();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.submit();
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.producer.flush();
    this.producer.close();
  }

  stats(): Stats {
    const targets = this.producer.stats().map((s, i) => {
      const dropped = s.dropped + this.droppedHere;
      return {
        destination: this.destinations[i],
        written: s.written,
        dropped,
        filtered: s.filtered,
        queued: Math.max(0, this.enqueued - s.written - dropped - s.filtered),
        bytesWritten: s.bytesWritten,
        errors: s.errors,
      };
    });
    return combineStats(this.enqueued, targets);
  }

}
