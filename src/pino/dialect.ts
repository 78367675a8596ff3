// pino's dialect, for `kakashi/pino` loggers: values become JSON as pino writes them
// (JSON.stringify, then safe-stable-stringify with depthLimit/edgeLimit when it throws; an
// Error only serialized by a serializer), messages are formatted by quick-format-unescaped
// (extra arguments dropped), and function values are left out. The packages are pino's own,
// so the bytes are pino's.

import format from 'quick-format-unescaped';
import { configure } from 'safe-stable-stringify';

import { deferObject, templated } from '../capture/template';
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
  const deferring = { stringify: (v: unknown): string | undefined => (typeof v === 'object' && v !== null && deferObject(v)) || stringify(v) };
  const deferredFormat = (msg: unknown, params: unknown[]): unknown => format(msg as string, params, deferring);
  return {
    lazy: false,
    messageThenFields: false,
    objectJson,
    format:
      defer && redactObject === undefined
        ? (msg, params) => templated(deferredFormat, msg, params)
        : (msg, params) => format(msg as string, params, formatOptions),
  };
}
