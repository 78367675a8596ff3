// A JavaScript stream as a destination (the JS engine): one `write(line)` per record, as pino
// writes to a stream, with pino's metadata (`lastLevel`, `lastMsg`, `lastObj`, `lastTime`) set
// first for a stream that asks for it (multistream, pino-abstract-transport's). A stream whose
// bytes go to the OS (a file or socket stream) writes them later anyway, on libuv's thread
// pool: its lines are joined, as the engine's own file writes are, and written at 32 KB or
// within flushInterval, not a write each (each costs the JS thread µs of stream and fs request
// handling; pino.destination's minLength does the same). Flush, close and exit write what is
// held first.

import { WriteStream } from 'node:fs';
import { Socket } from 'node:net';

import { backgroundTimer } from '../engines/engine';
import type { StreamLike } from '../options';
import { needsMetadataGsym } from '../symbols';

/** Held characters past which the held lines are written at once. */
const HOLD_MAX = 32 * 1024;

export class StreamSink {
  private readonly joins: boolean;
  private held = '';
  private heldLines = 0;
  private timer: NodeJS.Timeout | undefined;

  /** `done(lines, bytes, error)`: lines handed to the stream, or lost to what its write threw. */
  constructor(
    private readonly stream: StreamLike,
    private readonly flushInterval: number,
    private readonly done: (lines: number, bytes: number, error: unknown) => void,
  ) {
    // Only where chunk boundaries mean nothing to the reader; never for a metadata stream.
    this.joins = (stream instanceof WriteStream || stream instanceof Socket) && (stream as StreamLike)[needsMetadataGsym] !== true;
    if (this.joins) {
      // Code that ends the stream itself (pino's users do: log, then `dest.end()`) gets the held
      // lines in it first, as if each had been written at once.
      const writable = stream as unknown as WriteStream;
      const end = writable.end;
      writable.end = ((...args: Parameters<WriteStream['end']>) => {
        this.release();
        return end.apply(writable, args);
      }) as WriteStream['end'];
    }
  }

  write(line: string, level: number, time: number | string | undefined, members: string, msg: string | undefined): void {
    if (this.joins) {
      this.held += line;
      this.timer ??= backgroundTimer(this.flushInterval, () => this.release());
      this.heldLines++;
      if (this.held.length >= HOLD_MAX) this.release();
      return;
    }
    this.hand(line, 1, level, time, members, msg);
  }

  /** Writes the held lines now (flush, close and exit call this before anything else). */
  release(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.heldLines === 0) return;
    const [held, lines] = [this.held, this.heldLines];
    this.held = '';
    this.heldLines = 0;
    this.hand(held, lines, 0, undefined, '', undefined);
  }

  private hand(text: string, lines: number, level: number, time: number | string | undefined, members: string, msg: string | undefined): void {
    try {
      if (this.stream[needsMetadataGsym] === true) setMetadata(this.stream, level, time, members, msg);
      this.stream.write(text);
      this.done(lines, Buffer.byteLength(text), undefined);
    } catch (e) {
      this.done(lines, 0, e);
    }
  }
}

function setMetadata(stream: StreamLike, level: number, time: number | string | undefined, members: string, msg: string | undefined): void {
  const s = stream as StreamLike & Record<string, unknown>;
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
