// `kakashi/pino`: pino's factory and statics over Kakashi's engines. `pino(options?,
// destination?)` reads its arguments as pino does and makes a logger that speaks pino's dialect
// (src/pino/dialect.ts); the destination becomes the writer thread's (a path, a descriptor,
// pino.destination(), pino.multistream(), pino/file and pino-pretty transports) or, for any
// other stream, the JS engine writes each line to it, as pino does.

import type { Destination, LoggerOptions, Target } from '../../index';
import { LEVELS_VIEW } from '../levels';
import { createEngine } from '../engines';
import { warnOnce } from '../engines/engine';
import { createRoot, type Logger, version } from '../logger';
import { isStream, resolveOptions } from '../options';
import { stdSerializers } from '../serializers';
import {
  chindingsSym,
  formattersSym,
  hooksSym,
  kRetarget,
  kStream,
  needsMetadataGsym,
  serializersSym,
  streamSym,
  stringifySym,
  transportUsesMultistreamSym,
} from '../symbols';
import { stdTimeFunctions } from '../time';
import { destination, KakashiDestination } from './destination';
import { MultiStream, multistream } from './multistream';
import { transport, TransportDestination, transportTargets } from './transport';

/** pino's symbols: the registry ones, and the private ones Kakashi loggers answer to (chindings, stringify). */
export const symbols = Object.freeze({
  setLevelSym: Symbol('pino.setLevel'),
  getLevelSym: Symbol('pino.getLevel'),
  levelValSym: Symbol('pino.levelVal'),
  levelCompSym: Symbol('pino.levelComp'),
  useLevelLabelsSym: Symbol('pino.useLevelLabels'),
  useOnlyCustomLevelsSym: Symbol('pino.useOnlyCustomLevels'),
  mixinSym: Symbol('pino.mixin'),
  lsCacheSym: Symbol('pino.lsCache'),
  chindingsSym,
  asJsonSym: Symbol('pino.asJson'),
  writeSym: Symbol('pino.write'),
  redactFmtSym: Symbol('pino.redactFmt'),
  timeSym: Symbol('pino.time'),
  timeSliceIndexSym: Symbol('pino.timeSliceIndex'),
  streamSym,
  stringifySym,
  stringifySafeSym: Symbol('pino.stringifySafe'),
  stringifiersSym: Symbol('pino.stringifiers'),
  endSym: Symbol('pino.end'),
  formatOptsSym: Symbol('pino.formatOpts'),
  messageKeySym: Symbol('pino.messageKey'),
  errorKeySym: Symbol('pino.errorKey'),
  nestedKeySym: Symbol('pino.nestedKey'),
  nestedKeyStrSym: Symbol('pino.nestedKeyStr'),
  mixinMergeStrategySym: Symbol('pino.mixinMergeStrategy'),
  msgPrefixSym: Symbol('pino.msgPrefix'),
  wildcardFirstSym: Symbol('pino.wildcardFirst'),
  serializersSym,
  formattersSym,
  hooksSym,
  needsMetadataGsym,
  transportUsesMultistreamSym,
});

type PinoOptions = LoggerOptions & { transport?: unknown; prettyPrint?: unknown; stream?: unknown };

/** A stream given as pino's first argument: SonicBoom-like (writable), or Kakashi's own destinations. */
function isStreamArgument(v: unknown): boolean {
  if (v instanceof KakashiDestination || v instanceof MultiStream || v instanceof TransportDestination) return true;
  const s = v as { writable?: unknown; _writableState?: unknown } | null;
  return typeof s === 'object' && s !== null && (Boolean(s.writable) || Boolean(s._writableState));
}

/** pino writes to stdout through the descriptor unless process.stdout.write was replaced (tests capture it so). */
function stdoutTampered(): boolean {
  return process.stdout.write !== Object.getPrototypeOf(process.stdout).write;
}

/** Kakashi's destination for a pino destination or stream. */
function destinationOf(stream: unknown, bound: KakashiDestination[]): Destination {
  if (stream instanceof KakashiDestination) {
    bound.push(stream);
    const d = stream.destination();
    if (!stream.sync) return d;
    if (typeof d === 'string') return { fd: d === 'stdout' ? 1 : 2, sync: true };
    return typeof d === 'number' ? { fd: d, sync: true } : { ...d, sync: true };
  }
  if (stream === process.stdout && !stdoutTampered()) return 'stdout';
  if (stream === process.stderr && process.stderr.write === Object.getPrototypeOf(process.stderr).write) return 'stderr';
  if (isStream(stream)) return stream;
  throw new Error('kakashi/pino: the destination must be a path, a stream, pino.destination() or pino.multistream()');
}

/** Where an empty multistream's records go: nowhere. */
const NOWHERE: Target = { destination: { write: () => true } };

/** A multistream's entries as targets: each from its level, below the next level up when deduped. */
function multistreamTargets(m: MultiStream, bound: KakashiDestination[]): Target[] {
  if (m.streams.length === 0) return [NOWHERE];
  const levels = [...new Set(m.streams.map((s) => s.level))].sort((a, b) => a - b);
  return m.streams.map((s) => {
    const next = levels.find((l) => l > s.level);
    return { destination: destinationOf(s.stream, bound), level: s.level, ...(m.dedupe && next !== undefined ? { belowLevel: next } : {}) };
  });
}

/**
 * What `logger[pino.symbols.streamSym]` is, as pino's: the destination object it was given, else
 * one standing for where it writes (a file or stdout, as pino's SonicBoom; the transport option's
 * stream), bound to it so that its flushSync() and end() reach the logger's writer.
 */
function streamOf(logger: Logger, dest: unknown, transported: TransportDestination | undefined, resolved: LoggerOptions['destination']): unknown {
  if (transported !== undefined) {
    transported.bind(logger);
    return transported;
  }
  if (typeof dest === 'object' && dest !== null && !('path' in dest && !isStream(dest))) return dest;
  if (isStream(resolved)) return resolved;
  const stands = typeof dest === 'object' && dest !== null ? destination({ ...(dest as { path: string }), dest: (dest as { path: string }).path }) : destination(1);
  stands.bind(logger);
  return stands;
}

/**
 * A stream added to or removed from `m` after `logger` was made on it reaches the logger, as in
 * pino: the logger (and its children) write through a new engine with the multistream's targets
 * now. (Held weakly: a multistream kept for long does not keep its loggers.)
 */
function followMultistream(m: MultiStream, logger: Logger, kakashi: LoggerOptions): void {
  const ref = new WeakRef(logger);
  m.follow(() => {
    const l = ref.deref();
    if (l === undefined) return;
    const bound: KakashiDestination[] = [];
    let engine;
    try {
      engine = createEngine(resolveOptions({ ...kakashi, targets: multistreamTargets(m, bound) }, process.env, 'pino'));
    } catch (e) {
      // (A destination that cannot be opened: the logger keeps writing where it did.)
      warnOnce('multistream-change', `a multistream's new set of streams could not be taken (${(e instanceof Error ? e.message : String(e)).replace(/^kakashi: /, '')}); the logger writes to the streams it had`);
      return;
    }
    l[kRetarget](engine);
    for (const d of bound) d.bind(l);
  });
}

/**
 * `pino(options?, destination?)`, read as pino reads it: a string is a file path; a stream (or
 * pino.destination(), pino.multistream()) may come first or second; `transport` may take the
 * place of the destination.
 */
export function pino(options?: unknown, stream?: unknown): Logger {
  let opts = options as PinoOptions | string | undefined | null;
  let dest: unknown = stream;
  if (typeof opts === 'string') {
    dest = { path: opts };
    opts = {};
  } else if (isStreamArgument(opts)) {
    dest = opts;
    opts = {};
  }
  const o: PinoOptions = { ...((opts ?? {}) as PinoOptions) };
  if (o.prettyPrint) {
    throw new Error('prettyPrint option is no longer supported, see the pino-pretty package (https://github.com/pinojs/pino-pretty)');
  }
  if (typeof dest === 'string') {
    if (o.transport) throw new Error('only one of option.transport or stream can be specified');
    dest = { path: dest };
  }
  const bound: KakashiDestination[] = [];
  if (o.transport && dest !== undefined && dest !== null) throw new Error('only one of option.transport or stream can be specified');
  if (o.transport) {
    // pino's own checks of the option, with its words.
    const t = o.transport as { targets?: unknown[]; writable?: unknown; _writableState?: unknown };
    if (t.writable || t._writableState || t instanceof KakashiDestination) throw new Error('option.transport do not allow stream, please pass to option directly. e.g. pino(transport)');
    if (Array.isArray(t.targets) && t.targets.length > 0 && typeof (o.formatters as { level?: unknown } | undefined)?.level === 'function') {
      throw new Error('option.transport.targets do not allow custom level formatters');
    }
  }
  const transported = o.transport !== undefined && o.transport !== null ? new TransportDestination(transportTargets(o.transport)) : undefined;
  const targets = transported
    ? transported.targets
    : dest instanceof MultiStream
      ? multistreamTargets(dest, bound)
      : dest instanceof TransportDestination
        ? dest.targets
        : undefined;
  delete o.transport;
  delete o.stream;
  const kakashi: LoggerOptions = { ...o };
  if (targets !== undefined) kakashi.targets = targets;
  else if (dest !== undefined && dest !== null) kakashi.destination = typeof dest === 'object' && 'path' in dest && !isStream(dest) ? (dest as Destination) : destinationOf(dest, bound);
  else kakashi.destination = stdoutTampered() ? process.stdout : 'stdout';
  const resolved = resolveOptions(kakashi, process.env, 'pino');
  const logger = createRoot(resolved);
  for (const d of bound) d.bind(logger);
  if (dest instanceof MultiStream) followMultistream(dest, logger, kakashi);
  if (dest instanceof TransportDestination) dest.bind(logger);
  (logger as unknown as Record<symbol, unknown>)[kStream] = streamOf(logger, dest, transported, kakashi.destination);
  // pino's handshake with a stream that listens: the levels and keys its records use.
  const config = { levels: logger.levels, messageKey: resolved.messageKey, errorKey: resolved.errorKey };
  for (const t of resolved.targets) {
    const s = t.destination.kind === 'stream' ? (t.destination.stream as { emit?: (e: string, m: unknown) => void }) : undefined;
    if (typeof s?.emit === 'function') s.emit('message', { code: 'PINO_CONFIG', config });
  }
  return logger;
}

/** pino's statics on the factory, as `require('pino')` has them. */
export const statics = {
  destination,
  transport,
  multistream,
  levels: LEVELS_VIEW,
  stdSerializers,
  stdTimeFunctions,
  symbols,
  version,
};

export default Object.assign(pino, statics, { pino, default: pino });
