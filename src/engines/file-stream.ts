// A file stream (`fs.createWriteStream(path)`, as in pino's `pino(stream)`) written by the
// native writer: once the stream has opened its file and written what it was given before, a
// native writer takes its descriptor, and records are formatted and written off the JS thread
// as a path's are. Until then (the file is opening, the stream has writes in flight), and after
// the stream ends, the JS engine writes them through the stream (joined, sinks/stream.ts). The
// stream's `end()` and `destroy()` first have the native writer write what it holds, and stop
// it: it never writes to a descriptor the stream has closed, whose number a later open may
// reuse. (The stream's own `bytesWritten` counts only what went through it.)

import { fstatSync, type WriteStream } from 'node:fs';

import type { Stats } from '../../index';
import type { Bindings } from '../bindings';
import { useSharedClock } from '../capture/clock';
import type { Resolved } from '../options';
import type { FieldRedactor } from '../redact';
import { backgroundTimer, combineStats, type Engine, inTurn, warnOnce } from './engine';
import { JsEngine } from './js';
import { NativeEngine } from './native';
import type { NativeBinding } from './native-binding';

/** How soon a stream with writes of its own in flight is looked at again. */
const RETRY_MS = 2;

/** The engines writing for each stream, told when it ends. */
const writers = new WeakMap<WriteStream, Set<WeakRef<FileStreamEngine>>>();

export class FileStreamEngine implements Engine {
  private readonly js: JsEngine;
  private native: NativeEngine | undefined;
  private current: Engine;
  /** The stream ended, or the logger closed: no native writer from now on. */
  private done = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly binding: NativeBinding,
    private readonly o: Resolved,
    private readonly stream: WriteStream,
  ) {
    // The JS engine's times come from the native writer's clock, so they stay in order across the hand-over.
    if (o.time !== 'none' && typeof o.time !== 'function') useSharedClock(binding);
    this.js = new JsEngine(o, o.targets[0]);
    this.current = this.js;
    watch(stream, this);
    if (stream.pending) stream.once('open', () => this.takeOver());
    else this.takeOver();
  }

  get name(): 'native' | 'js' {
    return this.current === this.js ? 'js' : 'native';
  }

  write(level: number, bindings: string | undefined, fields: object | undefined, msg: unknown, redact: FieldRedactor | undefined, owner: Bindings): void {
    this.current.write(level, bindings, fields, msg, redact, owner);
  }

  /**
   * The native writer takes the descriptor once the stream is idle: what the stream was given
   * before is in the file, so later lines land after it. A FIFO or socket stays with the stream
   * (the writer's larger writes would not stay whole against the stream's own).
   */
  private takeOver(): void {
    this.timer = undefined;
    if (this.done || this.stream.destroyed || this.stream.writableEnded) return;
    if (!this.js.releaseStream()) {
      this.timer = backgroundTimer(RETRY_MS, () => this.takeOver());
      return;
    }
    const fd = (this.stream as { fd?: number | null }).fd;
    if (typeof fd !== 'number') return;
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile() && !stat.isCharacterDevice()) return;
      const target = { ...this.o.targets[0], destination: { kind: 'fd' as const, fd } };
      this.native = new NativeEngine(this.binding, { ...this.o, targets: [target] });
      this.current = this.native;
    } catch (e) {
      warnOnce(`file-stream:${fd}`, `a file stream stays with the JS engine: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** The stream is ending or being destroyed: the native writer writes what it holds, and no more. */
  streamEnds(): void {
    this.done = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.current !== this.native || this.native === undefined) return;
    this.native.flushSync();
    this.current = this.js;
    void this.native.close();
  }

  /** The native writer while it writes for the stream. */
  private get writing(): NativeEngine | undefined {
    return this.current === this.native ? this.native : undefined;
  }

  flush(): Promise<void> {
    return Promise.all([this.js.flush(), this.writing?.flush()]).then(() => undefined);
  }

  flushSync(): boolean {
    const js = this.js.flushSync();
    return (this.writing?.flushSync() ?? true) && js;
  }

  exit(): boolean {
    const js = this.js.exit();
    return (this.writing?.exit() ?? true) && js;
  }

  reopen(): void {
    this.js.reopen();
    this.writing?.reopen();
  }

  close(): Promise<void> {
    this.done = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    return Promise.all([this.js.close(), this.native?.close()]).then(() => undefined);
  }

  /** One target's figures: the JS engine's and the native writer's together. */
  stats(): Stats {
    const js = this.js.targetStats();
    if (this.native === undefined) return combineStats([js]);
    return combineStats([inTurn(js.destination, [js, this.native.stats()])]);
  }
}

/** `engine` is told before `stream` ends or is destroyed (its own methods wrapped once per stream). */
function watch(stream: WriteStream, engine: FileStreamEngine): void {
  let engines = writers.get(stream);
  if (engines === undefined) {
    const all = new Set<WeakRef<FileStreamEngine>>();
    writers.set(stream, (engines = all));
    const ending = () => {
      for (const ref of all) ref.deref()?.streamEnds();
      all.clear();
    };
    const { end, destroy } = stream;
    stream.end = ((...args: Parameters<WriteStream['end']>) => {
      ending();
      return end.apply(stream, args);
    }) as WriteStream['end'];
    stream.destroy = ((...args: Parameters<WriteStream['destroy']>) => {
      ending();
      return destroy.apply(stream, args);
    }) as WriteStream['destroy'];
  }
  engines.add(new WeakRef(engine));
}
