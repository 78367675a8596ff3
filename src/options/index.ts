// Configuration is checked once, here, so the hot path can trust it: every option resolved into
// what the engines and the logger use. Every mistake is an Error naming the option (or
// environment variable) and the value. Destinations and targets are in destination.ts, the
// environment's part in env.ts, the levels' JSON in levels.ts.

import type { WriteStream } from 'node:fs';

import type { LoggerOptions } from '../../index';
import { type Dialect, kakashiDialect } from '../dialect';
import { LEVELS, type LevelTable, levelTable, levelValue } from '../levels';
import { pinoDialect } from '../pino/dialect';
import { compileRedactOption, type Redactor } from '../redact';
import { DEFAULT_LIMITS, type Limits } from '../serialize';
import { pinoDefaultSerializers, type Serializers, serializerTable } from '../serializers';
import { nativeFileStream } from '../sinks/stream';
import { type TimeChoice, timeChoice } from '../time';
import { resolveTargets, type ResolvedTarget } from './destination';
import { defaultBase, type EngineChoice, engineChoice, envLevel, formatChoice } from './env';
import { fail } from './fail';
import { type LevelSpec, levelSpecs } from './levels';
import { otelApi, type TraceContext, traceFields } from '../trace';

export { isStream, type ResolvedDestination, type ResolvedRotate, type ResolvedTarget, type StreamLike } from './destination';
export type { EngineChoice } from './env';
export { fail } from './fail';
export type { LevelSpec } from './levels';

/** Whose semantics a logger tree follows: Kakashi's own API, or pino's (`kakashi/pino`). */
export type Flavour = 'kakashi' | 'pino';

export interface Resolved {
  flavour: Flavour;
  dialect: Dialect;
  name: string | undefined;
  levels: LevelTable;
  levelVal: number;
  targets: ResolvedTarget[];
  engine: EngineChoice;
  base: Record<string, unknown> | null;
  time: TimeChoice;
  levelKey: string;
  /** Every level of the table, as the writers write it (levelKey, levelLabels, formatters.level). */
  levelSpecs: LevelSpec[];
  bufferSize: number;
  flushInterval: number;
  /** The longest flushSync(), fatal(), flush() and the exit flush wait for a destination that takes no writes. */
  exitTimeout: number;
  dropWhenFull: boolean;
  /** `onFull` as given: else network targets block while their receiver is up and drop while it is away. */
  onFullGiven: boolean;
  redact: Redactor | undefined;
  serializers: Serializers;
  msgPrefix: string | undefined;
  messageKey: string;
  errorKey: string;
  /** The record's fields go under this key (pino's nestedKey). */
  nestedKey: string | undefined;
  mixin: Mixin | undefined;
  /** The bindings with the active span's ids after them (`traceContext`), or undefined. */
  traceContext: TraceContext | undefined;
  mixinMergeStrategy: ((mergeObject: object, mixinObject: object) => object) | undefined;
  formatters: Formatters;
  logMethod: LogMethodHook | undefined;
  streamWrite: ((line: string) => string) | undefined;
  onChild: ((child: unknown) => void) | undefined;
  crlf: boolean;
}

/** pino's `hooks.logMethod(args, method, level)`: called with the logger as `this`. */
export type LogMethodHook = (this: unknown, args: unknown[], method: (...args: unknown[]) => void, level: number) => void;

export type Mixin = (fields: object, level: number, logger: unknown) => object;

export interface Formatters {
  level?: (label: string, number: number) => object;
  bindings?: (bindings: Record<string, unknown>) => object;
  log?: (fields: Record<string, unknown>) => object;
}

export const DEFAULT_BUFFER_SIZE = 4 * 1024 * 1024;
export const MIN_BUFFER_SIZE = 4096;
export const MAX_BUFFER_SIZE = 1024 * 1024 * 1024;
export const DEFAULT_FLUSH_INTERVAL = 25;
export const DEFAULT_EXIT_TIMEOUT = 2000;

export function resolveOptions(options: LoggerOptions | undefined, env: NodeJS.ProcessEnv, flavour: Flavour = 'kakashi'): Resolved {
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object') fail('options', options, 'an object');
  const o = options;
  const pino = flavour === 'pino';

  if (!pino && o.transport !== undefined) {
    fail('transport', o.transport, "destination: { transport: 'module', options } (transport is pino's option, taken by kakashi/pino)");
  }
  const levels = levelTable(o, fail, pino);
  const format = formatChoice(o.format, env);
  const targets = resolveTargets(o, format, env, levels);
  if (o.enabled !== undefined && typeof o.enabled !== 'boolean') fail('enabled', o.enabled, 'a boolean');
  const levelVal =
    o.enabled === false
      ? Infinity
      : o.level !== undefined && o.level !== null && o.level !== ''
        ? pino
          ? pinoLevel(o.level, levels)
          : levelValue(o.level, 'option "level"', levels)
        : (envLevel(env, levels) ??
          (o.targets !== undefined && !pino
            ? // A target's level is only reached if the logger's allows it; a target without one
              // takes the default. (pino's logger stays at info whatever its streams' levels.)
              Math.min(...targets.map((t, i) => (o.targets?.[i].level === undefined ? LEVELS.info : t.minLevel)))
            : levels.view.values.info !== undefined
              ? levels.view.values.info
              : pino
                ? pinoLevel('info', levels) // (pino's default is info, and its refusal says so)
                : fail('level', o.level, 'one of the custom levels when useOnlyCustomLevels is set')));

  const engine = engineChoice(o.engine, env);

  if (o.name !== undefined && typeof o.name !== 'string') fail('name', o.name, 'a string');
  if (o.base !== undefined && o.base !== null && (typeof o.base !== 'object' || Array.isArray(o.base))) {
    fail('base', o.base, 'an object or null');
  }
  const time = timeChoice(o.timestamp);
  if (time === undefined) fail('timestamp', o.timestamp, "true, false, 'epoch', 'unix', 'iso', or a function returning members such as ',\"time\":…' (stdTimeFunctions)");

  const bufferSize = o.bufferSize ?? DEFAULT_BUFFER_SIZE;
  if (!Number.isInteger(bufferSize) || bufferSize < MIN_BUFFER_SIZE || bufferSize > MAX_BUFFER_SIZE) {
    fail('bufferSize', o.bufferSize, `an integer number of bytes from ${MIN_BUFFER_SIZE} to ${MAX_BUFFER_SIZE}`);
  }
  const flushInterval = o.flushInterval ?? DEFAULT_FLUSH_INTERVAL;
  if (typeof flushInterval !== 'number' || !(flushInterval >= 1 && flushInterval <= 60_000)) {
    fail('flushInterval', o.flushInterval, 'a number of milliseconds from 1 to 60000');
  }
  const exitTimeout = o.exitTimeout ?? DEFAULT_EXIT_TIMEOUT;
  if (typeof exitTimeout !== 'number' || !(exitTimeout >= 1 && exitTimeout <= 600_000)) {
    fail('exitTimeout', o.exitTimeout, 'a number of milliseconds from 1 to 600000');
  }
  if (o.onFull !== undefined && o.onFull !== 'block' && o.onFull !== 'drop') {
    fail('onFull', o.onFull, '"block" or "drop"');
  }

  const redact = o.redact === undefined || o.redact === null ? undefined : compileRedactOption(o.redact, 'redact');
  const serializers = serializerTable(pino ? pinoDefaultSerializers : {}, o.serializers, 'serializers', fail);
  if (o.msgPrefix !== undefined && typeof o.msgPrefix !== 'string') fail('msgPrefix', o.msgPrefix, 'a string');
  for (const key of ['messageKey', 'errorKey', 'levelKey'] as const) {
    if (o[key] !== undefined && (typeof o[key] !== 'string' || o[key] === '')) fail(key, o[key], 'a non-empty string');
  }
  if (o.nestedKey !== undefined && o.nestedKey !== null && (typeof o.nestedKey !== 'string' || o.nestedKey === '')) {
    fail('nestedKey', o.nestedKey, 'a non-empty string or null');
  }
  if (o.levelLabels !== undefined && typeof o.levelLabels !== 'boolean') fail('levelLabels', o.levelLabels, 'a boolean');
  if (o.mixin !== undefined && typeof o.mixin !== 'function') fail('mixin', o.mixin, 'a function returning an object');
  if (o.mixinMergeStrategy !== undefined && typeof o.mixinMergeStrategy !== 'function') {
    fail('mixinMergeStrategy', o.mixinMergeStrategy, 'a function (mergeObject, mixinObject) => object');
  }
  if (o.traceContext !== undefined && typeof o.traceContext !== 'boolean') fail('traceContext', o.traceContext, 'a boolean');
  const otel = o.traceContext === false ? null : otelApi();
  if (o.traceContext === true && otel === null) fail('traceContext', true, 'false, or @opentelemetry/api installed (it is not)');
  if (o.onChild !== undefined && typeof o.onChild !== 'function') fail('onChild', o.onChild, 'a function (child) => void');
  if (o.crlf !== undefined && typeof o.crlf !== 'boolean') fail('crlf', o.crlf, 'a boolean');
  const hooks = resolveHooks(o.hooks);
  const formatters = resolveFormatters(o.formatters);
  const limits = resolveLimits(o, pino);
  // printf objects are left for the native engine to capture; the JS engine, which would only
  // turn them back into text, gets the text (it writes a stream's lines on this thread).
  const defer = engine !== 'js' && !needsJsThread(targets, hooks.streamWrite);
  const dialect = pino ? pinoDialect(limits, redact?.object, defer) : kakashiDialect(limits, defer);
  const levelKey = o.levelKey ?? 'level';
  return {
    flavour,
    dialect,
    // pino writes no name when base is null.
    name: pino && o.base === null ? undefined : o.name,
    levels,
    levelVal,
    targets,
    engine,
    base: o.base === undefined ? (pino && 'base' in o ? null : defaultBase()) : o.base,
    time,
    levelKey,
    levelSpecs: levelSpecs(levels, levelKey, o.levelLabels ?? false, formatters.level, dialect),
    bufferSize,
    flushInterval,
    exitTimeout,
    dropWhenFull: o.onFull === 'drop',
    onFullGiven: o.onFull !== undefined,
    redact,
    serializers,
    msgPrefix: o.msgPrefix,
    messageKey: o.messageKey ?? 'msg',
    errorKey: o.errorKey ?? 'err',
    nestedKey: o.nestedKey ?? undefined,
    mixin: o.mixin as Mixin | undefined,
    traceContext: otel === null ? undefined : traceFields(otel),
    mixinMergeStrategy: o.mixinMergeStrategy,
    formatters,
    logMethod: hooks.logMethod,
    streamWrite: hooks.streamWrite,
    onChild: o.onChild as ((child: unknown) => void) | undefined,
    crlf: o.crlf ?? false,
  };
}

/**
 * Streams, synchronous destinations and streamWrite need each line on the JS thread: the JS
 * engine writes them. A file stream that is a logger's one destination is the exception: the
 * native writer takes its descriptor (engines/file-stream.ts).
 */
export function needsJsThread(targets: readonly ResolvedTarget[], streamWrite: ((line: string) => string) | undefined): boolean {
  if (streamWrite === undefined && nativeStream(targets) !== undefined) return false;
  return streamWrite !== undefined || targets.some((t) => t.destination.kind === 'stream' || ('sync' in t.destination && t.destination.sync === true));
}

/** A logger's one destination, when it is a file stream the native writer can write for (engines/file-stream.ts). */
export function nativeStream(targets: readonly ResolvedTarget[]): WriteStream | undefined {
  const d = targets.length === 1 ? targets[0].destination : undefined;
  return d?.kind === 'stream' && nativeFileStream(d.stream) ? d.stream : undefined;
}

function resolveHooks(h: unknown): { logMethod?: LogMethodHook; streamWrite?: (line: string) => string } {
  if (h === undefined || h === null) return {};
  if (typeof h !== 'object') fail('hooks', h, '{ logMethod?, streamWrite? }');
  const hooks = h as Record<string, unknown>;
  for (const [k, v] of Object.entries(hooks)) {
    if ((k !== 'logMethod' && k !== 'streamWrite') || (v !== undefined && typeof v !== 'function')) {
      fail(`hooks.${k}`, v, 'a function (hooks takes logMethod and streamWrite)');
    }
  }
  return hooks as { logMethod?: LogMethodHook; streamWrite?: (line: string) => string };
}

/** pino's depthLimit and edgeLimit (5 and 100 there); Kakashi's own defaults are wider. */
function resolveLimits(o: LoggerOptions, pino: boolean): Limits {
  for (const key of ['depthLimit', 'edgeLimit'] as const) {
    const v = o[key];
    if (v !== undefined && !(Number.isInteger(v) && v >= 1)) fail(key, v, 'an integer ≥ 1');
  }
  if (!pino && o.depthLimit === undefined && o.edgeLimit === undefined) return DEFAULT_LIMITS;
  return { depth: o.depthLimit ?? (pino ? 5 : DEFAULT_LIMITS.depth), edges: o.edgeLimit ?? (pino ? 100 : DEFAULT_LIMITS.edges) };
}

/** kakashi/pino's `level` option: a level it knows, or pino's own refusal. */
function pinoLevel(level: unknown, levels: LevelTable): number {
  try {
    return levelValue(level, 'option "level"', levels);
  } catch {
    throw new Error(`default level:${String(level)} must be included in custom levels`);
  }
}

function resolveFormatters(f: unknown): Formatters {
  if (f === undefined) return {};
  if (typeof f !== 'object' || f === null) fail('formatters', f, 'an object of functions: level, bindings, log');
  for (const [k, v] of Object.entries(f)) {
    if (!['level', 'bindings', 'log'].includes(k) || typeof v !== 'function') {
      fail(`formatters.${k}`, v, 'a function (formatters takes level, bindings and log)');
    }
  }
  return f as Formatters;
}

