// Turning arbitrary JavaScript values into JSON text without ever throwing. The fast paths are
// the engine's own `JSON.stringify`; the safe path below takes over only when it throws
// (circular references, BigInt, throwing getters or toJSON, revoked proxies, runaway depth).

import { fieldValue, SKIP } from './capture/field';
import type { FieldRedactor } from './redact';
import { CIRCULAR, THROWS } from './symbols';

/** Placeholders written where a value cannot be serialized as it is. */
export { CIRCULAR, THROWS } from './symbols';

/**
 * pino's `depthLimit` and `edgeLimit`, applied where JSON.stringify cannot cope (as pino's are):
 * objects nested deeper are written "[Object]" / "[Array]", members past the breadth are
 * summarised as safe-stable-stringify (pino's fallback) words it.
 */
export interface Limits {
  readonly depth: number;
  readonly edges: number;
}

export const DEFAULT_LIMITS: Limits = { depth: 100, edges: Infinity };

/** How a logger tree turns values into JSON and arguments into a message: Kakashi's dialect
 *  (dialect.ts) or pino's (pino/dialect.ts). */
export interface Dialect {
  /** Function values in fields and bindings are called (Kakashi's lazy fields), or omitted (pino). */
  readonly lazy: boolean;
  /** JSON text of a nested value (object, array, error, BigInt); undefined where JSON omits it. Never throws. */
  readonly objectJson: (v: object) => string | undefined;
  /** The message from the call's message argument and the arguments after it (printf). */
  readonly format: (msg: unknown, params: unknown[]) => unknown;
  /** `log.info('message', { fields })`: Kakashi's form, where pino drops the object. */
  readonly messageThenFields: boolean;
}



const hasOwn = Object.prototype.hasOwnProperty;
const objectToString = Object.prototype.toString;


/** Anything `JSON.stringify` would escape in a string. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** The characters JSON escapes in ASCII text, one needle each. */
const ASCII_ESCAPES = ['"', '\\', ...Array.from({ length: 32 }, (_, c) => String.fromCharCode(c))];

/**
 * Whether ASCII text holds a character JSON escapes. One `indexOf` per character is a
 * vectorized search each: for kilobytes of text, 34 of them cost a third of one regex pass.
 */
function asciiNeedsEscape(s: string): boolean {
  for (let i = 0; i < ASCII_ESCAPES.length; i++) if (s.indexOf(ASCII_ESCAPES[i]) !== -1) return true;
  return false;
}

/** Characters of a long string's head that show whether it is ASCII text, mostly. */
const HEAD = 8;

/**
 * Whether a long string holds a character JSON escapes: clean ASCII text is searched needle by
 * needle; text with a non-ASCII head goes straight to the regular expression, skipping the
 * ASCII test, a full scan of its own (2.3 µs for 2,000 two-byte characters).
 */
function longNeedsEscape(s: string, n: number): boolean {
  for (let i = 0; i < HEAD; i++) if (s.charCodeAt(i) > 127) return NEEDS_ESCAPE.test(s);
  return Buffer.byteLength(s) === n ? asciiNeedsEscape(s) : NEEDS_ESCAPE.test(s);
}

/**
 * A JSON string literal, byte-identical to `JSON.stringify(s)`. Clean text (the usual case) is
 * only scanned, never copied: a loop for short strings, a regular expression for longer ones,
 * vectorized searches for long ASCII text; `JSON.stringify` (a copy) only when something needs
 * escaping.
 */
export function quote(s: string): string {
  const n = s.length;
  if (n > 64) {
    const dirty = n >= 512 ? longNeedsEscape(s, n) : NEEDS_ESCAPE.test(s);
    return dirty ? JSON.stringify(s) : '"' + s + '"';
  }
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c === 34 || c === 92 || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s);
  }
  return '"' + s + '"';
}

/** May throw for hostile objects (proxies); callers are inside a try. */
export function isError(v: object): v is Error {
  return v instanceof Error || objectToString.call(v) === '[object Error]';
}

/** JSON text of a field value, or undefined where JSON omits it (undefined, symbol, function). */
export function jsonValue(v: unknown, d?: Dialect): string | undefined {
  switch (typeof v) {
    case 'string':
      return quote(v);
    case 'number':
      return Number.isFinite(v) ? '' + v : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return '' + v;
    case 'object':
      return v === null ? 'null' : d === undefined ? objectJson(v) : d.objectJson(v);
    default:
      return undefined;
  }
}

/** JSON text of an object: errors get their fields and causes, the rest JSON's own rules. */
export function objectJson(v: object, limits: Limits = DEFAULT_LIMITS): string | undefined {
  try {
    // Plain objects and arrays, the usual case, skip the costlier error test.
    const proto = Object.getPrototypeOf(v);
    if (proto === Object.prototype || proto === Array.prototype || proto === null || !isError(v)) {
      return JSON.stringify(v);
    }
  } catch {
    // fall through to the safe path
  }
  return safeJson(v, [], '', limits);
}

/**
 * The members (`,"k":v,...`) of a record's fields or a child's bindings. Own enumerable keys in
 * JSON order; lazy (function) values are called; values JSON omits are skipped.
 */
export function fieldsJson(fields: object, redact?: FieldRedactor, d?: Dialect): string {
  try {
    let out = '';
    const lazy = d?.lazy !== false;
    for (const k in fields) {
      if (!hasOwn.call(fields, k)) continue;
      const v = fieldValue(k, (fields as Record<string, unknown>)[k], redact, lazy);
      if (v === SKIP) continue;
      const j = jsonValue(v, d);
      if (j !== undefined) out += ',' + quote(k) + ':' + j;
    }
    return out;
  } catch {
    return safeFieldsJson(fields, redact, d);
  }
}

/**
 * `fieldsJson` for objects whose keys or getters throw: each member is read on its own, and one
 * that throws (or whose redaction does) is written as "[Throws]".
 */
export function safeFieldsJson(fields: object, redact?: FieldRedactor, d?: Dialect): string {
  let keys: string[];
  try {
    keys = Object.keys(fields);
  } catch {
    return ',"fields":' + quote(THROWS);
  }
  let out = '';
  const lazy = d?.lazy !== false;
  for (const k of keys) {
    let j: string | undefined;
    try {
      const v = fieldValue(k, (fields as Record<string, unknown>)[k], redact, lazy);
      if (v === SKIP) continue;
      j = jsonValue(v, d);
    } catch {
      j = quote(THROWS);
    }
    if (j !== undefined) out += ',' + quote(k) + ':' + j;
  }
  return out;
}

/** JSON text of any value that never throws: the fallback for everything above. */
export function safeJson(value: unknown, stack: object[], key: string, limits: Limits = DEFAULT_LIMITS): string | undefined {
  if (typeof value !== 'object' || value === null) {
    return typeof value === 'function' ? undefined : jsonValue(value);
  }
  let v: unknown = value;
  try {
    const toJSON = (v as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      v = toJSON.call(v, key);
      if (typeof v !== 'object' || v === null) return safeJson(v, stack, key, limits);
    }
  } catch {
    return quote(THROWS);
  }
  const obj = v as object;
  // Boxed primitives are their values, as JSON.stringify writes them.
  if (obj instanceof String || obj instanceof Number || obj instanceof Boolean || obj instanceof BigInt) return jsonValue(obj.valueOf());
  if (stack.includes(obj)) return quote(CIRCULAR);
  if (stack.length >= limits.depth) return Array.isArray(obj) ? '"[Array]"' : '"[Object]"';
  stack.push(obj);
  try {
    if (isError(obj)) return errorJson(obj, stack, limits);
    if (Array.isArray(obj)) {
      let out = '[';
      const n = Math.min(obj.length, limits.edges);
      for (let i = 0; i < n; i++) {
        if (i > 0) out += ',';
        out += member(obj, String(i), stack, limits) ?? 'null';
      }
      if (n < obj.length) out += (n > 0 ? ',' : '') + quote(`... ${notStringified(obj.length - n)}`);
      return out + ']';
    }
    let out = '';
    const keys = Object.keys(obj);
    const n = Math.min(keys.length, limits.edges);
    for (let i = 0; i < n; i++) {
      const j = member(obj, keys[i], stack, limits);
      if (j !== undefined) out += ',' + quote(keys[i]) + ':' + j;
    }
    if (n < keys.length) out += ',"...":' + quote(notStringified(keys.length - n));
    return '{' + out.slice(1) + '}';
  } catch {
    return quote(THROWS);
  } finally {
    stack.pop();
  }
}

function notStringified(n: number): string {
  return `${n} ${n === 1 ? 'item' : 'items'} not stringified`;
}

function member(obj: object, k: string, stack: object[], limits: Limits): string | undefined {
  let v: unknown;
  try {
    v = (obj as Record<string, unknown>)[k];
  } catch {
    return quote(THROWS);
  }
  return safeJson(v, stack, k, limits);
}

const ERROR_OWN_KEYS = new Set(['type', 'message', 'stack', 'cause', 'errors']);

/**
 * An Error as `{type, message, stack, ...own enumerable props, cause, errors}`; a `cause` that
 * is an Error is serialized the same way, recursively, with cycles cut.
 */
function errorJson(err: Error, stack: object[], limits: Limits): string {
  const e = err as Error & Record<string, unknown>;
  let type: string;
  try {
    type = (typeof e.constructor === 'function' && e.constructor.name) || String(e.name || 'Error');
  } catch {
    type = 'Error';
  }
  let out = '{"type":' + quote(type) + ',"message":' + quote(readString(e, 'message'));
  const stackText = readString(e, 'stack');
  if (stackText !== '') out += ',"stack":' + quote(stackText);
  for (const k of Object.keys(e)) {
    if (ERROR_OWN_KEYS.has(k)) continue;
    const j = member(e, k, stack, limits);
    if (j !== undefined) out += ',' + quote(k) + ':' + j;
  }
  for (const k of ['cause', 'errors']) {
    const j = hasOwn.call(e, k) || k in e ? member(e, k, stack, limits) : undefined;
    if (j !== undefined) out += ',"' + k + '":' + j;
  }
  return out + '}';
}

function readString(obj: Record<string, unknown>, k: string): string {
  try {
    const v = obj[k];
    return v === undefined || v === null ? '' : String(v);
  } catch {
    return THROWS;
  }
}

/**
 * Strings longer than this are cut (and marked) in a record whose strings together pass V8's
 * longest string (2^29 - 24 units): the record is written, not lost, and says what is missing.
 */
export const LONG_STRING_CUT = 2 ** 24;

/** A string cut to LONG_STRING_CUT units, marked with how many it lost; anything else as it is. */
export function cutLong(v: unknown): unknown {
  if (typeof v !== 'string' || v.length <= LONG_STRING_CUT) return v;
  return v.slice(0, LONG_STRING_CUT) + `...[${v.length - LONG_STRING_CUT} characters cut: the record was too large]`;
}

/** The fields with every long top-level string cut (see cutLong). */
export function cutLongStrings(fields: object): object {
  const out: Record<string, unknown> = {};
  try {
    for (const k of Object.keys(fields)) out[k] = cutLong((fields as Record<string, unknown>)[k]);
  } catch {
    return { fields: THROWS };
  }
  return out;
}
