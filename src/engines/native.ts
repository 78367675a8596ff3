// The native engine: the batch encoder (capture/batch.ts) fills a batch on this thread; whole
// batches go to the Rust writer threads in one call. Formatting, escaping, number printing and
// I/O all happen there.

import type { Stats } from '../../index';
import { BatchEncoder } from '../capture/batch';
import { useSharedClock } from '../capture/clock';
import type { Resolved } from '../options';
import type { Bindings } from '../bindings';
import type { FieldRedactor } from '../redact';
import type { TimeChoice } from '../time';
import { backgroundTimer, combineStats, type Engine, handOverIn, warnOnce, withinLimit } from './engine';
import type { NativeBinding, NativeProducer } from './native-binding';
import { type PinoConfig, TransportWorker } from '../sinks/transport';

export class NativeEngine implements Engine {
  readonly name = 'native';
  private readonly producer: NativeProducer;
  private readonly encoder: BatchEncoder;
  private readonly destinations: string[];
  /** Which targets are network targets (their stats add spilled and retries). */
  private readonly network: boolean[];
  private readonly flushInterval: number;
  /** performance.now() of the last batch handed over (handOverIn). */
  private handedAt = -Infinity;
  private readonly exitTimeout: number;
  private readonly transports: TransportWorker[];
  private timer: NodeJS.Timeout | undefined;

  private enqueued = 0;
  private droppedHere = 0;
  private closed = false;
  private closing: Promise<void> | undefined;
  /** Set at exit: each record is written before its call returns. */
  private writeThrough = false;

  constructor(binding: NativeBinding, o: Resolved) {
    this.producer = new binding.NativeProducer({
      targets: o.targets.map(({ destination: d, format, colour, minLevel, belowLevel }) => ({
        kind: d.kind,
        fd: d.kind === 'fd' ? d.fd : undefined,
        path: d.kind === 'path' ? d.path : undefined,
        mkdir: d.kind === 'path' ? d.mkdir : undefined,
        append: d.kind === 'path' ? d.append : undefined,
        rotate: d.kind === 'path' ? d.rotate : undefined,
        otlp: d.kind === 'otlp' ? d.otlp : undefined,
        syslog: d.kind === 'syslog' ? d.syslog : undefined,
        transport: d.kind === 'transport' ? d.transport : undefined,
        // Unless onFull says otherwise, a full buffer waits while the receiver takes requests and
        // drops (counted) while it is away: an absent receiver never stops the service.
        blockWhileUp: !o.onFullGiven && (d.kind === 'otlp' || d.kind === 'syslog' || d.kind === 'transport'),
        format,
        colour,
        minLevel: Math.min(minLevel, 0xffffffff), // 'silent' is Infinity: above every level
        belowLevel: Math.min(belowLevel, 0xffffffff),
      })),
      bufferSize: o.bufferSize,
      dropWhenFull: o.dropWhenFull,
      messageKey: o.messageKey,
      levelKey: o.levelKey,
      levels: o.levelSpecs,
      timeFormat: timeFormat(o.time),
      crlf: o.crlf,
    });
    this.destinations = o.targets.map((t) => t.destinationText);
    this.network = o.targets.map((t) => t.destination.kind === 'otlp' || t.destination.kind === 'syslog' || t.destination.kind === 'transport');
    // Started after the producer, whose shipper waits for each worker to attach.
    const config: PinoConfig = { levels: { values: { ...o.levels.view.values }, labels: { ...o.levels.view.labels } }, messageKey: o.messageKey, errorKey: o.errorKey };
    try {
      this.transports = o.targets.flatMap((t) => (t.destination.kind === 'transport' ? [new TransportWorker(binding, t.destination.transport, config)] : []));
    } catch (e) {
      // Options a worker cannot be given (a function, a socket): said at construction, nothing left open.
      this.producer.close(0);
      throw new Error(`kakashi: the transport worker could not start: ${e instanceof Error ? e.message : String(e)}`);
    }
    const clock = o.time !== 'none' && typeof o.time !== 'function';
    if (clock) useSharedClock(binding);
    const timeFn = typeof o.time === 'function' ? o.time : undefined;
    this.encoder = new BatchEncoder({ clock, timeFn, dialect: o.dialect, messageKey: o.messageKey, nestedKey: o.nestedKey }, () => this.submit());
    this.flushInterval = o.flushInterval;
    this.exitTimeout = o.exitTimeout;
  }

  write(level: number, bindings: string | undefined, fields: object | undefined, msg: unknown, redact: FieldRedactor | undefined, owner: Bindings): void {
    this.enqueued++;
    if (this.closed) {
      this.droppedHere++;
      return;
    }
    this.encoder.add(level, bindings, fields, msg, redact, owner);
    if (this.encoder.records > 0 && this.timer === undefined) this.schedule();
    if (this.writeThrough) this.flushSync();
  }

  private schedule(): void {
    this.timer = backgroundTimer(handOverIn(this.handedAt, this.flushInterval), () => {
      this.timer = undefined;
      this.submit();
    });
  }

  /** Hands the current batch to the writer thread. */
  submit(): void {
    if (this.encoder.records === 0) return;
    this.handedAt = performance.now();
    const { text, chars, nChars, ops, at, nums, nNums, records } = this.encoder.take();
    try {
      this.producer.submit(text, text.length, chars, nChars, ops, at, nums, nNums, records);
    } catch (e) {
      this.refused(records, e);
    }
  }

  /** A batch the binding could not take: never lost quietly — counted, marked in the output, warned about once. */
  private refused(records: number, e: unknown): void {
    try {
      this.producer.lose(records);
    } catch {
      // The writer is gone (closed under us): the records are counted here.
      this.droppedHere += records;
    }
    warnOnce(`refused:${this.destinations.join(',')}`, `a batch of ${records} records could not be handed to the writer (${e instanceof Error ? e.message : String(e)}); they are counted in getStats().dropped`);
  }

  ready(): Promise<boolean> {
    return Promise.all(this.transports.map((t) => t.ready)).then((built) => built.every(Boolean));
  }

  flush(): Promise<void> {
    this.submit();
    return withinLimit(this.producer.flush(), this.exitTimeout);
  }

  /** Writes what is pending before returning, waiting at most exitTimeout for a destination that takes no writes. */
  flushSync(): boolean {
    this.submit();
    return this.producer.flushSync(this.exitTimeout);
  }

  /**
   * The process is exiting: what is pending is written, and every later record before its call
   * returns; a logger with pino transports is closed instead, so that each transport ends its
   * stream and sends its last batch (later records are counted as dropped).
   */
  exit(): boolean {
    this.writeThrough = true;
    this.producer.waitAtMost(this.exitTimeout);
    const done = this.flushSync();
    if (this.transports.length > 0) this.closeNow();
    return done;
  }

  /** Closes the producer now: its writers drain, and its transports close, within exitTimeout. */
  private closeNow(): void {
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    for (const t of this.transports) t.stop();
    this.producer.close(this.exitTimeout);
  }

  reopen(): void {
    this.submit();
    this.producer.reopen();
  }

  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
    this.submit();
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.flush();
    this.closeNow();
  }

  stats(): Stats {
    const targets = this.producer.stats().map((s, i) => {
      const dropped = s.dropped + this.droppedHere;
      return {
        destination: this.destinations[i],
        enqueued: this.enqueued,
        written: s.written,
        dropped,
        filtered: s.filtered,
        queued: Math.max(0, this.enqueued - s.written - dropped - s.filtered),
        bytesWritten: s.bytesWritten,
        errors: s.errors,
        ...(this.network[i] ? { spilled: s.spilled, retries: s.retries } : {}),
      };
    });
    return combineStats(targets);
  }


}

/** The writer's JSON form of `time` for a standard choice. */
function timeFormat(time: TimeChoice): 'epoch' | 'unix' | 'iso' {
  return time === 'unix' || time === 'iso' ? time : 'epoch';
}
