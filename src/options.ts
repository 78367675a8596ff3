// Configuration is checked once, here, so the hot path can trust it. Every mistake is an Error
// naming the option (or environment variable) and the value.

import { hostname } from 'node:os';
import { isatty } from 'node:tty';

import type { Destination, LoggerOptions } from '../index';
import { describe, LABELS, LEVEL_NAMES, LEVELS, levelValue } from './levels';
import { compileRedact, DEFAULT_CENSOR, type Redactor } from './redact';
import { fieldsJson, quote } from './serialize';
import type { Serializers } from './serializers';
import type { Format } from './text';

export type EngineChoice = 'auto' | 'native' | 'js';

export type ResolvedDestination =
  | { kind: 'stdout' | 'stderr' }
  | { kind: 'fd'; fd: number }
  | { kind: 'path'; path: string; mkdir: boolean; append: boolean; rotate?: ResolvedRotate };

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
}

export interface Resolved {
  name: string | undefined;
  levelVal: number;
  targets: ResolvedTarget[];
  engine: EngineChoice;
  base: Record<string, unknown> | null;
  timestamp: boolean;
  /** `time` as an ISO 8601 string rather than epoch ms (JSON; logfmt always writes ISO). */
  isoTime: boolean;
  levelKey: string;
  /** The JSON member each level is written as, trace to fatal: `"level":30`, `"level":"info"`,
   *  or what `formatters.level` made of it. */
  levelMembers: string[];
  bufferSize: number;
  flushInterval: number;
  dropWhenFull: boolean;
  redact: Redactor | undefined;
  serializers: Serializers | undefined;
  msgPrefix: string | undefined;
  messageKey: string;
  errorKey: string;
  mixin: Mixin | undefined;
  formatters: Formatters;
}

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

function fail(option: string, value: unknown, expected: string): never {
  throw new Error(`kakashi: invalid option "${option}": ${describe(value)}; expected ${expected}`);
}

export function resolveOptions(options: LoggerOptions | undefined, env: NodeJS.ProcessEnv): Resolved {
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object') fail('options', options, 'an object');
  const o = options;

  const format = resolveFormat(o.format, env);
  const targets = resolveTargets(o, format, env);
  const levelVal =
    o.level !== undefined
      ? levelValue(o.level, 'option "level"')
      : env.KAKASHI_LEVEL
        ? levelValue(env.KAKASHI_LEVEL, 'environment variable KAKASHI_LEVEL')
        : o.targets !== undefined
          ? // A target's level is only reached if the logger's allows it; a target without one takes the default.
            Math.min(...targets.map((t, i) => (o.targets?.[i].level === undefined ? LEVELS.info : t.minLevel)))
          : LEVELS.info;

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
  if (o.timestamp !== undefined && typeof o.timestamp !== 'boolean' && o.timestamp !== 'epoch' && o.timestamp !== 'iso') {
    fail('timestamp', o.timestamp, "true, false, 'epoch' or 'iso'");
  }

  const bufferSize = o.bufferSize ?? DEFAULT_BUFFER_SIZE;
  if (!Number.isInteger(bufferSize) || bufferSize < MIN_BUFFER_SIZE || bufferSize > MAX_BUFFER_SIZE) {
    fail('bufferSize', o.bufferSize, `an integer number of bytes from ${MIN_BUFFER_SIZE} to ${MAX_BUFFER_SIZE}`);
  }
  const flushInterval = o.flushInterval ?? DEFAULT_FLUSH_INTERVAL;
  if (typeof flushInterval !== 'number' || !(flushInterval >= 1 && flushInterval <= 60_000)) {
    fail('flushInterval', o.flushInterval, 'a number of milliseconds from 1 to 60000');
  }
  if (o.onFull !== undefined && o.onFull !== 'block' && o.onFull !== 'drop') {
    fail('onFull', o.onFull, '"block" or "drop"');
  }

  const redact = resolveRedact(o.redact);
  if (o.serializers !== undefined) {
    const ok = typeof o.serializers === 'object' && o.serializers !== null && Object.values(o.serializers).every((f) => typeof f === 'function');
    if (!ok) fail('serializers', o.serializers, 'an object of functions, one per field name');
  }
  if (o.msgPrefix !== undefined && typeof o.msgPrefix !== 'string') fail('msgPrefix', o.msgPrefix, 'a string');
  for (const key of ['messageKey', 'errorKey', 'levelKey'] as const) {
    if (o[key] !== undefined && (typeof o[key] !== 'string' || o[key] === '')) fail(key, o[key], 'a non-empty string');
  }
  if (o.levelLabels !== undefined && typeof o.levelLabels !== 'boolean') fail('levelLabels', o.levelLabels, 'a boolean');
  if (o.mixin !== undefined && typeof o.mixin !== 'function') fail('mixin', o.mixin, 'a function returning an object');
  const formatters = resolveFormatters(o.formatters);
  const levelKey = o.levelKey ?? 'level';
  return {
    name: o.name,
    levelVal,
    targets,
    engine,
    base: o.base === undefined ? defaultBase() : o.base,
    timestamp: o.timestamp === undefined || o.timestamp !== false,
    isoTime: o.timestamp === 'iso',
    levelKey,
    levelMembers: levelMembers(levelKey, o.levelLabels ?? false, formatters.level),
    bufferSize,
    flushInterval,
    dropWhenFull: o.onFull === 'drop',
    redact,
    serializers: o.serializers,
    msgPrefix: o.msgPrefix,
    messageKey: o.messageKey ?? 'msg',
    errorKey: o.errorKey ?? 'err',
    mixin: o.mixin as Mixin | undefined,
    formatters,
  };
}

const FORMATS: readonly Format[] = ['json', 'logfmt', 'pretty'];

function target(dest: Destination, format: Format, colors: boolean | undefined, minLevel: number, env: NodeJS.ProcessEnv): ResolvedTarget {
  const destination = resolveDestination(dest);
  return {
    destination,
    destinationText: describe(dest),
    format,
    colour: colors ?? (format === 'pretty' && isTerminal(destination) && !env.NO_COLOR),
    minLevel,
  };
}

/** `targets`, or the one target `destination`, `format` and `colors` describe. */
function resolveTargets(o: LoggerOptions, format: Format, env: NodeJS.ProcessEnv): ResolvedTarget[] {
  if (o.colors !== undefined && typeof o.colors !== 'boolean') fail('colors', o.colors, 'a boolean');
  if (o.targets === undefined) return [target(o.destination ?? 'stdout', format, o.colors, 0, env)];
  if (o.destination !== undefined) fail('destination', o.destination, 'to be left out when "targets" is given');
  if (!Array.isArray(o.targets) || o.targets.length === 0) fail('targets', o.targets, 'a non-empty array of { destination, format?, level?, colors? }');
  return o.targets.map((t, i) => {
    if (typeof t !== 'object' || t === null || t.destination === undefined) fail(`targets[${i}]`, t, '{ destination, format?, level?, colors? }');
    if (t.format !== undefined && !FORMATS.includes(t.format)) fail(`targets[${i}].format`, t.format, '"json", "logfmt" or "pretty"');
    if (t.colors !== undefined && typeof t.colors !== 'boolean') fail(`targets[${i}].colors`, t.colors, 'a boolean');
    const minLevel = t.level === undefined ? 0 : levelValue(t.level, `option "targets[${i}].level"`);
    return target(t.destination, t.format ?? format, t.colors ?? o.colors, minLevel, env);
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

/** The JSON member of each level, computed once: the hot path never formats a level. */
function levelMembers(key: string, labels: boolean, format: Formatters['level']): string[] {
  return LEVEL_NAMES.map((name) => {
    const number = LEVELS[name];
    const standard = quote(key) + ':' + (labels ? quote(LABELS[number]) : number);
    if (format === undefined) return standard;
    const formatted: unknown = format(name, number);
    if (typeof formatted !== 'object' || formatted === null) fail('formatters.level', formatted, 'a function returning an object');
    const members = fieldsJson(formatted);
    return members === '' ? standard : members.slice(1);
  });
}

function isTerminal(d: ResolvedDestination): boolean {
  const fd = d.kind === 'stdout' ? 1 : d.kind === 'stderr' ? 2 : d.kind === 'fd' ? d.fd : -1;
  return fd >= 0 && isatty(fd);
}

function resolveRedact(r: LoggerOptions['redact']): Redactor | undefined {
  if (r === undefined) return undefined;
  const spec = Array.isArray(r) ? { paths: r } : r;
  if (typeof spec !== 'object' || spec === null || !Array.isArray(spec.paths) || !spec.paths.every((p) => typeof p === 'string')) {
    fail('redact', r, 'an array of paths, or { paths, censor?, remove? }');
  }
  if (spec.remove !== undefined && typeof spec.remove !== 'boolean') fail('redact.remove', spec.remove, 'a boolean');
  if (spec.paths.length === 0) return undefined;
  const censor = 'censor' in spec && spec.censor !== undefined ? spec.censor : DEFAULT_CENSOR;
  return compileRedact(spec.paths, censor, spec.remove ?? false);
}

function resolveDestination(d: Destination): ResolvedDestination {
  if (d === 'stdout' || d === 'stderr') return { kind: d };
  if (typeof d === 'number') {
    if (!Number.isInteger(d) || d < 0) fail('destination', d, 'a file descriptor (integer ≥ 0)');
    return { kind: 'fd', fd: d };
  }
  if (typeof d === 'string') {
    if (d === '') fail('destination', d, '"stdout", "stderr", a file path, a file descriptor or { path }');
    return { kind: 'path', path: d, mkdir: false, append: true };
  }
  if (typeof d === 'object' && d !== null && typeof d.path === 'string' && d.path !== '') {
    if (d.mkdir !== undefined && typeof d.mkdir !== 'boolean') fail('destination.mkdir', d.mkdir, 'a boolean');
    if (d.append !== undefined && typeof d.append !== 'boolean') fail('destination.append', d.append, 'a boolean');
    return { kind: 'path', path: d.path, mkdir: d.mkdir ?? false, append: d.append ?? true, rotate: resolveRotate(d.rotate) };
  }
  return fail('destination', d, '"stdout", "stderr", a file path, a file descriptor or { path }');
}

let base: Record<string, unknown> | undefined;
function defaultBase(): Record<string, unknown> {
  base ??= { pid: process.pid, hostname: hostname() };
  return base;
}
