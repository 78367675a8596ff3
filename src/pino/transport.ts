// pino's `transport` option and `pino.transport()`. The two transports pino ships or every pino
// user knows are what Kakashi's writer already is: `pino/file` (a file or descriptor) and
// `pino-pretty` (its pretty format) become targets of the Rust writer. Any other transport
// module (pino-roll, pino-loki, pino-socket, …) becomes a `{ transport }` target: the module
// runs in a worker thread of its own, fed the lines the Rust writer formatted.

import { EventEmitter } from 'node:events';

import type { Destination, Target } from '../../index';
import { warnOnce } from '../engines/engine';
import { findModule } from '../options/network';
import type { Logger } from '../logger';
import { kEngine } from '../symbols';

interface TransportTarget {
  target?: string;
  options?: Record<string, unknown>;
  level?: string | number;
  pipeline?: unknown;
}

function destinationOf(d: unknown, option: string): Destination {
  if (d === undefined || d === null || d === 1 || d === '1') return 'stdout';
  if (d === 2 || d === '2') return 'stderr';
  if (typeof d === 'number') return d;
  if (typeof d === 'string' && d !== '') return Number.isFinite(Number(d)) ? Number(d) : d;
  throw new Error(`kakashi/pino: invalid option "${option}": expected a path or a file descriptor`);
}

function targetOf(t: TransportTarget, at: string): Target {
  const options = t.options ?? {};
  if (t.pipeline !== undefined) throw new Error(`kakashi/pino: ${at}: transport pipelines are not supported (targets are)`);
  if (t.target === 'pino/file') {
    const dest = destinationOf(options.destination, `${at}.options.destination`);
    const destination = typeof dest === 'string' && dest !== 'stdout' && dest !== 'stderr' ? { path: dest, mkdir: options.mkdir === true, append: options.append !== false } : dest;
    return { destination, format: 'json' };
  }
  // pino-pretty with no options but its colours and destination is Kakashi's pretty format, from
  // the writer; asked for more of its own (translateTime, ignore, singleLine, …), it is pino-pretty
  // itself, in a worker, as pino runs it (when the application has it installed).
  if (t.target === 'pino-pretty' && (Object.keys(options).every((k) => k === 'colorize' || k === 'destination') || findModule('pino-pretty') === undefined)) {
    const colors = typeof options.colorize === 'boolean' ? options.colorize : undefined;
    return { destination: destinationOf(options.destination, `${at}.options.destination`), format: 'pretty', colors };
  }
  if (typeof t.target !== 'string' || t.target === '') throw new Error(`kakashi/pino: invalid option "${at}.target": expected a transport module's name or path`);
  return { destination: { transport: t.target, options } };
}

/** The targets a `transport: { target, options } | { targets: [...] }` option describes. */
export function transportTargets(transport: unknown): Target[] {
  if (typeof transport !== 'object' || transport === null) throw new Error('kakashi/pino: invalid option "transport": expected { target, options } or { targets }');
  const t = transport as TransportTarget & { targets?: TransportTarget[] };
  if (t.target !== undefined && t.targets !== undefined) throw new Error('only one of target or targets can be specified');
  if (Array.isArray(t.targets)) {
    // pino's transport targets default to info each.
    return t.targets.map((target, i) => ({ ...targetOf(target, `transport.targets[${i}]`), level: (target.level ?? 'info') as Target['level'] }));
  }
  return [targetOf(t, 'transport')];
}

/**
 * What `pino.transport()` returns: a destination a `kakashi/pino` logger writes to through its
 * writer, with what pino's ThreadStream offers around it — 'ready' once the logger's transports
 * take lines (a worker that could not build its stream is said on stderr instead), `flushSync()`,
 * `end()` (the logger closes: each transport ends, and 'close'), `ref()`/`unref()` (nothing to
 * do: a worker keeps the process alive only until its stream is built; exit waits for them,
 * bounded).
 */
export class TransportDestination extends EventEmitter {
  private logger: Logger | undefined;

  constructor(readonly targets: Target[]) {
    super();
  }

  /** @internal The logger that writes here. */
  bind(logger: Logger): void {
    this.logger = logger;
    const ready = logger[kEngine].ready?.() ?? Promise.resolve(true);
    ready.then((built) => built && this.emit('ready'));
  }

  /** Lines written here directly are not the logger's: they go nowhere, said once. */
  write(): boolean {
    warnOnce('transport-write', 'a line written directly to pino.transport() is not sent: log it through the logger');
    return false;
  }

  flushSync(): void {
    this.logger?.flushSync();
  }

  end(): void {
    const closing = this.logger?.close() ?? Promise.resolve();
    closing.then(() => this.emit('close'));
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }
}

/** `pino.transport({ target, options } | { targets })`. */
export function transport(options: unknown): TransportDestination {
  return new TransportDestination(transportTargets(options));
}
