// A logger's bindings. A root's are JSON members (`,"pid":1,...`), made once. A child's own are
// values, captured when it is made (pino serializes them then: later changes to the object do
// not show), and turned into JSON text only where JavaScript writes the line (the JS engine,
// `bindings()`); the native engine sends them as BOUND members after its parent's text, so a
// per-request child costs no JSON on the JS thread. A Bindings never changes what it says:
// `setBindings` gives its logger a new one, and children made before keep theirs (as pino's).

import { fieldValue } from './capture/field';
import { type Dialect, jsonValue, quote } from './serialize';

const hasOwn = Object.prototype.hasOwnProperty;

/** JSON text of a bound value JavaScript could not keep as a scalar (an object, a BigInt). */
export class RawJson {
  constructor(readonly json: string) {}
}

/** A child's own bindings: key, value, key, value, …; each value a string, finite number, boolean, null or RawJson. */
export type Bound = unknown[];

/** A logger's bindings: JSON text, or a child's own values over its parent's (the text made on first need, then kept). */
export class Bindings {
  /** The last suffix (a request context's members) joined to the text, and the joined string. */
  private suffix: string | undefined = undefined;
  private joined = '';

  constructor(
    /** The JSON members; undefined until needed for a child's. */
    public text: string | undefined,
    readonly own: Bound | undefined,
    readonly up: Bindings | undefined,
  ) {}

  /**
   * The members followed by `suffix`, one string while the suffix stays the same (a request's
   * records share it: the batch compares it by identity and announces it once).
   */
  with(suffix: string): string {
    if (suffix !== this.suffix) {
      this.suffix = suffix;
      this.joined = bindingsText(this) + suffix;
    }
    return this.joined;
  }
}

/** Bindings given as JSON text (a root's, or after `setBindings`). */
export function textBindings(text: string): Bindings {
  return new Bindings(text, undefined, undefined);
}

/** A child's bindings over its parent's: its own values, or its own JSON text when they could not be read as values. */
export function childBindings(up: Bindings, own: Bound | string): Bindings {
  if (typeof own === 'string') return textBindings(bindingsText(up) + own);
  // No bindings of its own: the parent's say it all.
  if (own.length === 0) return up;
  return new Bindings(undefined, own, up);
}

/** Binding keys pino leaves out of bindings (they were child options in older pino). */
export const OPTION_KEYS: readonly string[] = ['level', 'serializers', 'formatters', 'customLevels'];

/**
 * `b`'s members as values: own enumerable keys in order but pino's option keys, a lazy
 * (function) value called in the Kakashi dialect, what JSON omits left out. May throw (a
 * getter): the caller falls back to text.
 */
export function boundValues(b: object, d: Dialect): Bound {
  const out: unknown[] = [];
  for (const k in b) {
    if (!hasOwn.call(b, k) || OPTION_KEYS.includes(k)) continue;
    const v = fieldValue(k, (b as Record<string, unknown>)[k], undefined, d.lazy);
    switch (typeof v) {
      case 'string':
      case 'boolean':
        out.push(k, v);
        break;
      case 'number':
        out.push(k, Number.isFinite(v) ? v : null);
        break;
      case 'bigint':
        out.push(k, new RawJson('' + v));
        break;
      case 'object': {
        if (v === null) {
          out.push(k, null);
          break;
        }
        const j = d.objectJson(v);
        if (j !== undefined) out.push(k, new RawJson(j));
        break;
      }
      // SKIP (a symbol), undefined, functions: omitted
    }
  }
  return out;
}

/** The JSON members of bound values: the bytes `fieldsJson` writes for the same object. */
function boundJson(own: Bound): string {
  let out = '';
  for (let i = 0; i < own.length; i += 2) {
    const v = own[i + 1];
    out += ',' + quote(own[i] as string) + ':' + (v instanceof RawJson ? v.json : jsonValue(v));
  }
  return out;
}

/** A logger's bindings as JSON members; a child's are made from its values once, then kept. */
export function bindingsText(b: Bindings): string {
  if (b.text === undefined) b.text = bindingsText(b.up as Bindings) + boundJson(b.own as Bound);
  return b.text;
}
