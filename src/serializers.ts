// Per-key serializers (pino's `serializers` option): a function per field name, applied to a
// record's top-level fields and a child's bindings before they are captured. The standard ones
// (`stdSerializers`) are pino's own package, so `req`, `res` and `err` are written as pino writes
// them, for node:http, Express and Fastify objects alike.

import * as std from 'pino-std-serializers';

import { THROWS } from './serialize';

export type Serializer = (value: unknown) => unknown;

/** Serializers by key (a null-prototype object, so any key is safe). */
export type Serializers = Readonly<Record<string, Serializer>>;

/** pino's standard serializers: req, res, err, errWithCause, mapHttpRequest, mapHttpResponse, wrap*. */
export const stdSerializers = Object.freeze({
  err: std.err,
  errWithCause: std.errWithCause,
  req: std.req,
  res: std.res,
  mapHttpRequest: std.mapHttpRequest,
  mapHttpResponse: std.mapHttpResponse,
  wrapErrorSerializer: std.wrapErrorSerializer,
  wrapRequestSerializer: std.wrapRequestSerializer,
  wrapResponseSerializer: std.wrapResponseSerializer,
});

/** What a `kakashi/pino` logger starts with, as pino: `err`, removable with `err: null`. */
export const pinoDefaultSerializers: Serializers = Object.freeze(Object.assign(Object.create(null), { err: std.err }));

/**
 * `given` over `base`: keys are read with for…in, as pino reads them (Fastify stacks route and
 * plugin serializers on a prototype chain), and a key set to null or undefined removes the one
 * below it; own symbol keys are kept too. Anything else that is not a function is a configuration error.
 */
export function serializerTable(
  base: Serializers,
  given: unknown,
  option: string,
  fail: (option: string, value: unknown, expected: string) => never,
): Serializers {
  if (given === undefined || given === null) return base;
  if (typeof given !== 'object') fail(option, given, 'an object of functions, one per field name');
  const out: Record<string, Serializer> = Object.assign(Object.create(null), base);
  const source = given as Record<string, unknown>;
  for (const k in source) {
    const f = source[k];
    if (f === undefined || f === null) delete out[k];
    else if (typeof f === 'function') out[k] = f as Serializer;
    else fail(`${option}.${k}`, f, 'a function, or null to remove the serializer');
  }
  // Symbol keys are kept, and passed to children, as pino keeps them (no field is one).
  for (const k of Object.getOwnPropertySymbols(source)) {
    const f = (source as Record<symbol, unknown>)[k];
    if (typeof f === 'function') (out as Record<symbol, unknown>)[k] = f;
  }
  return Object.freeze(out);
}

/**
 * `fields` with each serialized top-level key replaced (and `errorKey` through `err` when it has
 * no serializer of its own, as pino), copied only when one is present. A serializer that throws
 * writes "[Throws]".
 */
export function applySerializers(fields: object, serializers: Serializers, keys: readonly string[], errorKey: string): object {
  let out: Record<string, unknown> | undefined;
  const source = fields as Record<string, unknown>;
  for (const k of keys) {
    if (!Object.prototype.hasOwnProperty.call(source, k) || source[k] === undefined) continue;
    out = replace(source, out, k, serializers[k]);
  }
  const err = serializers.err;
  if (err !== undefined && errorKey !== 'err' && serializers[errorKey] === undefined && Object.prototype.hasOwnProperty.call(source, errorKey) && source[errorKey] !== undefined) {
    out = replace(source, out, errorKey, err);
  }
  return out ?? fields;
}

function replace(source: Record<string, unknown>, out: Record<string, unknown> | undefined, k: string, serializer: Serializer): Record<string, unknown> {
  let v: unknown;
  try {
    v = serializer(source[k]);
  } catch {
    v = THROWS;
  }
  out ??= { ...source };
  out[k] = v;
  return out;
}
