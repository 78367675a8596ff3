// Where records go: destinations (stdout, stderr, descriptors, paths with rotation, streams,
// an OTLP receiver) and targets (a destination with its own format, level and colours), checked once.

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isatty } from 'node:tty';

import type { Destination, LoggerOptions } from '../../index';
import type { Format } from '../format';
import { describe, type LevelTable, levelValue } from '../levels';
import { FORMATS } from './env';
import { fail } from './fail';

/** A destination that is a JavaScript stream: each line is handed to its `write`, on the JS thread. */
export interface StreamLike {
  write(line: string): unknown;
  flushSync?: () => void;
  [key: symbol]: unknown;
}

export type ResolvedDestination =
  | { kind: 'stdout' | 'stderr'; sync?: boolean }
  | { kind: 'fd'; fd: number; sync?: boolean }
  | { kind: 'path'; path: string; mkdir: boolean; append: boolean; rotate?: ResolvedRotate; sync?: boolean }
  /** Written line by line on the JS thread, as pino writes to a stream. */
  | { kind: 'stream'; stream: StreamLike }
  /** Sent by the native shipper thread. */
  | { kind: 'otlp'; otlp: ResolvedOtlp };

/** What the binding's `OtlpOptions` takes. */
export interface ResolvedOtlp {
  url: string;
  /** Names and values, in pairs. */
  headers: string[];
  /** Resource attributes, as a JSON object's text. */
  resource: string;
  gzip: boolean;
  json: boolean;
  batch: number;
  flushMs: number;
  timeoutMs: number;
  spillDir: string | undefined;
  spillMaxBytes: number;
  spillFsync: boolean;
  /** PEM certificates https trusts instead of Mozilla's roots. */
  ca: string | undefined;
}

/** The spill's folder when none is given: one per receiver, under the OS's temporary folder. */
export function defaultSpillDir(url: string): string {
  return join(tmpdir(), 'kakashi-spill', url.replace(/^[a-z]+:\/\//i, '').replace(/[^A-Za-z0-9._-]+/g, '_'));
}

function positiveInt(v: unknown, option: string, max: number, fallback: number): number {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > max) fail(option, v, `an integer from 1 to ${max}`);
  return v as number;
}

function resolveOtlp(v: unknown): ResolvedOtlp {
  const o = (typeof v === 'string' ? { url: v } : v) as Record<string, unknown>;
  if (typeof o !== 'object' || o === null) fail('destination.otlp', v, 'a URL, or { url, headers?, resource?, protocol?, compression?, tls?, batchSize?, flushInterval?, timeout?, spill? }');
  const url = o.url;
  if (typeof url !== 'string' || !/^https?:\/\/[^/\s]+(\/\S*)?$/.test(url)) {
    fail('destination.otlp.url', url, "an http:// or https:// URL such as 'http://127.0.0.1:4318/v1/logs'");
  }
  let ca: string | undefined;
  if (o.tls !== undefined) {
    const tls = o.tls as Record<string, unknown>;
    if (typeof tls !== 'object' || tls === null) fail('destination.otlp.tls', o.tls, '{ ca }');
    const pem = Buffer.isBuffer(tls.ca) ? tls.ca.toString('utf8') : tls.ca;
    if (typeof pem !== 'string' || !pem.includes('-----BEGIN CERTIFICATE-----')) fail('destination.otlp.tls.ca', tls.ca, 'PEM certificates (a string or Buffer, e.g. fs.readFileSync(caFile))');
    if (!url.startsWith('https:')) fail('destination.otlp.tls', o.tls, 'only with an https:// url');
    ca = pem;
  }
  if (o.protocol !== undefined && o.protocol !== 'protobuf' && o.protocol !== 'json') fail('destination.otlp.protocol', o.protocol, "'protobuf' or 'json'");
  if (o.compression !== undefined && o.compression !== 'gzip' && o.compression !== 'none') fail('destination.otlp.compression', o.compression, "'gzip' or 'none'");
  const headers: string[] = [];
  if (o.headers !== undefined) {
    if (typeof o.headers !== 'object' || o.headers === null) fail('destination.otlp.headers', o.headers, 'an object of header names and string values');
    for (const [k, h] of Object.entries(o.headers)) {
      if (typeof h !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k) || /[\r\n]/.test(h)) fail(`destination.otlp.headers[${JSON.stringify(k)}]`, h, 'a header name with a string value on one line');
      headers.push(k, h);
    }
  }
  if (o.resource !== undefined && (typeof o.resource !== 'object' || o.resource === null || Array.isArray(o.resource))) {
    fail('destination.otlp.resource', o.resource, "an object of resource attributes, e.g. { 'service.version': '1.2.0' }");
  }
  let spillDir: string | undefined = defaultSpillDir(url as string);
  let spillMaxBytes = 256 * 1024 ** 2;
  let spillFsync = true;
  if (o.spill === false) spillDir = undefined;
  else if (o.spill !== undefined) {
    const s = o.spill as Record<string, unknown>;
    if (typeof s !== 'object' || s === null) fail('destination.otlp.spill', o.spill, 'false, or { dir?, maxSize?, fsync? }');
    if (s.dir !== undefined && (typeof s.dir !== 'string' || s.dir === '')) fail('destination.otlp.spill.dir', s.dir, 'a folder path');
    if (s.fsync !== undefined && typeof s.fsync !== 'boolean') fail('destination.otlp.spill.fsync', s.fsync, 'a boolean');
    if (typeof s.dir === 'string') spillDir = s.dir;
    if (s.maxSize !== undefined) spillMaxBytes = parseSize(s.maxSize, 'destination.otlp.spill.maxSize');
    spillFsync = s.fsync !== false;
  }
  return {
    url: url as string,
    headers,
    resource: JSON.stringify(o.resource ?? {}),
    gzip: o.compression === 'gzip',
    json: o.protocol === 'json',
    batch: positiveInt(o.batchSize, 'destination.otlp.batchSize', 100_000, 512),
    flushMs: positiveInt(o.flushInterval, 'destination.otlp.flushInterval', 60_000, 200),
    timeoutMs: positiveInt(o.timeout, 'destination.otlp.timeout', 600_000, 10_000),
    spillDir,
    spillMaxBytes,
    spillFsync,
    ca,
  };
}

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

function target(dest: Destination, format: Format, colors: boolean | undefined, minLevel: number, env: NodeJS.ProcessEnv): ResolvedTarget {
  const destination = resolveDestination(dest);
  return {
    destination,
    // An OTLP target is named by its URL alone: its headers may hold a key.
    destinationText: destination.kind === 'stream' ? 'a stream' : destination.kind === 'otlp' ? destination.otlp.url : describe(dest),
    format,
    colour: colors ?? (format === 'pretty' && isTerminal(destination) && !env.NO_COLOR),
    minLevel,
    belowLevel: Infinity,
  };
}

/** `targets`, or the one target `destination`, `format` and `colors` describe. */
export function resolveTargets(o: LoggerOptions, format: Format, env: NodeJS.ProcessEnv, levels: LevelTable): ResolvedTarget[] {
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
  const o = d as { path?: unknown; fd?: unknown; mkdir?: unknown; append?: unknown; sync?: unknown; rotate?: unknown; otlp?: unknown };
  if (typeof o === 'object' && o !== null && o.otlp !== undefined) return { kind: 'otlp', otlp: resolveOtlp(o.otlp) };
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
  return fail('destination', d, '"stdout", "stderr", a file path, a file descriptor, { path }, { fd }, { otlp } or a stream');
}

function checkFd(fd: number): number {
  if (!Number.isInteger(fd) || fd < 0) fail('destination', fd, 'a file descriptor (integer ≥ 0)');
  return fd;
}

/** An object with a `write` method: a JavaScript stream the JS engine writes lines to. */
export function isStream(d: unknown): d is StreamLike {
  return typeof d === 'object' && d !== null && typeof (d as { write?: unknown }).write === 'function';
}

