// The pure-JS engine: the same records, the same bytes, built on the calling thread (format/)
// and written in chunks (sinks/): synchronous writes to files and, under onFull 'block', to
// everything (like pino's buffered-sync destination: bounded, in order); a worker thread for a
// destination that can block under onFull 'drop'; each line to a JS stream (sinks/stream.ts). This file keeps the
// records' accounting: written, dropped and noticed, filtered, queued.

import * as fs from 'node:fs';
import { dirname } from 'node:path';

import type { Stats, TargetStats } from '../../index';
import { DROP_NOTICE, JsonFormat, TextFormat, textLayout } from '../format';
import type { Resolved, ResolvedTarget, StreamLike } from '../options';
import { type Bindings, bindingsText } from '../bindings';
import { now } from '../capture/clock';
import { messageText } from '../capture/template';
import type { FieldRedactor } from '../redact';
import { FULL, newlines, Partial, pieces, TIMEOUT, writeAll } from '../sinks/fd';
import { FdWriter } from '../sinks/fd-writer';
import { RotatingFile } from '../sinks/rotating';
import { StreamSink } from '../sinks/stream';
import { customTime, type TimeChoice } from '../time';
import { backgroundTimer, combineStats, type Engine, handOverIn, warnOnce } from './engine';

/** Characters buffered before a write. */
const CHUNK = 32 * 1024;
/** Past this, the buffer is written before a line joins it (V8's longest string is 2^29 - 24). */
const MAX_BUFFERED = 2 ** 28;

export class JsEngine implements Engine {
  readonly name = 'js';
  private fd: number;
  /** A rotating file, shared by the thread's loggers of its path; its descriptor replaces `fd`. */
  private readonly rotating: RotatingFile | undefined;
  private readonly describe: string;
  private readonly time: TimeChoice;
  /** Records' members, and JSON lines; text lines, for logfmt and pretty. */
  private readonly json: JsonFormat;
  private readonly format: JsonFormat | TextFormat;
  private readonly streamWrite: ((line: string) => string) | undefined;
  /** A JavaScript stream destination: each line is written to it at once, as pino does. */
  private readonly stream: StreamLike | undefined;
  private readonly streamSink: StreamSink | undefined;
  private readonly flushInterval: number;
  /** performance.now() of the last write of the buffer (handOverIn). */
  private handedAt = -Infinity;
  private readonly dropWhenFull: boolean;
  private chunk: number;
  private readonly exitTimeout: number;
  /** The last write stopped mid-line: the next starts with a newline. */
  private torn = false;
  /** Writes a destination that can block without blocking the JS thread (`onFull: 'drop'`). */
  private readonly async: FdWriter | undefined;
  private asyncFailed = false;
  /** What a bounded flush could not write (the destination took nothing for exitTimeout): written first next time. */
  private carry: Buffer | undefined;
  private carryRecords = 0;
  /** A pipe, FIFO, socket or terminal: written in PIPE_BUF pieces. */
  private readonly pipe: boolean;
  /** Records below this level, or at `belowLevel` and above, are not written here (one of several targets). */
  private readonly minLevel: number;
  private readonly belowLevel: number;

  private closing: Promise<void> | undefined;
  private buffer = '';
  private buffered = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  private enqueued = 0;
  private written = 0;
  private dropped = 0;
  private filtered = 0;
  /** Records lost to a full or failing destination that no notice record has reported yet. */
  private unreported = 0;
  private bytesWritten = 0;
  private errors = 0;

  constructor(o: Resolved, t: ResolvedTarget) {
    const d = t.destination;
    this.describe = t.destinationText;
    if (d.kind === 'stream') {
      this.stream = d.stream;
      this.streamSink = new StreamSink(d.stream, o.flushInterval, (lines, bytes, error) => this.handed(lines, bytes, error));
      this.fd = -1;
    } else if (d.kind === 'path') {
      // One open file per path in this thread, shared by its loggers (and rotated, if any gave a rule).
      if (d.mkdir) fs.mkdirSync(dirname(d.path), { recursive: true });
      this.rotating = RotatingFile.acquire(d.path, d.rotate, d.append);
      this.fd = -1;
    } else {
      this.fd = d.kind === 'fd' ? d.fd : d.kind === 'stdout' ? 1 : 2;
      fs.fstatSync(this.fd); // EBADF now rather than at the first write
    }
    // 'drop' never waits: a destination that can block is written by a worker thread.
    const fd = this.rotating?.fd ?? this.fd;
    const canBlock = fd >= 0 && d.kind !== 'stream' && FdWriter.canBlock(fd);
    this.pipe = canBlock;
    if (o.dropWhenFull && canBlock && !('rotate' in d && d.rotate) && !('sync' in d && d.sync)) {
      this.async = new FdWriter(fd, o.bufferSize);
    }
    this.time = o.time;
    this.json = new JsonFormat(o);
    this.format = t.format === 'json' ? this.json : new TextFormat(textLayout(t.format, o, t.colour));
    this.streamWrite = o.streamWrite;
    this.flushInterval = o.flushInterval;
    this.dropWhenFull = o.dropWhenFull;
    // A synchronous destination (pino.destination({ sync: true })) is written record by record.
    this.chunk = 'sync' in d && d.sync === true ? 0 : Math.min(CHUNK, o.bufferSize);
    this.minLevel = t.minLevel;
    this.belowLevel = t.belowLevel;
    this.exitTimeout = o.exitTimeout;
  }

  write(level: number, bindings: string | undefined, fields: object | undefined, msg: unknown, redact: FieldRedactor | undefined, owner: Bindings): void {
    bindings ??= bindingsText(owner);
    msg = messageText(msg);
    if (this.closed || !this.takes(level)) return this.append(level, undefined, bindings, '', undefined);
    const time = this.readTime();
    const [members, message] = this.record(fields, redact, msg);
    this.append(level, time, bindings, members, message);
  }

  /** A record's members and its string message; never throws (see format/json.ts). */
  record(fields: object | undefined, redact: FieldRedactor | undefined, msg: unknown): [string, string | undefined] {
    return this.json.record(fields, redact, msg);
  }

  /** Whether this target writes records of `level`. */
  takes(level: number): boolean {
    return level >= this.minLevel && level < this.belowLevel;
  }

  /** The record's time: the clock (epoch ms), a custom function's members, or none. */
  readTime(): number | string | undefined {
    const t = this.time;
    return t === 'none' ? undefined : typeof t === 'function' ? customTime(t) : now();
  }

  /**
   * A record whose fields are already serialized (`members`): what the tee engine hands each
   * target, so lazy fields run and the clock is read once per record, not once per target.
   */
  append(level: number, time: number | string | undefined, bindings: string, members: string, msg: string | undefined): void {
    this.enqueued++;
    if (this.closed) {
      this.dropped++;
      return;
    }
    if (!this.takes(level)) {
      this.filtered++;
      return;
    }
    let line = this.line(level, time, bindings, members, msg);
    if (this.streamWrite !== undefined) line = rewrite(this.streamWrite, line);
    if (this.streamSink !== undefined) return this.streamSink.write(line, level, time, members, msg);
    // A line that does not fit beside what is buffered goes out after it.
    if (this.buffer.length + line.length > MAX_BUFFERED) this.writeBuffer();
    this.buffer += line;
    if (this.buffered++ === 0 && this.timer === undefined) this.schedule();
    if (this.buffer.length >= this.chunk) this.writeBuffer();
  }

  /** Lines the stream destination took, or lost to what its write threw. */
  private handed(lines: number, bytes: number, error: unknown): void {
    if (error === undefined) {
      this.written += lines;
      this.bytesWritten += bytes;
      return;
    }
    this.dropped += lines;
    this.errors++;
    warnOnce(`write:${this.describe}`, `write failed: ${(error as Error).message} (${this.describe}); further errors are counted in getStats().errors`);
  }

  private line(level: number, time: number | string | undefined, bindings: string, members: string, msg: string | undefined): string {
    return this.format.line(level, time, bindings, members, msg);
  }

  private schedule(): void {
    this.timer = backgroundTimer(handOverIn(this.handedAt, this.flushInterval), () => {
      this.timer = undefined;
      this.writeBuffer();
    });
  }

  /**
   * A file stream the native writer is to write for (file-stream.ts): what this stream's
   * joiner holds goes to its descriptor now where the stream is idle. Whether it is idle.
   */
  releaseStream(): boolean {
    return this.streamSink?.releaseNow() ?? false;
  }

  /** Writes what is pending before returning (within exitTimeout for a destination that takes no writes). */
  flushSync(): boolean {
    if (this.stream !== undefined) {
      this.streamSink?.release();
      try {
        this.stream.flushSync?.();
      } catch {
        // A stream that cannot flush keeps what it has; its own errors are its own.
      }
      return true;
    }
    const written = this.writeBuffer(false, this.exitTimeout);
    if (this.async === undefined) return written;
    const drained = this.async.drain(Date.now() + this.exitTimeout);
    this.settle();
    return written && drained;
  }

  /**
   * Hands what is buffered to the destination: written at once (a file, or `onFull: 'block'`),
   * or put in the fd writer's ring for a destination that can block (`onFull: 'drop'`).
   */
  private writeBuffer(final = false, within = Infinity): boolean {
    // (At close, the last records lost are marked too, though nothing follows them.)
    if (this.buffered === 0 && this.carry === undefined && !(final && this.unreported > 0)) return true;
    this.handedAt = performance.now();
    // The destination takes writes again: say first what was lost before these records. After
    // a write that stopped mid-line, start on a fresh line.
    this.settle();
    // (Behind what a bounded flush left, the notice waits for the next write.)
    const lost = this.carry === undefined ? this.unreported : 0;
    const notice = lost > 0 ? this.line(40, Date.now(), '', `,"dropped":${lost}`, `kakashi: ${lost} ${DROP_NOTICE}`) : '';
    const head = (this.torn ? '\n' : '') + notice;
    let data = Buffer.from(head + this.buffer, 'utf8');
    let records = this.buffered;
    let headBytes = head === '' ? 0 : Buffer.byteLength(head);
    this.buffer = '';
    this.buffered = 0;
    if (this.async !== undefined) {
      if (this.async.put(data, records)) {
        if (notice !== '') this.unreported = 0;
        return true;
      }
      // The ring is full (the reader is slow or gone): drop, count, and say so later.
      this.dropped += records;
      this.unreported += records;
      return false;
    }
    if (this.carry !== undefined) {
      // What a bounded flush could not write goes first (it may end a line begun before).
      data = Buffer.concat([this.carry, data]);
      headBytes = 0;
      records += this.carryRecords;
      this.carry = undefined;
    }
    // A flush that must return waits at most `within` for a destination that takes no writes;
    // a record written on a timer waits (onFull: 'block') as long as it takes.
    const deadline = Date.now() + within;
    try {
      if (this.rotating === undefined) {
        // On a pipe, writes of up to PIPE_BUF bytes are never interleaved with other threads':
        // lines go in such pieces, so several threads' lines never tear each other.
        if (this.pipe) for (const piece of pieces(data)) writeAll(this.fd, piece, data, deadline, this.dropWhenFull);
        else writeAll(this.fd, data, data, deadline, this.dropWhenFull);
      } else {
        this.rotating.write(
          data,
          (fd, chunk) => writeAll(fd, chunk, data, deadline, this.dropWhenFull),
          (e) => warnOnce(`rotate:${this.describe}`, `rotation failed: ${e.message} (${this.describe}); records stay in the current file`),
        );
      }
      this.written += records;
      this.bytesWritten += data.length;
      this.torn = false;
      if (notice !== '') this.unreported = 0;
      return true;
    } catch (e) {
      const { off, cause } = e instanceof Partial ? e : new Partial(0, e);
      const whole = off <= headBytes ? 0 : newlines(data, headBytes, off);
      if (off > headBytes || (off === headBytes && headBytes > 0)) this.unreported = 0;
      this.written += whole;
      this.bytesWritten += off;
      if (cause === TIMEOUT) {
        // Not lost: the rest goes first next time (or is reported as waiting at exit).
        this.carry = data.subarray(off);
        this.carryRecords = records - whole;
        return false;
      }
      // What reached the destination counts as written; the rest is lost, counted, and noticed.
      this.dropped += records - whole;
      this.unreported += records - whole;
      if (off > 0) this.torn = data[off - 1] !== 10;
      if (cause === FULL) return false;
      this.errors++;
      warnOnce(`write:${this.describe}`, `write failed: ${(cause as Error).message} (${this.describe}); further errors are counted in getStats().errors`);
      return false;
    }
  }

  /** The process is exiting: what is pending is written, and every later record before its call returns. */
  exit(): boolean {
    this.chunk = 0;
    this.streamSink?.exit();
    const done = this.flushSync();
    this.async?.close();
    return done;
  }

  /** What the fd writer's worker has written (or lost to a write error) since last asked. */
  private settle(): void {
    if (this.async === undefined) return;
    const { written, bytes, lost, error } = this.async.settle();
    this.written += written;
    this.bytesWritten += bytes;
    this.dropped += lost;
    if (error !== 0 && !this.asyncFailed) {
      this.asyncFailed = true;
      this.errors++;
      warnOnce(`write:${this.describe}`, `write failed: error ${error} (${this.describe}); later records are dropped and counted in getStats().dropped`);
    }
  }

  flush(): Promise<void> {
    this.flushSync();
    return Promise.resolve();
  }

  reopen(): void {
    this.flushSync();
    if (!this.closed) this.rotating?.reopen();
  }

  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
    this.flushSync();
    this.writeBuffer(true, this.exitTimeout);
    this.async?.drain(Date.now() + this.exitTimeout);
    this.settle();
    this.async?.close();
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.rotating?.release();
  }

  stats(): Stats {
    return combineStats([this.targetStats()]);
  }

  targetStats(): TargetStats {
    this.settle();
    return {
      destination: this.describe,
      enqueued: this.enqueued,
      written: this.written,
      dropped: this.dropped,
      filtered: this.filtered,
      queued: this.enqueued - this.written - this.dropped - this.filtered,
      bytesWritten: this.bytesWritten,
      errors: this.errors,
    };
  }
}

/** pino's hooks.streamWrite: a hook that throws (or returns a non-string) leaves the line as it was. */
function rewrite(hook: (line: string) => string, line: string): string {
  try {
    const out = hook(line);
    return typeof out === 'string' ? out : line;
  } catch {
    return line;
  }
}
