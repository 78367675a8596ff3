// Configuration is checked once, here, so the hot path can trust it. Every mistake is an Error
// naming the option (or environment variable) and the value.

import { hostname } from 'node:os';
import { isatty } from 'node:tty';

import type { Destination, LoggerOptions } from '../index';
import { type Dialect, kakashiDialect } from './dialect';
import { describe, LEVELS, type LevelTable, levelTable, levelValue } from './levels';
import { pinoDialect } from './pino/dialect';
import { compileRedactOption, type Redactor } from './redact';
import { DEFAULT_LIMITS, fieldsJson, type Limits, quote } from './serialize';
import { pinoDefaultSerializers, type Serializers, serializerTable } from './serializers';
import type { Format } from './format';
import { type TimeChoice, timeChoice } from './time';

/** Whose semantics a logger tree follows: Kakashi's own API, or pino's (`kakashi/pino`). */
export type Flavour = 'kakashi' | 'pino';

/** A destination that is a JavaScript stream: each line is handed to its `write`, on the JS thread. */
export interface StreamLike {
  write(line: string): unknown;
  flushSync?: () => void;
  [key: symbol]: unknown;
}

export type EngineChoice = 'auto' | 'native' | 'js';

export type ResolvedDestination =
  | { kind: 'stdout' | 'stderr'; sync?: boolean }
  | { kind: 'fd'; fd: number; sync?: boolean }
  | { kind: 'path'; path: string; mkdir: boolean; append: boolean; rotate?: ResolvedRotate; sync?: boolean }
  /** Written line by line on the JS thread, as pino writes to a stream. */
  | { kind: 'stream'; stream: StreamLike };

export interface ResolvedRotate {
  /** Bytes after which the file is rotated. */
  size: number | undefined;
  /** Rotate when the UTC hour or day changes: the period in ms. */
  intervalMs: number | undefined;
  keep: number;
  compress: boolean;
}

const INTERVALS: Record<string, number> = { hourly: 3_600_000, daily: 86_400_000 };
const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 };

/** `50MB`, `10 kb`, `1g` (powers of 1024) or a number of bytes. */
function parseSize(v: unknown, option: string): number {
  const m = typeof v === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(v) : null;
  const bytes = typeof v === 'number' ? v : m && UNITS[m[2].toLowerCase()] !== undefined ? Number(m[1]) * UNITS[m[2].toLowerCase()] : NaN;
  if (!Number.isFinite(bytes) || bytes < 1) fail(option, v, "a size: bytes, or a string like '50MB' (K, M, G: powers of 1024)");
  return Math.floor(bytes);
}

function resolveRotate(r: unknown): ResolvedRotate | undefined {
  if (r === undefined) return undefined;
  if (typeof r !== 'object' || r === null) fail('destination.rotate', r, '{ size?, interval?, keep?, compress? }');
  const o = r as Record<string, unknown>;
  const size = o.size === undefined ? undefined : parseSize(o.size, 'destination.rotate.size');
  if (o.interval !== undefined && INTERVALS[o.interval as string] === undefined) fail('destination.rotate.interval', o.interval, '"hourly" or "daily"');
  if (size === undefined && o.interval === undefined) fail('destination.rotate', r, 'a size, an interval, or both');
  if (o.keep !== undefined && (!Number.isInteger(o.keep) || (o.keep as number) < 1 || (o.keep as number) > 1_000_000)) {
    fail('destination.rotate.keep', o.keep, 'an integer from 1 to 1000000');
  }
  if (o.compress !== undefined && typeof o.compress !== 'boolean') fail('destination.rotate.compress', o.compress, 'a boolean');
  return { size, intervalMs: o.interval === undefined ? undefined : INTERVALS[o.interval as string], keep: (o.keep as number) ?? 10, compress: o.compress === true };
}

/** Where records go, in which format, from which level: a logger has one or more. */
export interface ResolvedTarget {
  destination: ResolvedDestination;
  /** What the user gave, for error messages. */
  destinationText: string;
  format: Format;
  /** SGR colours in the pretty format. */
  colour: boolean;
  /** Records below this level are not written to this target. */
  minLevel: number;
  /** Records at or above this level are not written here either (pino.multistream's `dedupe`). */
  belowLevel: number;
}

/** One level as the writers write it: its number, its name, its JSON members (`"level":30`). */
export interface LevelSpec {
  value: number;
  label: string;
  member: string;
}

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
  redact: Redactor | undefined;
  serializers: Serializers;
  msgPrefix: string | undefined;
  messageKey: string;
  errorKey: string;
  /** The record's fields go under this key (pino's nestedKey). */
  nestedKey: string | undefined;
  mixin: Mixin | undefined;
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

export function fail(option: string, value: unknown, expected: string): never {
  throw new Error(`kakashi: invalid option "${option}": ${describe(value)}; expected ${expected}`);
}

export function resolveOptions(options: LoggerOptions | undefined, env: NodeJS.ProcessEnv, flavour: Flavour = 'kakashi'): Resolved {
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object') fail('options', options, 'an object');
  const o = options;
  const pino = flavour === 'pino';

  const levels = levelTable(o, fail);
  const format = resolveFormat(o.format, env);
  const targets = resolveTargets(o, format, env, levels);
  if (o.enabled !== undefined && typeof o.enabled !== 'boolean') fail('enabled', o.enabled, 'a boolean');
  const levelVal =
    o.enabled === false
      ? Infinity
      : o.level !== undefined && o.level !== null && o.level !== ''
        ? levelValue(o.level, 'option "level"', levels)
        : env.KAKASHI_LEVEL
          ? levelValue(env.KAKASHI_LEVEL, 'environment variable KAKASHI_LEVEL', levels)
          : o.targets !== undefined
            ? // A target's level is only reached if the logger's allows it; a target without one takes the default.
              Math.min(...targets.map((t, i) => (o.targets?.[i].level === undefined ? LEVELS.info : t.minLevel)))
            : levels.view.values.info !== undefined
              ? levels.view.values.info
              : fail('level', o.level, 'one of the custom levels when useOnlyCustomLevels is set');

  let engine: EngineChoice = 'auto';
  if (o.engine !== undefined) {
    if (o.engine !== 'auto' && o.engine !== 'native' && o.engine !== 'js') {
      fail('engine', o.engine, '"auto", "native" or "js"');
    }
    engine = o.engine;
  } else if (env.KAKASHI_ENGINE) {
    const e = env.KAKASHI_ENGINE.trim().toLowerCase();
    if (e !== 'auto' && e !== 'native' && e !== 'js') {
      throw new Error(
        `kakashi: invalid environment variable KAKASHI_ENGINE: ${describe(env.KAKASHI_ENGINE)}; expected auto, native or js`,
      );
    }
    engine = e;
  }

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
  if (o.onChild !== undefined && typeof o.onChild !== 'function') fail('onChild', o.onChild, 'a function (child) => void');
  if (o.crlf !== undefined && typeof o.crlf !== 'boolean') fail('crlf', o.crlf, 'a boolean');
  const hooks = resolveHooks(o.hooks);
  const formatters = resolveFormatters(o.formatters);
  const limits = resolveLimits(o, pino);
  const dialect = pino ? pinoDialect(limits, redact?.object) : kakashiDialect(limits);
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
    redact,
    serializers,
    msgPrefix: o.msgPrefix,
    messageKey: o.messageKey ?? 'msg',
    errorKey: o.errorKey ?? 'err',
    nestedKey: o.nestedKey ?? undefined,
    mixin: o.mixin as Mixin | undefined,
    mixinMergeStrategy: o.mixinMergeStrategy,
    formatters,
    logMethod: hooks.logMethod,
    streamWrite: hooks.streamWrite,
    onChild: o.onChild as ((child: unknown) => void) | undefined,
    crlf: o.crlf ?? false,
  };
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

const FORMATS: readonly Format[] = ['json', 'logfmt', 'pretty'];

function target(dest: Destination, format: Format, colors: boolean | undefined, minLevel: number, env: NodeJS.ProcessEnv): ResolvedTarget {
  const destination = resolveDestination(dest);
  return {
    destination,
    destinationText: destination.kind === 'stream' ? 'a stream' : describe(dest),
    format,
    colour: colors ?? (format === 'pretty' && isTerminal(destination) && !env.NO_COLOR),
    minLevel,
    belowLevel: Infinity,
  };
}

/** `targets`, or the one target `destination`, `format` and `colors` describe. */
function resolveTargets(o: LoggerOptions, format: Format, env: NodeJS.ProcessEnv, levels: LevelTable): ResolvedTarget[] {
  if (o.colors !== undefined && typeof o.colors !== 'boolean') fail('colors', o.colors, 'a boolean');
  if (o.targets === undefined) return [target(o.destination ?? 'stdout', format, o.colors, 0, env)];
  if (o.destination !== undefined) fail('destination', o.destination, 'to be left out when "targets" is given');
  if (!Array.isArray(o.targets) || o.targets.length === 0) fail('targets', o.targets, 'a non-empty array of { destination, format?, level?, colors? }');
  return o.targets.map((t, i) => {
    if (typeof t !== 'object' || t === null || t.destination === undefined) fail(`targets[${i}]`, t, '{ destination, format?, level?, colors? }');
    if (t.format !== undefined && !FORMATS.includes(t.format)) fail(`targets[${i}].format`, t.format, '"json", "logfmt" or "pretty"');
    if (t.colors !== undefined && typeof t.colors !== 'boolean') fail(`targets[${i}].colors`, t.colors, 'a boolean');
    const minLevel = t.level === undefined ? 0 : levelValue(t.level, `option "targets[${i}].level"`, levels);
    const resolved = target(t.destination, t.format ?? format, t.colors ?? o.colors, minLevel, env);
    if (t.belowLevel !== undefined) resolved.belowLevel = t.belowLevel;
    return resolved;
  });
}

function resolveFormat(format: unknown, env: NodeJS.ProcessEnv): Format {
  if (format !== undefined) {
    if (!FORMATS.includes(format as Format)) fail('format', format, '"json", "logfmt" or "pretty"');
    return format as Format;
  }
  if (!env.KAKASHI_FORMAT) return 'json';
  const f = env.KAKASHI_FORMAT.trim().toLowerCase();
  if (!FORMATS.includes(f as Format)) {
    throw new Error(`kakashi: invalid environment variable KAKASHI_FORMAT: ${describe(env.KAKASHI_FORMAT)}; expected json, logfmt or pretty`);
  }
  return f as Format;
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

/**
 * Each level number's JSON members, computed once (the hot path never formats a level), named
 * by the label the number has (a custom level given a standard number names it, as pino's).
 */
function levelSpecs(levels: LevelTable, key: string, labels: boolean, format: Formatters['level'], dialect: Dialect): LevelSpec[] {
  return Object.entries(levels.view.labels).map(([n, label]) => {
    const value = Number(n);
    const standard = quote(key) + ':' + (labels ? quote(label) : value);
    if (format === undefined) return { value, label, member: standard };
    const formatted: unknown = format(label, value);
    if (typeof formatted !== 'object' || formatted === null) fail('formatters.level', formatted, 'a function returning an object');
    const members = fieldsJson(formatted, undefined, dialect);
    return { value, label, member: members === '' ? standard : members.slice(1) };
  });
}

function isTerminal(d: ResolvedDestination): boolean {
  const fd = d.kind === 'stdout' ? 1 : d.kind === 'stderr' ? 2 : d.kind === 'fd' ? d.fd : -1;
  return fd >= 0 && isatty(fd);
}

function resolveDestination(d: Destination): ResolvedDestination {
  if (d === 'stdout' || d === 'stderr') return { kind: d };
  if (isStream(d)) return { kind: 'stream', stream: d };
  if (typeof d === 'number') return { kind: 'fd', fd: checkFd(d) };
  if (typeof d === 'string') {
    if (d === '') fail('destination', d, '"stdout", "stderr", a file path, a file descriptor or { path }');
    return { kind: 'path', path: d, mkdir: false, append: true };
  }
  const o = d as { path?: unknown; fd?: unknown; mkdir?: unknown; append?: unknown; sync?: unknown; rotate?: unknown };
  if (typeof o === 'object' && o !== null) {
    if (o.sync !== undefined && typeof o.sync !== 'boolean') fail('destination.sync', o.sync, 'a boolean');
    const sync = o.sync === true;
    if (typeof o.fd === 'number' && o.path === undefined) {
      const fd = checkFd(o.fd);
      return fd === 1 ? { kind: 'stdout', sync } : fd === 2 ? { kind: 'stderr', sync } : { kind: 'fd', fd, sync };
    }
    if (typeof o.path === 'string' && o.path !== '') {
      if (o.mkdir !== undefined && typeof o.mkdir !== 'boolean') fail('destination.mkdir', o.mkdir, 'a boolean');
      if (o.append !== undefined && typeof o.append !== 'boolean') fail('destination.append', o.append, 'a boolean');
      if (sync && o.rotate !== undefined) fail('destination.sync', true, 'false with rotate (rotation runs in the writer thread)');
      return { kind: 'path', path: o.path, mkdir: o.mkdir === true, append: o.append !== false, rotate: resolveRotate(o.rotate), sync };
    }
  }
  return fail('destination', d, '"stdout", "stderr", a file path, a file descriptor, { path }, { fd } or a stream');
}

function checkFd(fd: number): number {
  if (!Number.isInteger(fd) || fd < 0) fail('destination', fd, 'a file descriptor (integer ≥ 0)');
  return fd;
}

/** An object with a `write` method: a JavaScript stream the JS engine writes lines to. */
export function isStream(d: unknown): d is StreamLike {
  return typeof d === 'object' && d !== null && typeof (d as { write?: unknown }).write === 'function';
}

let base: Record<string, unknown> | undefined;
function defaultBase(): Record<string, unknown> {
  base ??= { pid: process.pid, hostname: hostname() };
  return base;
}
