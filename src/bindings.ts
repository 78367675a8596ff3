// A logger's bindings. A root's are JSON members (`,"pid":1,...`), made once. A child's own are
// values, captured when it is made (pino serializes them then: later changes to the object do
// not show), and turned into JSON text only where JavaScript writes the line (the JS engine,
// `bindings()`); the native engine sends them as BOUND members after its parent's text, so a
// per-request child costs no JSON on the JS thread.

import { fieldValue } from './capture/field';
import { type Dialect, quote } from './serialize';
import { kBindings, kOwn } from './symbols';

const hasOwn = Object.prototype.hasOwnProperty;

/** JSON text of a bound value JavaScript could not keep as a scalar (an object, a BigInt). */
export class RawJson {
  constructor(readonly json: string) {}
}

/** A child's own bindings: key, value, key, value, …; each value a string, finite number, boolean, null or RawJson. */
export type Bound = unknown[];

/** A logger as its bindings see it: its JSON text, or (a child) undefined and its own values. */
export interface Bindable {
  [kBindings]: string | undefined;
  [kOwn]: Bound | undefined;
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
    if (!hasOwn.call(b, k) || k === 'level' || k === 'serializers' || k === 'formatters' || k === 'customLevels') continue;
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
    out += ',' + quote(own[i] as string) + ':' + (typeof v === 'string' ? quote(v) : v instanceof RawJson ? v.json : String(v));
  }
  return out;
}

/** A logger's bindings as JSON members; a child's are made from its values once, then kept. */
export function bindingsText(l: Bindable): string {
  const text = l[kBindings];
  if (text !== undefined) return text;
  // A child's prototype is its parent (logger.ts childOf); a root always has its text.
  const parent = Object.getPrototypeOf(l) as Bindable | null;
  const made = (parent === null ? '' : bindingsText(parent)) + boundJson(l[kOwn] ?? []);
  l[kBindings] = made;
  return made;
}
