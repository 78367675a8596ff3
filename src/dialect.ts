// A logger tree's dialect: how values become JSON and arguments a message. Kakashi's own
// (lazy fields, errors serialized wherever they are, printf arguments beyond the tokens
// appended) or pino's (src/pino/dialect.ts), which `kakashi/pino` loggers speak.

import { templated } from './capture/template';
import { printf } from './printf';
import { DEFAULT_LIMITS, type Dialect, type Limits, objectJson, safeJson, THROWS } from './serialize';

export type { Dialect } from './serialize';

/** The text of a non-string message that printf arguments follow. */
function msgText(v: unknown): string {
  if (typeof v === 'object' && v !== null) return safeJson(v, [], '') ?? '';
  try {
    return typeof v === 'bigint' ? `${v}n` : String(v);
  } catch {
    return THROWS;
  }
}

/** `defer`: the engine captures printf's small flat objects itself (the native engine; see capture/template.ts). */
export function kakashiDialect(limits: Limits = DEFAULT_LIMITS, defer = false): Dialect {
  const format = (msg: unknown, params: unknown[]): unknown => (params.length === 0 || msg === undefined ? msg : printf(typeof msg === 'string' ? msg : msgText(msg), params));
  return {
    lazy: true,
    messageThenFields: true,
    objectJson: limits === DEFAULT_LIMITS ? objectJson : (v) => objectJson(v, limits),
    format: defer ? (msg, params) => templated(format, msg, params) : format,
  };
}
