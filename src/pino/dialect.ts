// pino's dialect, for `kakashi/pino` loggers: values become JSON as pino writes them
// (JSON.stringify, then safe-stable-stringify with depthLimit/edgeLimit when it throws; an
// Error only serialized by a serializer), messages are formatted by quick-format-unescaped
// (extra arguments dropped), and function values are left out. The packages are pino's own,
// so the bytes are pino's.

import format from 'quick-format-unescaped';
import { configure } from 'safe-stable-stringify';

import { type Flat, flat, MessageTemplate, PLACEHOLDER, placeholders } from '../capture/template';
import type { Dialect } from '../dialect';
import type { Limits } from '../serialize';

const UNABLE = '"[unable to serialize, circular reference is too complex to analyze]"';

/**
 * `defer`: the engine captures `%j` objects itself (the native engine): small flat plain objects
 * and arrays become placeholders of a MessageTemplate instead of JSON made here (not under
 * redaction, which pino applies to them first).
 */
export function pinoDialect(limits: Limits, redactObject: ((o: object) => object) | undefined, defer = false): Dialect {
  const fallback = configure({ maximumDepth: limits.depth, maximumBreadth: limits.edges });
  const objectJson = (v: object): string | undefined => {
    try {
      return JSON.stringify(v);
    } catch {
      try {
        return fallback(v);
      } catch {
        return UNABLE;
      }
    }
  };
  // pino's printf writes %j/%o/%O objects through its redaction too.
  const stringify = (v: unknown): string | undefined =>
    objectJson((redactObject !== undefined && typeof v === 'object' && v !== null ? redactObject(v) : v) as object);
  const formatOptions = { stringify };
  let deferred: Flat[] = [];
  const deferring = {
    stringify: (v: unknown): string | undefined => {
      if (typeof v === 'object' && v !== null) {
        let f: Flat | undefined;
        try {
          f = flat(v);
        } catch {
          // A getter or trap threw: the JSON text's own paths say what it was.
        }
        if (f !== undefined) {
          deferred.push(f);
          return PLACEHOLDER;
        }
      }
      return stringify(v);
    },
  };
  const deferredFormat = (msg: unknown, params: unknown[]): unknown => {
    // A toJSON that logs formats its own message meanwhile: each call keeps its own list.
    const outer = deferred;
    deferred = [];
    let out: unknown;
    let values: Flat[];
    try {
      out = format(msg as string, params, deferring);
    } finally {
      values = deferred;
      deferred = outer;
    }
    if (values.length === 0) return out;
    // The message's own text held a placeholder: formatted as it always is.
    if (typeof out !== 'string' || placeholders(out) !== values.length) return format(msg as string, params, formatOptions);
    return new MessageTemplate(out, values);
  };
  return {
    lazy: false,
    messageThenFields: false,
    objectJson,
    format: defer && redactObject === undefined ? deferredFormat : (msg, params) => format(msg as string, params, formatOptions),
  };
}
