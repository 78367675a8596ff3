// Observability around the log call: the active OpenTelemetry span's ids on each record (as
// instrumentation-pino writes them: trace_id, span_id, trace_flags), and a diagnostics_channel
// tracing channel, `tracing:kakashi:log:start` / `:end` / `:error`, whose subscribers see each
// record's logger, level, fields and message; checked with one property read when nobody listens.

import { tracingChannel } from 'node:diagnostics_channel';

import { type Bindings, bindingsText } from './bindings';

export const logChannel = tracingChannel<unknown, { instance: unknown; level: number; fields: object | undefined; msg: unknown }>('kakashi:log');

/** What Kakashi reads of `@opentelemetry/api`. */
interface OtelApi {
  context: { active(): unknown };
  trace: { getSpan(context: unknown): { spanContext(): { traceId: string; spanId: string; traceFlags: number } } | undefined };
  isSpanContextValid(sc: { traceId: string; spanId: string }): boolean;
}

/**
 * A logger's bindings with the active span's ids after them; `bindings` itself (undefined for a
 * child whose bindings are still values, see bindings.ts) outside a span.
 */
export type TraceContext = (bindings: string | undefined, owner: Bindings) => string | undefined;

let api: OtelApi | null | undefined;

/** `@opentelemetry/api` as the application installed it, or null. */
export function otelApi(): OtelApi | null {
  if (api === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      api = require('@opentelemetry/api') as OtelApi;
    } catch {
      api = null;
    }
  }
  return api;
}

/** Where @opentelemetry/api 1.x registers its globals: a context manager is there once an SDK is set up. */
const GLOBAL = Symbol.for('opentelemetry.js.api.1');

/** While no context manager is registered, how many calls pass between two looks for one. */
const LOOK_EVERY = 64;

/**
 * The bindings with the active span's ids after them (so a record's own `trace_id` comes later
 * and wins for a JSON reader); the bindings alone outside a valid span. While no SDK has
 * registered a context manager no span can be active, and the call costs a counter: it looks
 * for one (a lookup on the global object, ~20 ns) every LOOK_EVERY calls, so records logged in
 * a span within the first 64 calls after an SDK starts late may go without ids. One span's
 * members, and their joining to one logger's bindings, are made once: a request's records share them.
 */
export function traceFields(a: OtelApi): TraceContext {
  let registered = false;
  let calls = 0;
  let lastContext: unknown;
  let members = '';
  let lastBindings = '';
  let joined = '';
  return (bindings, owner) => {
    if (!registered) {
      if (++calls % LOOK_EVERY !== 1) return bindings;
      registered = (globalThis as Record<symbol, { context?: unknown } | undefined>)[GLOBAL]?.context !== undefined;
      if (!registered) return bindings;
    }
    const span = a.trace.getSpan(a.context.active());
    if (span === undefined) return bindings;
    const sc = span.spanContext();
    if (sc !== lastContext) {
      lastContext = sc;
      members = a.isSpanContextValid(sc)
        ? `,"trace_id":${JSON.stringify(sc.traceId)},"span_id":${JSON.stringify(sc.spanId)},"trace_flags":"${sc.traceFlags.toString(16).padStart(2, '0')}"`
        : '';
      lastBindings = '';
    }
    if (members === '') return bindings;
    const text = bindings ?? bindingsText(owner);
    if (text !== lastBindings) {
      lastBindings = text;
      joined = text + members;
    }
    return joined;
  };
}
