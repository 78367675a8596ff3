// Where records go: destinations (stdout, stderr, descriptors, paths with rotation, streams,
// OTLP and syslog receivers) and targets (a destination with its own format, level and colours), checked once.

import { isatty } from 'node:tty';

import type { Destination, LoggerOptions } from '../../index';
import type { Format } from '../format';
import { describe, type LevelTable, levelValue } from '../levels';
import { FORMATS } from './env';
import { fail } from './fail';
import { parseSize } from './size';
import { type ResolvedOtlp, type ResolvedSyslog, type ResolvedTransport, resolveOtlp, resolveSyslog, resolveTransport } from './network';

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
  | { kind: 'otlp'; otlp: ResolvedOtlp }
  | { kind: 'syslog'; syslog: ResolvedSyslog }
  /** A pino transport in a worker thread, fed by the native shipper thread. */
  | { kind: 'transport'; transport: ResolvedTransport };

export interface ResolvedRotate {
  /** Bytes after which the file is rotated. */
  size: number | undefined;
  /** Rotate when the UTC hour or day changes: the period in ms. */
  intervalMs: number | undefined;
  keep: number;
  compress: boolean;
}

const INTERVALS: Record<string, number> = { hourly: 3_600_000, daily: 86_400_000 };
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

function target(dest: Destination, format: Format, colors: boolean | undefined, minLevel: number, env: NodeJS.ProcessEnv, name: string | undefined): ResolvedTarget {
  const destination = resolveDestination(dest, name);
  return {
    destination,
    // A network target is named by its URL alone: its headers may hold a key.
    destinationText:
      destination.kind === 'stream' ? 'a stream' : destination.kind === 'otlp' ? destination.otlp.shipping.url : destination.kind === 'syslog'
            ? destination.syslog.shipping.url
            : destination.kind === 'transport'
              ? destination.transport.name
              : describe(dest),
    format,
    colour: colors ?? (format === 'pretty' && isTerminal(destination) && !env.NO_COLOR),
    minLevel,
    belowLevel: Infinity,
  };
}

/** `targets`, or the one target `destination`, `format` and `colors` describe. */
export function resolveTargets(o: LoggerOptions, format: Format, env: NodeJS.ProcessEnv, levels: LevelTable): ResolvedTarget[] {
  if (o.colors !== undefined && typeof o.colors !== 'boolean') fail('colors', o.colors, 'a boolean');
  const name = typeof o.name === 'string' ? o.name : undefined;
  if (o.targets === undefined) return [target(o.destination ?? 'stdout', format, o.colors, 0, env, name)];
  if (o.destination !== undefined) fail('destination', o.destination, 'to be left out when "targets" is given');
  if (!Array.isArray(o.targets) || o.targets.length === 0) fail('targets', o.targets, 'a non-empty array of { destination, format?, level?, colors? }');
  return o.targets.map((t, i) => {
    if (typeof t !== 'object' || t === null || t.destination === undefined) fail(`targets[${i}]`, t, '{ destination, format?, level?, colors? }');
    if (t.format !== undefined && !FORMATS.includes(t.format)) fail(`targets[${i}].format`, t.format, '"json", "logfmt" or "pretty"');
    if (t.colors !== undefined && typeof t.colors !== 'boolean') fail(`targets[${i}].colors`, t.colors, 'a boolean');
    // A number is a threshold, whether or not a level has it (pino's multistream `levelVal`).
    const minLevel = t.level === undefined ? 0 : Number.isInteger(t.level) && (t.level as number) >= 0 ? (t.level as number) : levelValue(t.level, `option "targets[${i}].level"`, levels);
    const resolved = target(t.destination, t.format ?? format, t.colors ?? o.colors, minLevel, env, name);
    if (t.belowLevel !== undefined) resolved.belowLevel = t.belowLevel;
    return resolved;
  });
}

function isTerminal(d: ResolvedDestination): boolean {
  const fd = d.kind === 'stdout' ? 1 : d.kind === 'stderr' ? 2 : d.kind === 'fd' ? d.fd : -1;
  return fd >= 0 && isatty(fd);
}

function resolveDestination(d: Destination, name: string | undefined): ResolvedDestination {
  if (d === 'stdout' || d === 'stderr') return { kind: d };
  if (isStream(d)) return { kind: 'stream', stream: d };
  if (typeof d === 'number') return { kind: 'fd', fd: checkFd(d) };
  if (typeof d === 'string') {
    if (d === '') fail('destination', d, '"stdout", "stderr", a file path, a file descriptor or { path }');
    return { kind: 'path', path: d, mkdir: false, append: true };
  }
  const o = d as { path?: unknown; fd?: unknown; mkdir?: unknown; append?: unknown; sync?: unknown; rotate?: unknown; otlp?: unknown; syslog?: unknown; transport?: unknown };
  if (typeof o === 'object' && o !== null && o.otlp !== undefined) return { kind: 'otlp', otlp: resolveOtlp(o.otlp) };
  if (typeof o === 'object' && o !== null && o.syslog !== undefined) return { kind: 'syslog', syslog: resolveSyslog(o, name) };
  if (typeof o === 'object' && o !== null && o.transport !== undefined) return { kind: 'transport', transport: resolveTransport(o) };
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
  return fail('destination', d, '"stdout", "stderr", a file path, a file descriptor, { path }, { fd }, { otlp }, { syslog }, { transport } or a stream');
}

function checkFd(fd: number): number {
  if (!Number.isInteger(fd) || fd < 0) fail('destination', fd, 'a file descriptor (integer ≥ 0)');
  return fd;
}

/** An object with a `write` method: a JavaScript stream the JS engine writes lines to. */
export function isStream(d: unknown): d is StreamLike {
  return typeof d === 'object' && d !== null && typeof (d as { write?: unknown }).write === 'function';
}

