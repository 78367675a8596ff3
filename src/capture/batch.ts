// The wire format between the JavaScript facade and the writer, and its encoder: the twin of
// crates/kakashi-core/src/batch.rs (whose module doc gives the layout; decode.rs the grammar).
// A record's raw values are captured, not serialized: short strings into a reused Uint16Array
// (`chars`), long ones onto a string (`text`, a rope), numbers into a Float64Array (`nums`), and
// ops into a Uint32Array (`ops`): `tag + 16 * stream + 32 * length`, a length of LONG or more in
// the next slot. Plain objects and arrays are captured member by member between OPEN and CLOSE;
// anything else nested is sent as its JSON text. A child's bindings go as BOUND members after
// its parent's text, a printf message with deferred objects as a template (`OPEN + 64`), and
// the batch's previous message again as MSG_AGAIN.
// `__test__/house.test.mjs` checks these numbers against batch.rs.

import { type Bindings, type Bound, bindingsText, RawJson } from '../bindings';
import type { Dialect } from '../dialect';
import type { FieldRedactor } from '../redact';
import { cutLong, cutLongStrings, fieldsJson, safeFieldsJson } from '../serialize';
import { customTime } from '../time';
import { now } from './clock';
import { fieldValue, isRawJson, plainKind, SKIP } from './field';
import { type Flat, MessageTemplate, PLACEHOLDER } from './template';

const hasOwn = Object.prototype.hasOwnProperty;

// Op tags (batch.rs `mod tag`), as literal constants: the encoder's hot path folds them.
const BOUND = 0;
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
const OPEN = 14;
const CLOSE = 15;

/** The op tags by name (batch.rs `mod tag`). */
export const tag = Object.freeze({ BOUND, REC, BINDINGS, KEY, STR, NUM, TRUE, FALSE, NULL, RAW, MSG, END, MEMBERS, TIME, OPEN, CLOSE });

/** The batch's previous message again (batch.rs's MSG_AGAIN): a repeated message is not copied. */
export const MSG_AGAIN = MSG + 16;

/**
 * Plain objects and arrays nested deeper than this are sent as JSON text: deep structures are
 * rare, and JSON.stringify's own paths (cycles, depth limits) then apply as they always have.
 */
const NEST_DEPTH = 8;

const objectProto = Object.prototype;
const arrayProto = Array.prototype;

/** Strings up to this long are copied into `chars`; longer ones join the `text` rope (batch.rs's SHORT). */
export const SHORT = 24;
/** String lengths from here up take a second op slot (batch.rs's LONG). */
export const LONG = 2 ** 27 - 1;

/** Batch sizes after which a batch is handed over: about 400 records of 4 fields. */
const OPS_SOFT_LIMIT = 4096;
const NUMS_SOFT_LIMIT = 2048;
const CHARS_SOFT_LIMIT = 16 * 1024;
const TEXT_SOFT_LIMIT = 32 * 1024;

/** The arrays' first sizes: an idle logger holds 3 KB of them (a full batch, ~128 KB). */
const OPS_FIRST = 256;
const NUMS_FIRST = 128;
const CHARS_FIRST = 512;

type Reentered = [number, string | undefined, object | undefined, unknown, FieldRedactor | undefined, Bindings];

/** A copy of `a[0..used]` in an array with room for `more` (at least twice as large). */
function grown<T extends Uint16Array | Uint32Array | Float64Array>(a: T, used: number, more: number): T {
  const bigger = new (a.constructor as new (n: number) => T)(Math.max(a.length * 2, used + more));
  bigger.set(a.subarray(0, used));
  return bigger;
}

/**
 * `a`, or a smaller array when the batch just taken used under an eighth of it: a burst's room is
 * given back once the load drops (the batch keeps `a`; the encoder continues in the new one).
 */
function rested<T extends Uint16Array | Uint32Array | Float64Array>(a: T, used: number, first: number): T {
  if (a.length <= first || used * 8 > a.length) return a;
  return new (a.constructor as new (n: number) => T)(Math.max(first, used * 2));
}

/**
 * What JSON.stringify serializes for member `key` holding `v`: its toJSON's result (called with
 * the key), a boxed primitive's value, or `v`. May throw (a getter, a toJSON).
 */
function toJsonValue(v: unknown, key: string | number): unknown {
  if (typeof v !== 'object' || v === null) {
    if (typeof v !== 'bigint') return v;
  }
  const toJSON = (v as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') v = toJSON.call(v, typeof key === 'number' ? String(key) : key);
  if (typeof v !== 'object' || v === null) return v;
  const proto = Object.getPrototypeOf(v);
  if (proto === objectProto || proto === arrayProto || proto === null) return v;
  // Boxed primitives are their values (JSON's ToNumber, ToString, [[BooleanData]], [[BigIntData]]).
  if (v instanceof Number) return Number(v);
  if (v instanceof String) return String(v);
  if (v instanceof Boolean || v instanceof BigInt) return v.valueOf();
  return v;
}

/** A batch ready to cross into native code. */
export interface EncodedBatch {
  text: string;
  chars: Uint16Array;
  nChars: number;
  ops: Uint32Array;
  at: number;
  nums: Float64Array;
  nNums: number;
  records: number;
}

export interface EncoderOptions {
  /** Read the clock for each record (the writer formats it); else a custom time function, or none. */
  readonly clock: boolean;
  readonly timeFn: (() => string) | undefined;
  readonly dialect: Dialect;
  readonly messageKey: string;
  readonly nestedKey: string | undefined;
}

/** One thread's batch being filled, for one logger tree. */
export class BatchEncoder {
  private readonly clock: boolean;
  private readonly timeFn: (() => string) | undefined;
  private readonly lazy: boolean;
  private readonly objectJson: Dialect['objectJson'];
  private readonly dialect: Dialect;
  private readonly messageKey: string;
  private readonly nestedKey: string | undefined;

  private text = '';
  // Grown as records need room (up to about twice the soft limits), given back when idle.
  private chars: Uint16Array = new Uint16Array(CHARS_FIRST);
  private nChars = 0;
  private ops: Uint32Array = new Uint32Array(OPS_FIRST);
  private at = 0;
  private nums: Float64Array = new Float64Array(NUMS_FIRST);
  private nNums = 0;
  /** Records in the batch. */
  records = 0;
  /**
   * The bindings the batch last announced (they stay in force until changed), and the logger
   * whose record announced them: another logger's are announced without comparing the two
   * strings (comparing concatenated strings flattens both).
   */
  private lastBindings: string | undefined | null = null;
  private lastOwner: Bindings | undefined = undefined;
  /** The last BINDINGS text: the base a child's BOUND members extend. */
  private lastBase: string | null = null;
  /** The batch's last message string, which MSG_AGAIN repeats. */
  private lastMsg: string | undefined = undefined;
  /** A record is being captured: a log call made meanwhile (re-entrant) waits in `reentered`. */
  private capturing = false;
  private readonly reentered: Reentered[] = [];

  /** `handOver()` takes the batch (submits it): when it is full, or before a record too large to join it. */
  constructor(
    o: EncoderOptions,
    private readonly handOver: () => void,
  ) {
    this.clock = o.clock;
    this.timeFn = o.timeFn;
    this.dialect = o.dialect;
    this.lazy = o.dialect.lazy;
    this.objectJson = o.dialect.objectJson;
    this.messageKey = o.messageKey;
    this.nestedKey = o.nestedKey;
  }

  /** One record; a log call made while it is captured (a lazy field that logs) follows it. Never throws for what it was given. */
  add(level: number, bindings: string | undefined, fields: object | undefined, msg: unknown, redact: FieldRedactor | undefined, owner: Bindings): void {
    if (this.capturing) {
      this.reentered.push([level, bindings, fields, msg, redact, owner]);
      return;
    }
    this.capturing = true;
    try {
      this.capture(level, bindings, fields, msg, redact, owner);
      while (this.reentered.length > 0) {
        const [l, b, f, m, r, o] = this.reentered.shift() as Reentered;
        this.capture(l, b, f, m, r, o);
      }
    } finally {
      this.capturing = false;
    }
  }

  /** The batch, and a fresh one started. */
  take(): EncodedBatch {
    const batch = { text: this.text, chars: this.chars, nChars: this.nChars, ops: this.ops, at: this.at, nums: this.nums, nNums: this.nNums, records: this.records };
    this.chars = rested(this.chars, this.nChars, CHARS_FIRST);
    this.ops = rested(this.ops, this.at, OPS_FIRST);
    this.nums = rested(this.nums, this.nNums, NUMS_FIRST);
    this.text = '';
    this.nChars = 0;
    this.at = 0;
    this.nNums = 0;
    this.records = 0;
    this.forget();
    return batch;
  }

  private capture(level: number, bindings: string | undefined, fields: object | undefined, msg: unknown, redact: FieldRedactor | undefined, owner: Bindings): void {
    const { text, nChars, at, nNums } = this;
    try {
      this.encode(level, bindings, fields, msg, redact, owner);
    } catch (e) {
      // What the record announced is dropped with it: the next record announces its own.
      this.rollback(text, nChars, at, nNums);
      this.forget();
      if (e instanceof RangeError && this.records > 0) {
        // The batch's strings together passed V8's longest string: hand over what is there first.
        this.handOver();
        this.capture(level, bindings, fields, msg, redact, owner);
        return;
      }
      // A getter or proxy trap threw mid-record: read each field on its own.
      const members = bindings ?? bindingsText(owner);
      try {
        this.encodeSafe(level, members, fields, msg, redact);
      } catch {
        // The record's own strings together pass V8's longest string: cut the long ones, marked.
        this.rollback(text, nChars, at, nNums);
        this.encodeSafe(level, members, fields === undefined ? undefined : cutLongStrings(fields), cutLong(msg), redact);
      }
    }
    this.records++;
    if (this.at > OPS_SOFT_LIMIT || this.nNums > NUMS_SOFT_LIMIT || this.nChars > CHARS_SOFT_LIMIT || this.text.length > TEXT_SOFT_LIMIT) {
      this.handOver();
    }
  }

  /** Back to where a record (or a nested value) began: what it wrote is dropped. */
  private rollback(text: string, nChars: number, at: number, nNums: number): void {
    this.text = text;
    this.nChars = nChars;
    this.at = at;
    this.nNums = nNums;
  }

  /** Nothing announced: the next record announces its bindings, and its message. */
  private forget(): void {
    this.lastBindings = null;
    this.lastOwner = undefined;
    this.lastBase = null;
    this.lastMsg = undefined;
  }

  private encode(level: number, bindings: string | undefined, fields: object | undefined, msg: unknown, redact: FieldRedactor | undefined, owner: Bindings): void {
    if (owner !== this.lastOwner || bindings !== this.lastBindings) {
      if (bindings === undefined) this.bound(owner);
      else {
        // Sent even when it is the base: a BOUND may have extended the base since.
        this.str(BINDINGS, bindings);
        this.lastBase = bindings;
      }
      this.lastBindings = bindings;
      this.lastOwner = owner;
    }
    this.open(level);
    if (fields !== undefined) {
      if (this.nestedKey !== undefined) this.nested(fields, redact);
      else
        for (const k in fields) {
          if (!hasOwn.call(fields, k)) continue;
          const v = fieldValue(k, (fields as Record<string, unknown>)[k], redact, this.lazy);
          if (v !== SKIP) this.value(k, v);
        }
    }
    this.message(msg);
    this.op(END);
  }

  /**
   * A child's bindings from its values: the text of its nearest ancestor that has one (sent
   * once while it stays the base), then BOUND and every child's own members down to `owner`,
   * parents' first (a later key wins, as in pino).
   */
  private bound(owner: Bindings): void {
    const up = owner.up as Bindings;
    const own = owner.own as Bound;
    if (up.text !== undefined) {
      // The common case: a child of a logger that has its text (a root, a request's child).
      this.base(up.text);
      this.op(BOUND + 32 * (own.length >> 1));
      this.boundValues(own);
      return;
    }
    let members = own.length >> 1;
    let b = up;
    while (b.text === undefined) {
      members += (b.own as Bound).length >> 1;
      b = b.up as Bindings;
    }
    this.base(b.text);
    this.op(BOUND + 32 * members);
    this.chainValues(up);
    this.boundValues(own);
  }

  /** The BINDINGS text BOUND members extend, sent when it is not already the base. */
  private base(text: string): void {
    if (text === this.lastBase) return;
    this.str(BINDINGS, text);
    this.lastBase = text;
  }

  /** The own members of `b` and of its ancestors up to the one with text, parents' first. */
  private chainValues(b: Bindings): void {
    if (b.text !== undefined) return;
    this.chainValues(b.up as Bindings);
    this.boundValues(b.own as Bound);
  }

  private boundValues(own: Bound): void {
    for (let i = 0; i < own.length; i += 2) {
      this.str(KEY, own[i] as string);
      const v = own[i + 1];
      if (v instanceof RawJson) this.str(RAW, v.json);
      else this.element(v, 0);
    }
  }

  /** A record's first ops: a custom time's members, the level, and the clock (NaN for none). */
  private open(level: number): void {
    if (this.timeFn !== undefined) this.str(TIME, customTime(this.timeFn));
    this.op(REC + 32 * level);
    this.num(this.clock ? now() : NaN);
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
        if (typeof v === 'object' && this.nestedField(k, v)) break;
        const j = typeof v === 'bigint' ? '' + v : this.objectJson(v as object);
        if (j === undefined) break;
        this.str(KEY, k);
        this.str(RAW, j);
        break;
      }
      // undefined, symbol, function: omitted, as JSON omits them
    }
  }

  /**
   * A field whose value is a plain object or array, captured member by member as JSON.stringify
   * walks it (toJSON called with the member's key, boxed primitives unwrapped, any other object
   * as its own enumerable members); the writer renders the text. False, with nothing written,
   * for what only the JSON text paths can say — a BigInt, a cycle or nesting past NEST_DEPTH, a
   * getter or trap that throws, a JSON.rawJSON — and the field goes as JSON text instead, the
   * same bytes. (A top-level value with a toJSON or another prototype goes as JSON text too:
   * the dialect writes it, Errors its own way.)
   */
  private nestedField(k: string, v: object): boolean {
    const { text, nChars, at, nNums } = this;
    try {
      const kind = plainKind(v);
      if (kind === 0) return false;
      this.str(KEY, k);
      if (this.nest(v, kind === 2, 1)) return true;
    } catch {
      // A getter or proxy trap threw: the JSON text's own paths say what it was.
    }
    this.rollback(text, nChars, at, nNums);
    return false;
  }

  /** `o`'s ops from OPEN to CLOSE, or false (leaving partial ops for the caller to drop). */
  private nest(o: object, array: boolean, depth: number): boolean {
    if (depth > NEST_DEPTH) return false;
    if (array) {
      this.op(OPEN + 32);
      const a = o as unknown[];
      // Read once, as JSON.stringify reads it.
      const n = a.length;
      for (let i = 0; i < n; i++) {
        const v = toJsonValue(a[i], i);
        // JSON writes null for what it omits from objects.
        if (v === undefined || typeof v === 'function' || typeof v === 'symbol') this.op(NULL);
        else if (!this.element(v, depth)) return false;
      }
    } else {
      this.op(OPEN);
      for (const k in o) {
        if (!hasOwn.call(o, k)) continue;
        const v = toJsonValue((o as Record<string, unknown>)[k], k);
        if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
        this.str(KEY, k);
        if (!this.element(v, depth)) return false;
      }
    }
    this.op(CLOSE);
    return true;
  }

  /** One member's or element's value (after toJsonValue) inside a nested value; false for what only JSON text can say. */
  private element(v: unknown, depth: number): boolean {
    switch (typeof v) {
      case 'string':
        this.str(STR, v);
        return true;
      case 'number':
        this.op(NUM);
        this.num(v);
        return true;
      case 'boolean':
        this.op(v ? TRUE : FALSE);
        return true;
      case 'object':
        if (v === null) {
          this.op(NULL);
          return true;
        }
        if (Array.isArray(v)) return this.nest(v, true, depth + 1);
        return !isRawJson(v) && this.nest(v, false, depth + 1);
      default:
        // A BigInt: JSON.stringify throws, and the JSON text paths write it.
        return false;
    }
  }

  /** The message: a string op, a printf template, or any other JSON value under the message key (pino writes `"msg":42`). */
  private message(msg: unknown): void {
    if (typeof msg === 'string') {
      // (The same constant, a pointer compare; an equal string of another identity is compared,
      // which still costs less than its copy.)
      if (msg === this.lastMsg) this.op(MSG_AGAIN);
      else {
        this.str(MSG, msg);
        this.lastMsg = msg;
      }
    } else if (msg instanceof MessageTemplate) this.template(msg);
    else if (msg !== undefined) this.value(this.messageKey, msg);
  }

  /** A printf message's text parts and, between them, its objects' members (the writer makes their JSON). */
  private template(t: MessageTemplate): void {
    this.op(OPEN + 64);
    const raw = t.raw;
    let from = 0;
    for (const v of t.values) {
      const at = raw.indexOf(PLACEHOLDER, from);
      if (at > from) this.str(STR, raw.slice(from, at));
      this.flat(v);
      from = at + 1;
    }
    if (from < raw.length) this.str(STR, raw.slice(from));
    this.op(CLOSE);
  }

  private flat(f: Flat): void {
    const items = f.items;
    if (f.array) {
      this.op(OPEN + 32);
      for (let i = 0; i < items.length; i++) this.element(items[i], 0);
    } else {
      this.op(OPEN);
      for (let i = 0; i < items.length; i += 2) {
        this.str(KEY, items[i] as string);
        this.element(items[i + 1], 0);
      }
    }
    this.op(CLOSE);
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
    this.forget();
    this.lastBase = bindings;
    this.open(level);
    this.str(MEMBERS, members);
    this.message(msg);
    this.op(END);
  }
}
