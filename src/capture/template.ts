// A printf message whose `%j` (`%o`, `%O`) objects were not stringified on the JS thread: the
// formatter's own output with a placeholder where each object's JSON goes, and each object read
// once into a flat snapshot. The native engine sends the snapshots as ops (batch.rs: `OPEN + 64`)
// and the writer puts their JSON text in the message; JavaScript's paths (the JS engine, a
// message serializer, a subscriber) ask for `text()`, the message the formatter would have made.
// Only small flat objects and arrays are deferred: for nested data, JSON.stringify on this
// thread costs less than capturing it member by member (measured: bench/pino-suite.js multi-arg).

import { jsonValue, quote } from '../serialize';
import { plainKind } from './field';

/**
 * Where an object's JSON goes: U+FDD0, a noncharacter (never in interchange text). A message
 * whose text holds one of its own is formatted as it always was (the count would not match).
 */
export const PLACEHOLDER = '\ufdd0';

/** Members past this many, or any member that is an object, and the value is stringified here. */
const FLAT_MEMBERS = 16;

/** A plain object's or array's members as read once: `[key, value, …]` for an object, the elements for an array. */
export interface Flat {
  readonly array: boolean;
  readonly items: readonly unknown[];
}

/**
 * `v` read into a Flat when it is a plain object or array of at most FLAT_MEMBERS members, each a
 * string, finite or not number, boolean, null or (left out as JSON leaves it) undefined, function
 * or symbol; undefined otherwise. Members read before one that disqualifies it are read again by
 * JSON.stringify. May throw (a getter, a proxy's trap).
 */
export function flat(v: object): Flat | undefined {
  const kind = plainKind(v);
  if (kind === 0) return undefined;
  const items: unknown[] = [];
  if (kind === 2) {
    const a = v as unknown[];
    const n = a.length;
    if (n > FLAT_MEMBERS) return undefined;
    for (let i = 0; i < n; i++) {
      const e = a[i];
      if (!scalar(e)) return undefined;
      items.push(e === undefined || typeof e === 'function' || typeof e === 'symbol' ? null : e);
    }
    return { array: true, items };
  }
  let members = 0;
  for (const k in v) {
    if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
    if (++members > FLAT_MEMBERS) return undefined;
    const m = (v as Record<string, unknown>)[k];
    if (!scalar(m)) return undefined;
    if (m !== undefined && typeof m !== 'function' && typeof m !== 'symbol') items.push(k, m);
  }
  return { array: false, items };
}

function scalar(v: unknown): boolean {
  return typeof v !== 'object' ? typeof v !== 'bigint' : v === null;
}

/** A Flat's JSON text: what JSON.stringify writes for the value it was read from. */
export function flatJson(f: Flat): string {
  let out = '';
  const step = f.array ? 1 : 2;
  for (let i = 0; i < f.items.length; i += step) {
    const v = f.items[f.array ? i : i + 1];
    out += (i === 0 ? '' : ',') + (f.array ? '' : quote(f.items[i] as string) + ':') + jsonValue(v);
  }
  return f.array ? '[' + out + ']' : '{' + out + '}';
}

export class MessageTemplate {
  constructor(
    /** The formatter's output, one PLACEHOLDER per value. */
    readonly raw: string,
    readonly values: readonly Flat[],
  ) {}

  /** The message as the formatter would have written it. */
  text(): string {
    let out = '';
    let from = 0;
    for (const v of this.values) {
      const at = this.raw.indexOf(PLACEHOLDER, from);
      out += this.raw.slice(from, at) + flatJson(v);
      from = at + 1;
    }
    return out + this.raw.slice(from);
  }
}

/** How many placeholders `s` holds. */
function placeholders(s: string): number {
  let n = 0;
  for (let at = s.indexOf(PLACEHOLDER); at !== -1; at = s.indexOf(PLACEHOLDER, at + 1)) n++;
  return n;
}

/**
 * The snapshots of the message being formatted (see `templated`): null while none yet (most
 * printf calls defer nothing, and make no array), undefined outside a template.
 */
let collecting: Flat[] | null | undefined;

/**
 * For a formatter's object argument: PLACEHOLDER, its snapshot kept for the template, when a
 * template is being made and `v` is small and flat; undefined (write its JSON) otherwise.
 */
export function deferObject(v: object): string | undefined {
  if (collecting === undefined) return undefined;
  let f: Flat | undefined;
  try {
    f = flat(v);
  } catch {
    // A getter or trap threw: the JSON text's own paths say what it was.
  }
  if (f === undefined) return undefined;
  (collecting ??= []).push(f);
  return PLACEHOLDER;
}

/**
 * What `format(msg, params)` returns, as a MessageTemplate when it deferred objects
 * (deferObject). A message whose own text held a placeholder is formatted again, as it always was.
 */
export function templated(format: (msg: unknown, params: unknown[]) => unknown, msg: unknown, params: unknown[]): unknown {
  // A toJSON that logs formats its own message meanwhile: each call keeps its own list.
  const outer = collecting;
  collecting = null;
  let out: unknown;
  let values: Flat[] | null | undefined;
  try {
    out = format(msg, params);
  } finally {
    values = collecting as Flat[] | null | undefined;
    collecting = outer;
  }
  if (values === null || values === undefined) return out;
  if (typeof out === 'string' && placeholders(out) === values.length) return new MessageTemplate(out, values);
  collecting = undefined;
  try {
    return format(msg, params);
  } finally {
    collecting = outer;
  }
}

/** The message's text: a template's as its formatter would write it, anything else as it is. */
export function messageText(msg: unknown): unknown {
  return msg instanceof MessageTemplate ? msg.text() : msg;
}
