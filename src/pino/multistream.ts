// `pino.multistream()`: several destinations, each from its own level. Given to a `kakashi/pino`
// logger it becomes that logger's `targets` (each a writer of its own, or a JS stream); `dedupe`
// gives each record only to the destinations of the highest level it reaches, as pino's.

import { LEVELS, SILENT } from '../levels';
import { needsMetadataGsym } from '../symbols';

export interface StreamEntry {
  stream: unknown;
  level?: string | number;
  levelVal?: number;
}

interface Entry {
  stream: { write(line: string): unknown; flushSync?: () => void; end?: () => void; [k: symbol]: unknown };
  level: number;
  levelVal: number;
  id: number;
}

export class MultiStream {
  readonly streams: Entry[] = [];
  readonly streamLevels: Record<string, number>;
  readonly dedupe: boolean;
  lastId = 0;
  minLevel = 0;
  /** Set by a logger before write(), as pino's metadata protocol. */
  lastLevel: number | string = 0;
  lastTime?: string;
  lastMsg?: string;
  lastObj?: object;
  lastLogger?: unknown;
  readonly [needsMetadataGsym] = true;
  /** Called after add() or remove(): loggers made on this multistream follow it. */
  private readonly followers: (() => void)[] = [];

  constructor(streams: unknown, options: { dedupe?: boolean; levels?: Record<string, number> } = {}) {
    this.dedupe = options.dedupe === true;
    this.streamLevels = { ...LEVELS, silent: SILENT, ...(options.levels ?? {}) };
    for (const s of Array.isArray(streams) ? streams : streams === undefined || streams === null ? [] : [streams]) this.add(s);
  }

  /** A `{ stream, level }` entry or a bare stream (level info); kept in level order. */
  add(dest: unknown): this {
    if (typeof dest !== 'object' || dest === null) throw new Error('stream object needs to implement either StreamEntry or DestinationStream interface');
    const e = dest as StreamEntry & { write?: unknown };
    const stream = (typeof e.write === 'function' ? e : e.stream) as Entry['stream'] | undefined;
    if (stream === undefined || typeof stream.write !== 'function') {
      throw new Error('stream object needs to implement either StreamEntry or DestinationStream interface');
    }
    const level = typeof e.levelVal === 'number' ? e.levelVal : typeof e.level === 'number' ? e.level : typeof e.level === 'string' ? (this.streamLevels[e.level] ?? LEVELS.info) : LEVELS.info;
    this.streams.push({ stream, level, levelVal: level, id: ++this.lastId });
    this.streams.sort((a, b) => a.level - b.level);
    this.minLevel = this.streams[0].level;
    this.changed();
    return this;
  }

  remove(id: number): this {
    const at = this.streams.findIndex((s) => s.id === id);
    if (at === -1) return this;
    this.streams.splice(at, 1);
    this.minLevel = this.streams.length > 0 ? this.streams[0].level : 0;
    this.changed();
    return this;
  }

  /** @internal `f` after every later add() or remove(). */
  follow(f: () => void): void {
    this.followers.push(f);
  }

  private changed(): void {
    for (const f of this.followers) f();
  }

  /** The destinations a record at `level` goes to. */
  receivers(level: number): Entry[] {
    const reached = this.streams.filter((s) => s.level <= level);
    if (!this.dedupe || reached.length === 0) return reached;
    const top = reached[reached.length - 1].level;
    return reached.filter((s) => s.level === top);
  }

  /** Writes a line to the destinations of `lastLevel` (for code that writes to the multistream itself). */
  write(data: string): void {
    const level = typeof this.lastLevel === 'string' ? (this.streamLevels[this.lastLevel] ?? 0) : this.lastLevel;
    for (const { stream } of this.receivers(level)) {
      if (stream[needsMetadataGsym]) Object.assign(stream, { lastLevel: level, lastTime: this.lastTime, lastMsg: this.lastMsg, lastObj: this.lastObj, lastLogger: this.lastLogger });
      stream.write(data);
    }
  }

  emit(...args: unknown[]): void {
    for (const { stream } of this.streams) (stream as { emit?: (...a: unknown[]) => void }).emit?.(...args);
  }

  flushSync(): void {
    for (const { stream } of this.streams) stream.flushSync?.();
  }

  end(): void {
    for (const { stream } of this.streams) {
      stream.flushSync?.();
      stream.end?.();
    }
  }

  clone(level: number | string): MultiStream {
    const value = typeof level === 'string' ? this.streamLevels[level] : level;
    const copy = new MultiStream([], { dedupe: this.dedupe, levels: this.streamLevels });
    for (const s of this.streams) copy.add({ stream: s.stream, levelVal: value });
    return copy;
  }
}

export function multistream(streams?: unknown, options?: { dedupe?: boolean; levels?: Record<string, number> }): MultiStream {
  return new MultiStream(streams, options);
}
