// `pino.destination()`: where pino users say a file or descriptor goes. Given to a
// `kakashi/pino` logger it becomes that logger's destination in the Rust writer (async, the
// default) or the JS engine's (`sync: true`, written before each call returns); the object
// itself keeps SonicBoom's surface (flush, flushSync, reopen, end, write, 'ready') so code that
// holds it — a SIGHUP handler calling reopen() — keeps working.

import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import { dirname } from 'node:path';

import type { Destination } from '../../index';
import type { DestinationOptions } from '../../pino';
import type { Logger } from '../logger';


/** A digit string is a descriptor, as pino.destination() reads it. */
function normalize(dest: unknown): string | number {
  if (dest === undefined || dest === null) return 1;
  if (typeof dest === 'string' && dest !== '' && Number.isFinite(Number(dest))) return Number(dest);
  if (typeof dest === 'number' || typeof dest === 'string') return dest;
  throw new Error(`kakashi/pino: pino.destination(): expected a path or a file descriptor, got ${typeof dest}`);
}

export class KakashiDestination extends EventEmitter {
  readonly dest: string | number;
  readonly sync: boolean;
  readonly mkdir: boolean;
  readonly append: boolean;
  readonly minLength: number;
  /** SonicBoom's: the descriptor, once open (for a path: opened on first direct write). */
  fd: number;
  /** SonicBoom's: the path, for a file. */
  readonly file: string | undefined;
  /** Loggers writing here: flush, flushSync and reopen reach their writers. */
  private readonly loggers = new Set<Logger>();
  /** Direct `write()`s go through this descriptor. */
  private writeFd: number | undefined;
  destroyed = false;

  constructor(options: DestinationOptions) {
    super();
    this.dest = normalize(options.dest ?? options.fd);
    this.sync = options.sync === true;
    this.mkdir = options.mkdir === true;
    this.append = options.append !== false;
    this.minLength = options.minLength ?? 0;
    this.file = typeof this.dest === 'string' ? this.dest : undefined;
    this.fd = typeof this.dest === 'number' ? this.dest : -1;
    process.nextTick(() => this.emit('ready'));
  }

  /** What a logger writes to: Kakashi's destination for the same place. */
  destination(): Destination {
    if (typeof this.dest === 'number') return this.dest === 1 ? 'stdout' : this.dest === 2 ? 'stderr' : this.dest;
    return { path: this.dest, mkdir: this.mkdir, append: this.append };
  }

  /** @internal A logger writing here. */
  bind(logger: Logger): void {
    this.loggers.add(logger);
  }

  /** Writes `data` now, on this thread (SonicBoom's write, for code that writes to the destination itself). */
  write(data: string | Uint8Array): boolean {
    if (this.destroyed) return false;
    if (this.writeFd === undefined) {
      if (typeof this.dest === 'number') this.writeFd = this.dest;
      else {
        if (this.mkdir) fs.mkdirSync(dirname(this.dest), { recursive: true });
        this.writeFd = fs.openSync(this.dest, 'a');
        this.fd = this.writeFd;
      }
    }
    if (typeof data === 'string') fs.writeSync(this.writeFd, data);
    else fs.writeSync(this.writeFd, data);
    return true;
  }

  flush(cb?: (err?: Error | null) => void): void {
    Promise.all([...this.loggers].map((l) => l.flush())).then(
      () => cb?.(null),
      (e: Error) => (cb ? cb(e) : this.emit('error', e)),
    );
  }

  flushSync(): void {
    for (const l of this.loggers) l.flushSync();
  }

  /** After logrotate moved the file: every logger writing here opens the path again. */
  reopen(): void {
    for (const l of this.loggers) l.reopen();
    if (this.writeFd !== undefined && typeof this.dest === 'string') {
      fs.closeSync(this.writeFd);
      this.writeFd = undefined;
    }
  }

  end(): void {
    if (this.destroyed) return;
    this.flushSync();
    this.destroy();
    this.emit('finish');
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.writeFd !== undefined && typeof this.dest === 'string') fs.closeSync(this.writeFd);
    this.writeFd = undefined;
    process.nextTick(() => this.emit('close'));
  }
}

/** `pino.destination()`, `pino.destination(1)`, `pino.destination('/var/log/app.log')`, `pino.destination({ dest, sync, mkdir, append })`. */
export function destination(dest?: string | number | DestinationOptions): KakashiDestination {
  if (typeof dest === 'object' && dest !== null) return new KakashiDestination(dest);
  return new KakashiDestination({ dest });
}
