// A JavaScript stream as a destination (the JS engine): one `write(line)` per record, as pino
// writes to a stream, with pino's metadata (`lastLevel`, `lastMsg`, `lastObj`, `lastTime`, `lastLogger`) set
// first for a stream that asks for it (multistream, pino-abstract-transport's). A file stream
// (`fs.createWriteStream()`) writes later anyway, on libuv's thread pool: its lines are joined, as
// the engine's own file writes are, and written at 32 KB or within flushInterval, not a write
// each (each costs the JS thread µs of stream and fs request handling; pino.destination's
// minLength joins them too). One joiner per stream, shared by every logger writing to it, keeps
// their lines in call order; the stream's own `end()` writes what is held first, and at exit
// what is held is written to its descriptor before the process goes.

import { open, write, writeSync, WriteStream, writev } from 'node:fs';

import { caller } from '../caller';
import { backgroundTimer } from '../engines/engine';
import type { StreamLike } from '../options/destination';
import { needsMetadataGsym } from '../symbols';

/** Held characters past which the held lines are written at once. */
const HOLD_MAX = 32 * 1024;

/** Where a logger's lines went: `lines` handed to the stream (`bytes` of them), or lost to `error`. */
export type Handed = (lines: number, bytes: number, error: unknown) => void;

/**
 * A file stream whose `write` is its own (not replaced to capture output, as tests do), and
 * that does not read pino's metadata of each line: its lines can be joined.
 */
function isFileStream(stream: StreamLike): stream is StreamLike & WriteStream {
  return stream instanceof WriteStream && stream.write === WriteStream.prototype.write && stream[needsMetadataGsym] !== true;
}

/**
 * A file stream the native writer can write for (engines/file-stream.ts): one writing with
 * node:fs itself (not a custom `fs` option's functions), where its descriptor is (no `start`
 * position), not ended; not on Windows, whose descriptors the writer takes as handles.
 */
export function nativeFileStream(stream: StreamLike): stream is StreamLike & WriteStream {
  if (process.platform === 'win32' || !isFileStream(stream) || stream.destroyed || stream.writableEnded) return false;
  if ((stream as { start?: number }).start !== undefined) return false;
  const kFs = Object.getOwnPropertySymbols(stream).find((k) => k.description === 'kFs');
  const f = (kFs === undefined ? undefined : stream[kFs]) as { open?: unknown; write?: unknown; writev?: unknown } | undefined;
  return f === undefined || (f.open === open && f.write === write && f.writev === writev);
}

/** The joiner of each file stream, shared by the loggers that write to it. */
const joiners = new WeakMap<WriteStream, Joiner>();

/** A stream destination of one logger. */
export class StreamSink {
  private readonly joiner: Joiner | undefined;

  constructor(
    private readonly stream: StreamLike,
    flushInterval: number,
    private readonly done: Handed,
  ) {
    if (isFileStream(stream)) {
      let joiner = joiners.get(stream);
      if (joiner === undefined) joiners.set(stream, (joiner = new Joiner(stream, flushInterval)));
      this.joiner = joiner;
    }
  }

  write(line: string, level: number, time: number | string | undefined, members: string, msg: string | undefined): void {
    if (this.joiner !== undefined && (this.joiner.hold(line, this.done) || this.joiner.writeAtExit(line, this.done))) return;
    try {
      if (this.stream[needsMetadataGsym] === true) setMetadata(this.stream, level, time, members, msg);
      this.stream.write(line);
      this.done(1, Buffer.byteLength(line), undefined);
    } catch (e) {
      this.done(1, 0, e);
    }
  }

  /** Writes what is held now (flush and close). */
  release(): void {
    this.joiner?.release();
  }

  /**
   * A file stream handed to the native writer (engines/file-stream.ts): what is held goes to
   * its descriptor now where the stream is idle. Whether the stream has nothing in flight.
   */
  releaseNow(): boolean {
    return this.joiner?.releaseNow() ?? false;
  }

  /** The process is exiting: what is held goes to the file before it does, and later lines at once. */
  exit(): void {
    this.joiner?.exit();
  }
}

/** The lines held for one file stream, with the loggers they came from. */
class Joiner {
  private held = '';
  /** Per logger: its held lines and their characters. */
  private readonly owners = new Map<Handed, [number, number]>();
  private timer: NodeJS.Timeout | undefined;
  private exiting = false;

  constructor(
    private readonly stream: WriteStream,
    private readonly flushInterval: number,
  ) {
    // Code that ends the stream itself (pino's users do: log, then `dest.end()`) gets the held
    // lines in it first, as if each had been written at once.
    const end = stream.end;
    stream.end = ((...args: Parameters<WriteStream['end']>) => {
      this.release();
      return end.apply(stream, args);
    }) as WriteStream['end'];
  }

  /** Takes the line; false when it must be written at once (exiting, or the stream ended). */
  hold(line: string, owner: Handed): boolean {
    if (this.exiting || this.stream.writableEnded || this.stream.destroyed) return false;
    this.held += line;
    const mine = this.owners.get(owner);
    if (mine === undefined) this.owners.set(owner, [1, line.length]);
    else {
      mine[0]++;
      mine[1] += line.length;
    }
    this.timer ??= backgroundTimer(this.flushInterval, () => this.release());
    if (this.held.length >= HOLD_MAX) this.release();
    return true;
  }

  release(): void {
    this.writeHeld((text) => this.stream.write(text));
  }

  /**
   * What is held, written to the file at once where that keeps its order, else through the
   * stream. Whether the stream has nothing in flight now.
   */
  releaseNow(): boolean {
    this.writeHeld((text) => this.writeSync(text) || this.stream.write(text));
    return this.stream.writableLength === 0;
  }

  /**
   * At exit an asynchronous write would never complete: what is held is written to the file's
   * descriptor now, and so is each later line (a record logged by a later exit listener).
   */
  exit(): void {
    this.exiting = true;
    this.releaseNow();
  }

  /** What is held, written by `write`, and counted for each logger it came from. */
  private writeHeld(write: (text: string) => unknown): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.held === '') return;
    const text = this.held;
    this.held = '';
    let error: unknown;
    try {
      // A stream destroyed meanwhile takes nothing (it would only emit an error): lost, counted.
      if (this.stream.destroyed) throw new Error('the stream was destroyed');
      write(text);
    } catch (e) {
      error = e;
    }
    this.settle(text, error);
  }

  /** While exiting: `line` written to the file at once; false where only the stream can write it. */
  writeAtExit(line: string, owner: Handed): boolean {
    if (!this.exiting) return false;
    try {
      if (!this.writeSync(line)) return false;
      owner(1, Buffer.byteLength(line), undefined);
    } catch (e) {
      owner(1, 0, e);
    }
    return true;
  }

  /**
   * `text` written to the stream's descriptor now, when that keeps the file's order: the stream
   * is open, has nothing of its own in flight (that would land after), and writes where the
   * descriptor is (not at positions of its own, from a `start`). False otherwise: the text then
   * goes through the stream, as pino's lines would. Throws what the write throws.
   */
  private writeSync(text: string): boolean {
    const stream = this.stream as WriteStream & { fd?: number | null; pos?: number };
    if (typeof stream.fd !== 'number' || stream.pos !== undefined || stream.writableLength > 0) return false;
    const bytes = Buffer.from(text);
    for (let off = 0; off < bytes.length; ) off += writeSync(stream.fd, bytes, off);
    return true;
  }

  /** Each logger's lines counted as written (their share of the bytes: exact for ASCII), or lost. */
  private settle(text: string, error: unknown): void {
    const owners = [...this.owners];
    this.owners.clear();
    const perChar = Buffer.byteLength(text) / text.length;
    for (const [done, [lines, chars]] of owners) done(lines, error === undefined ? Math.round(chars * perChar) : 0, error);
  }
}

function setMetadata(stream: StreamLike, level: number, time: number | string | undefined, members: string, msg: string | undefined): void {
  const s = stream as StreamLike & Record<string, unknown>;
  s.lastLogger = caller.logger;
  s.lastLevel = level;
  s.lastMsg = msg;
  s.lastObj = members === '' ? {} : safeParse('{' + members.slice(1) + '}');
  s.lastTime = time === undefined ? '' : typeof time === 'number' ? String(time) : time.slice(time.indexOf(':') + 1);
}

function safeParse(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return {};
  }
}
