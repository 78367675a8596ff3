// The one rule for reading a record's fields, shared by the native engine's batch encoder
// (capture/batch.ts) and the JS engine's JSON (serialize.ts, fieldsJson): own enumerable keys,
// each value through redaction, a function value called (Kakashi's lazy fields) or left out
// (pino's dialect). Reading may throw (a getter, a proxy): the callers catch and read member by member.

import type { FieldRedactor } from '../redact';
import { REMOVED, THROWS } from '../symbols';

/** A field that is not written: inherited, removed by redaction, or (pino) a function. */
export const SKIP: unique symbol = Symbol('kakashi.skip');

/**
 * The own field `k` of a record, read as `v`, as it is captured: redacted, a function called
 * (lazy) or left out — or SKIP. The loop reads `fields[k]` itself (`for (k in fields)` with the
 * read in the same function is V8's fast path: the enum cache), and checks `hasOwn` first.
 */
export function fieldValue(k: string, v: unknown, redact: FieldRedactor | undefined, lazy: boolean): unknown {
  if (redact !== undefined && (v = redact(k, v)) === REMOVED) return SKIP;
  if (typeof v === 'function') return lazy ? callLazy(v as () => unknown) : SKIP;
  return v;
}

/** Calls a lazy field; a throwing one logs "[Throws]" instead of failing the record. */
export function callLazy(fn: () => unknown): unknown {
  try {
    return fn();
  } catch {
    return THROWS;
  }
}

const objectProto = Object.prototype;
const arrayProto = Array.prototype;

/** Node 21+'s JSON.isRawJSON: such an object is written as its raw text. */
const isRawJSON = (JSON as { isRawJSON?: (o: unknown) => boolean }).isRawJSON;

export function isRawJson(o: object): boolean {
  return isRawJSON !== undefined && Object.getPrototypeOf(o) === null && isRawJSON(o);
}

/**
 * A field's value captured member by member: 1 for a plain object, 2 for a plain array, 0 for
 * anything the dialect writes as JSON text (another prototype, a toJSON of its own, a raw JSON
 * object). May throw (a proxy's trap).
 */
export function plainKind(o: object): 0 | 1 | 2 {
  const proto = Object.getPrototypeOf(o);
  const kind = Array.isArray(o) ? (proto === arrayProto ? 2 : 0) : proto === objectProto || (proto === null && !isRawJson(o)) ? 1 : 0;
  return kind !== 0 && typeof (o as { toJSON?: unknown }).toJSON === 'function' ? 0 : kind;
}
