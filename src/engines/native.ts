// The native engine's JS side: capture a record's raw values into the current batch (one
// string, one Float64Array of ops) and hand whole batches to the Rust writer in one call.
// Formatting, escaping, number printing and I/O all happen on the writer thread.
// The op numbers are crates/kakashi-core/src/batch.rs's `tag` module.

import type { Stats } from '../../index';
import type { Resolved } from '../options';
import { callLazy, objectJson, safeFieldsJson } from '../serialize';
import type { Engine } from './engine';
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

/** Ops slots and text units after which a batch is handed over: ~256 records of 4 fields. */
const OPS_SOFT_LIMIT = 4096;
const TEXT_SOFT_LIMIT = 32 * 1024;
/** Room a record may need beyond a field's 3 slots: header, message, end. */
const SLACK = 8;

const hasOwn = Object.prototype.hasOwnProperty;

export class NativeEngine implements Engine {
  readonly name = 'native';
  private readonly producer: NativeProducer;
  private readonly timestamp: boolean;
  private readonly flushInterval: number;

  private text = '';
  private ops: Float64Array = new Float64Array(OPS_SOFT_LIMIT * 2);
  private at = 0;
  private records = 0;
  /** The bindings the batch last announced: they stay in force until changed. */
  private lastBindings: string | null = null;
  private timer: NodeJS.Timeout | undefined;

  private enqueued = 0;
  private droppedHere = 0;
  private closed = false;

  constructor(binding: NativeBinding, o: Resolved) {
    const d = o.destination;
    this.producer = new binding.NativeProducer({
      kind: d.kind,
      fd: d.kind === 'fd' ? d.fd : undefined,
      path: d.kind === 'path' ? d.path : undefined,
      mkdir: d.kind === 'path' ? d.mkdir : undefined,
      append: d.kind === 'path' ? d.append : undefined,
      bufferSize: o.bufferSize,
      dropWhenFull: o.dropWhenFull,
    });
    this.timestamp = o.timestamp;
    this.flushInterval = o.flushInterval;
  }

  write(level: number, bindings: string, fields: object | undefined, msg: string | undefined): void {
    this.enqueued++;
    if (this.closed) {
      this.droppedHere++;
      return;
    }
    const text = this.text;
    const at = this.at;
    const lastBindings = this.lastBindings;
    try {
      this.encode(level, bindings, fields, msg);
    } catch {
      // A getter or proxy trap threw mid-record: roll back, then read each field on its own.
      this.text = text;
      this.at = at;
      this.lastBindings = lastBindings;
      this.encodeSafe(level, bindings, fields, msg);
    }
    if (this.records++ === 0 && this.timer === undefined) this.schedule();
    if (this.at > OPS_SOFT_LIMIT || this.text.length > TEXT_SOFT_LIMIT) this.submit();
  }

  private encode(level: number, bindings: string, fields: object | undefined, msg: string | undefined): void {
    let ops = this.ops;
    let s = this.text;
    let i = this.at;
    if (bindings !== this.lastBindings) {
      s += bindings;
      ops[i++] = BINDINGS + 16 * bindings.length;
      this.lastBindings = bindings;
    }
    ops[i++] = REC + 16 * level;
    ops[i++] = this.timestamp ? Date.now() : NaN;
    if (fields !== undefined) {
      for (const k in fields) {
        if (!hasOwn.call(fields, k)) continue;
        let v = (fields as Record<string, unknown>)[k];
        if (typeof v === 'function') v = callLazy(v as () => unknown);
        if (i + 3 + SLACK > ops.length) ops = this.grow(i);
        switch (typeof v) {
          case 'string':
            s += k;
            s += v;
            ops[i++] = KEY + 16 * k.length;
            ops[i++] = STR + 16 * v.length;
            break;
          case 'number':
            s += k;
            ops[i++] = KEY + 16 * k.length;
            ops[i++] = NUM;
            ops[i++] = v;
            break;
          case 'boolean':
            s += k;
            ops[i++] = KEY + 16 * k.length;
            ops[i++] = v ? TRUE : FALSE;
            break;
          case 'object':
          case 'bigint': {
            if (v === null) {
              s += k;
              ops[i++] = KEY + 16 * k.length;
              ops[i++] = NULL;
              break;
            }
            const j = typeof v === 'bigint' ? '' + v : objectJson(v as object);
            if (j === undefined) break;
            s += k;
            s += j;
            ops[i++] = KEY + 16 * k.length;
            ops[i++] = RAW + 16 * j.length;
            break;
          }
          // undefined, symbol, function: omitted, as JSON omits them
        }
      }
    }
    if (msg !== undefined) {
      s += msg;
      ops[i++] = MSG + 16 * msg.length;
    }
    ops[i++] = END;
    this.text = s;
    this.at = i;
  }

  /** The same record with its fields serialized member by member, each failure contained. */
  private encodeSafe(level: number, bindings: string, fields: object | undefined, msg: string | undefined): void {
    const members = fields === undefined ? '' : safeFieldsJson(fields);
    let i = this.at;
    const ops = this.grow(i);
    this.text += bindings + members + (msg ?? '');
    ops[i++] = BINDINGS + 16 * bindings.length;
    this.lastBindings = bindings;
    ops[i++] = REC + 16 * level;
    ops[i++] = this.timestamp ? Date.now() : NaN;
    ops[i++] = MEMBERS + 16 * members.length;
    if (msg !== undefined) ops[i++] = MSG + 16 * msg.length;
    ops[i++] = END;
    this.at = i;
  }

  /** Makes room for at least one more field and the record's end. */
  private grow(used: number): Float64Array {
    if (used + 3 + SLACK <= this.ops.length) return this.ops;
    const bigger = new Float64Array(this.ops.length * 2);
    bigger.set(this.ops.subarray(0, used));
    this.ops = bigger;
    return bigger;
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.submit();
    }, this.flushInterval);
    this.timer.unref();
  }

  /** Hands the current batch to the writer thread. */
  submit(): void {
    if (this.records === 0) return;
    const { text, at, records } = this;
    this.text = '';
    this.at = 0;
    this.records = 0;
    this.lastBindings = null;
    try {
      this.producer.submit(text, text.length, this.ops, at, records);
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

  async close(): Promise<void> {
    if (this.closed) return;
    this.submit();
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.producer.flush();
    this.producer.close();
  }

  stats(): Stats {
    const s = this.producer.stats();
    const dropped = s.dropped + this.droppedHere;
    return {
      enqueued: this.enqueued,
      written: s.written,
      dropped,
      queued: Math.max(0, this.enqueued - s.written - dropped),
      bytesWritten: s.bytesWritten,
      errors: s.errors,
    };
  }
}
