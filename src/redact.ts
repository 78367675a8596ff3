// Redaction: paths like 'password', 'req.headers.authorization', '*.token', 'user.cards[*].number'
// are compiled once into a trie. A record's fields are redacted one by one inside the engine's
// field loop (a top-level secret costs a lookup, not a copy of the record); below the top level,
// and for bindings and context, objects are copied only along the paths that match, so the
// caller's objects are never changed.

import { describe } from './levels';
import { REMOVED, THROWS } from './symbols';

interface Node {
  /** Keys named at this level, and what follows each (parallel arrays: few, and cheap to scan). */
  names: string[];
  nodes: Node[];
  /** `*` or `[*]`: every key or index at this level. */
  any: Node | undefined;
  /** A path ends here: this value is censored (or removed). */
  leaf: boolean;
}

/**
 * What a record's field `k` is written as: `v` itself, `v` copied with its secrets censored,
 * the censor, or REMOVED. May throw (a getter on a path): the engine then writes the record
 * member by member, and a member that throws is written as "[Throws]" — never as it was.
 */
export type FieldRedactor = (k: string, v: unknown) => unknown;

export interface Redactor {
  /** Whole objects: bindings, context, a base. Fails closed. */
  readonly object: (fields: object) => object;
  readonly field: FieldRedactor;
}

export const DEFAULT_CENSOR = '[Redacted]';

const hasOwn = Object.prototype.hasOwnProperty;

function node(): Node {
  return { names: [], nodes: [], any: undefined, leaf: false };
}

/**
 * `a.b[*].c["x.y"]` → ['a', 'b', '*', 'c', 'x.y'], read as pino reads a path (fast-redact and
 * @pinojs/redact agree): `.` separates keys (a leading or trailing one is nothing), `[…]` holds
 * one key, quoted with `"`, `'` or a backtick (`\` escapes inside quotes) or bare, `*` alone is
 * any key, and whitespace belongs to the key (`'a b'` is the key "a b"). Throws for what pino
 * refuses — an empty path, `..`, a comma, an unclosed bracket or quote — and for no key at all.
 */
export function parsePath(path: string): string[] {
  const invalid = (why: string) => new Error(`kakashi: invalid redact path ${describe(path)}: ${why}`);
  if (path.includes('..')) throw invalid('".." (an empty key)');
  if (path.includes(',')) throw invalid('a comma (give each path as an item of its own)');
  const out: string[] = [];
  let key = '';
  let at = 0;
  while (at < path.length) {
    const c = path[at];
    if (c === '.') {
      if (key !== '') out.push(key);
      key = '';
      at++;
    } else if (c === '[') {
      if (key !== '') out.push(key);
      key = '';
      const close = bracketed(path, at + 1, invalid);
      out.push(close.key);
      at = close.end;
    } else if (c === ']') {
      throw invalid(`a "]" without its "[" at position ${at}`);
    } else {
      key += c;
      at++;
    }
  }
  if (key !== '') out.push(key);
  if (out.length === 0) throw invalid('no key');
  return out;
}

/** The key of a `[…]` whose contents begin at `from`, and the index after its `]`. */
function bracketed(path: string, from: number, invalid: (why: string) => Error): { key: string; end: number } {
  let key = '';
  let quote = '';
  for (let at = from; at < path.length; at++) {
    const c = path[at];
    if (quote !== '') {
      if (c === '\\' && at + 1 < path.length) key += path[++at];
      else if (c === quote) quote = '';
      else key += c;
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === ']') return { key, end: at + 1 };
    else if (c === '[') throw invalid(`a "[" inside brackets at position ${at}`);
    else key += c;
  }
  throw invalid(quote !== '' ? `an unclosed ${quote}` : 'an unclosed "["');
}

/** The `redact` option (`[paths]` or `{ paths, censor?, remove? }`) compiled, or undefined for no paths. */
export function compileRedactOption(r: unknown, option: string): Redactor | undefined {
  const spec = (Array.isArray(r) ? { paths: r } : r) as { paths?: unknown; censor?: unknown; remove?: unknown } | null;
  if (typeof spec !== 'object' || spec === null || !Array.isArray(spec.paths) || !spec.paths.every((p) => typeof p === 'string')) {
    throw new Error(`kakashi: invalid option "${option}": ${describe(r)}; expected an array of paths, or { paths, censor?, remove? }`);
  }
  if (spec.remove !== undefined && typeof spec.remove !== 'boolean') {
    throw new Error(`kakashi: invalid option "${option}.remove": ${describe(spec.remove)}; expected a boolean`);
  }
  if (spec.paths.length === 0) return undefined;
  const censor = 'censor' in spec && spec.censor !== undefined ? spec.censor : DEFAULT_CENSOR;
  return compileRedact(spec.paths as string[], censor, spec.remove ?? false);
}

/** What a censored value becomes: the censor, or what a censor function returns for the value and its path (pino's). */
type Censor = (value: unknown, path: string[]) => unknown;

export function compileRedact(paths: readonly string[], censorOption: unknown, remove: boolean): Redactor {
  const censor: Censor = typeof censorOption === 'function' ? (censorOption as Censor) : () => censorOption;
  const root = node();
  for (const path of paths) {
    let n = root;
    for (const segment of parsePath(path)) {
      if (segment === '*') n = n.any ??= node();
      else {
        const at = n.names.indexOf(segment);
        if (at !== -1) n = n.nodes[at];
        else {
          const next = node();
          n.names.push(segment);
          n.nodes.push(next);
          n = next;
        }
      }
    }
    n.leaf = true;
  }
  const object = (fields: object): object => {
    try {
      return redactObject(fields, root, censor, remove, []) as object;
    } catch {
      // Fail closed: a record whose secrets cannot be found is not logged as it was.
      return { redact: THROWS };
    }
  };
  const { names, nodes, any } = root;
  const anyLeaf = any?.leaf === true;
  const field = (k: string, v: unknown): unknown => {
    const j = names.length === 0 ? -1 : names.indexOf(k);
    const named = j === -1 ? undefined : nodes[j];
    if (anyLeaf || named?.leaf) return remove ? REMOVED : censor(v, [k]);
    // Below a number, string or boolean there is nothing to find: the common case, kept short.
    if ((named === undefined && any === undefined) || (typeof v !== 'object' && typeof v !== 'function') || v === null) return v;
    const r = named === undefined ? v : redactObject(v, named, censor, remove, [k]);
    return any === undefined ? r : redactObject(r, any, censor, remove, [k]);
  };
  return { object, field };
}

function redactObject(value: unknown, n: Node, censor: Censor, remove: boolean, path: string[]): unknown {
  if (typeof value === 'function') value = (value as () => unknown)(); // a lazy field on the path
  if (typeof value !== 'object' || value === null) return value;
  const source = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  if (n.any === undefined) {
    for (let j = 0; j < n.names.length; j++) {
      const k = n.names[j];
      if (hasOwn.call(source, k)) out = redactKey(source, out, k, n.nodes[j], undefined, censor, remove, path);
    }
  } else {
    const any = n.any;
    // Object.keys is served from V8's enum cache: cheaper than for-in with hasOwn. An Error's
    // message, stack and cause are own but not enumerable, and are written: a wildcard sees them.
    const keys = source instanceof Error ? Object.getOwnPropertyNames(source) : Object.keys(source);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      const j = n.names.length === 0 ? -1 : n.names.indexOf(k);
      if (j === -1 && !any.leaf) {
        // A wildcard that goes deeper can only match inside objects (or lazy fields).
        const v = source[k];
        if ((typeof v !== 'object' || v === null) && typeof v !== 'function') continue;
      }
      out = redactKey(source, out, k, j === -1 ? undefined : n.nodes[j], any, censor, remove, path);
    }
  }
  return out ?? source;
}

/**
 * One key of `source`, which a path may name and a wildcard match at once: both apply. Returns
 * the copy of `source` holding the changes (made on the first one), or `out` as it was.
 */
function redactKey(
  source: Record<string, unknown>,
  out: Record<string, unknown> | undefined,
  k: string,
  named: Node | undefined,
  any: Node | undefined,
  censor: Censor,
  remove: boolean,
  path: string[],
): Record<string, unknown> | undefined {
  if (named?.leaf || any?.leaf) {
    out ??= copy(source);
    if (remove) delete out[k];
    else out[k] = censor(source[k], [...path, k]);
    return out;
  }
  const v = source[k];
  let r = named === undefined ? v : redactObject(v, named, censor, remove, [...path, k]);
  if (any !== undefined) r = redactObject(r, any, censor, remove, [...path, k]);
  if (r === v) return out;
  out ??= copy(source);
  out[k] = r;
  return out;
}

function copy(source: Record<string, unknown>): Record<string, unknown> {
  if (Array.isArray(source)) return source.slice() as unknown as Record<string, unknown>;
  // An Error keeps its prototype and its own non-enumerable message and stack.
  if (source instanceof Error) return Object.create(Object.getPrototypeOf(source), Object.getOwnPropertyDescriptors(source));
  return { ...source };
}
