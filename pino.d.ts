/** `kakashi/pino`: pino's factory and statics over Kakashi's engines. */
import type { Destination, DestinationStream, Logger, LoggerOptions, stdSerializers, stdTimeFunctions, StreamEntry, TransportMultiOptions, TransportSingleOptions } from './index';

/** pino's options (Kakashi's options are taken too). */
export interface PinoOptions extends LoggerOptions {
  /** `{ target, options }` or `{ targets: [{ target, options, level }] }`: `pino/file` and `pino-pretty` run by Kakashi's writer, other modules in a worker. */
  transport?: TransportSingleOptions | TransportMultiOptions;
}

export interface DestinationOptions {
  /** A path, or a file descriptor (a number, or a string of digits). Default: stdout. */
  dest?: string | number;
  fd?: number;
  /** Every record written before its log call returns. Default false. */
  sync?: boolean;
  mkdir?: boolean;
  append?: boolean;
  minLength?: number;
}

/** What `pino.destination()` returns: SonicBoom's surface over a Kakashi destination. */
export interface PinoDestination extends DestinationStream {
  readonly fd: number;
  readonly file: string | undefined;
  flush(cb?: (err?: Error | null) => void): void;
  flushSync(): void;
  reopen(): void;
  end(): void;
  destroy(): void;
  on(event: 'ready' | 'finish' | 'close' | 'error' | 'drain', listener: (...args: any[]) => void): this;
  once(event: 'ready' | 'finish' | 'close' | 'error' | 'drain', listener: (...args: any[]) => void): this;
}

export interface MultiStreamRes extends DestinationStream {
  add(dest: DestinationStream | { stream: DestinationStream; level?: string | number }): MultiStreamRes;
  remove(id: number): MultiStreamRes;
  clone(level: string | number): MultiStreamRes;
  flushSync(): void;
  end(): void;
  readonly minLevel: number;
  readonly streams: { stream: DestinationStream; level: number; levelVal: number; id: number }[];
}

/** What `pino.transport()` returns: ThreadStream's surface over the logger's transports. */
export interface TransportDestination extends DestinationStream {
  readonly targets: unknown[];
  on(event: 'ready' | 'close' | (string & {}), listener: (...args: any[]) => void): this;
  once(event: 'ready' | 'close' | (string & {}), listener: (...args: any[]) => void): this;
  flushSync(): void;
  end(): void;
  ref(): this;
  unref(): this;
}

export interface Pino {
  <CustomLevels extends string = never>(
    options?: PinoOptions & { customLevels?: Record<CustomLevels, number> },
    destination?: string | Destination | PinoDestination | MultiStreamRes | TransportDestination,
  ): Logger<CustomLevels>;
  (destination: string | DestinationStream | PinoDestination | MultiStreamRes | TransportDestination): Logger;
  destination(dest?: string | number | DestinationOptions): PinoDestination;
  transport(options: NonNullable<PinoOptions['transport']>): TransportDestination;
  multistream(streams: (DestinationStream | StreamEntry)[] | DestinationStream | StreamEntry, options?: { dedupe?: boolean; levels?: Record<string, number> }): MultiStreamRes;
  readonly levels: { readonly values: Readonly<Record<string, number>>; readonly labels: Readonly<Record<number, string>> };
  readonly stdSerializers: typeof stdSerializers;
  readonly stdTimeFunctions: typeof stdTimeFunctions;
  readonly symbols: Readonly<Record<string, symbol>>;
  readonly version: string;
  readonly pino: Pino;
  readonly default: Pino;
}

declare const pino: Pino;
export default pino;
export { pino };
export declare const destination: Pino['destination'];
export declare const transport: Pino['transport'];
export declare const multistream: Pino['multistream'];
export declare const levels: Pino['levels'];
export declare const symbols: Pino['symbols'];
export declare const version: string;
export { stdSerializers, stdTimeFunctions };
