/** `kakashi/pino`: pino's factory and statics over Kakashi's engines. */
import kakashi = require('./index');

type Destination = kakashi.Destination;
type DestinationStream = kakashi.DestinationStream;
type Logger<CustomLevels extends string = never> = kakashi.Logger<CustomLevels>;

/**
 * pino's factory, with its statics and type names on it: a function and a namespace of one name,
 * as pino's types are laid out, so that `import pino from 'kakashi/pino'` is callable and
 * `pino.Logger` a type under every module setting.
 */
declare function pino<CustomLevels extends string = never>(
  options?: pino.PinoOptions & { customLevels?: Record<CustomLevels, number> },
  destination?: string | Destination | pino.PinoDestination | pino.MultiStreamRes | pino.TransportDestination,
): Logger<CustomLevels>;
declare function pino(destination: string | DestinationStream | pino.PinoDestination | pino.MultiStreamRes | pino.TransportDestination): Logger;
declare function pino(optionsOrStream?: pino.PinoOptions | DestinationStream): Logger;

declare namespace pino {
  /** pino's options (Kakashi's options are taken too). */
  export interface PinoOptions extends kakashi.LoggerOptions {
    /** `{ target, options }` or `{ targets: [{ target, options, level }] }`: `pino/file` and `pino-pretty` run by Kakashi's writer, other modules in a worker. */
    transport?: kakashi.TransportSingleOptions | kakashi.TransportMultiOptions;
  }

  export interface DestinationOptions {
    /** A path, or a descriptor (a number, or a string of digits). Default: stdout (fd 1). */
    dest?: string | number;
    /** SonicBoom's name for a descriptor. */
    fd?: number;
    /** Every record written before its log call returns (the JS engine). Default false. */
    sync?: boolean;
    /** Create the file's folder. Default false. */
    mkdir?: boolean;
    /** Append (default) or truncate. */
    append?: boolean;
    /** Accepted for compatibility: the writer batches by time and size on its own. */
    minLength?: number;
    maxLength?: number;
    maxWrite?: number;
    periodicFlush?: number;
    fsync?: boolean;
    mode?: number;
    contentMode?: 'utf8' | 'buffer';
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
    /** (`TransportOptions` types a single target's `options`, as pino's generic does.) */
    transport<TransportOptions = Record<string, any>>(options: { target: string; options?: TransportOptions } | NonNullable<PinoOptions['transport']>): TransportDestination;
    multistream(streams: (DestinationStream | StreamEntry)[] | DestinationStream | StreamEntry, options?: { dedupe?: boolean; levels?: Record<string, number> }): MultiStreamRes;
    readonly levels: { readonly values: Readonly<Record<string, number>>; readonly labels: Readonly<Record<number, string>> };
    readonly stdSerializers: typeof stdSerializers;
    readonly stdTimeFunctions: typeof stdTimeFunctions;
    readonly symbols: Readonly<Record<string, symbol>>;
    readonly version: string;
    readonly pino: Pino;
    readonly default: Pino;
  }

  export const destination: Pino['destination'];
  export const transport: Pino['transport'];
  export const multistream: Pino['multistream'];
  export const levels: Pino['levels'];
  export const symbols: Pino['symbols'];
  export const version: string;
  export const stdSerializers: typeof kakashi.stdSerializers;
  export const stdTimeFunctions: typeof kakashi.stdTimeFunctions;
  /** pino's type names. */
  export type Logger<CustomLevels extends string = never, UseOnlyCustomLevels extends boolean = boolean> = kakashi.Logger<CustomLevels, UseOnlyCustomLevels>;
  export type LoggerOptions = PinoOptions;
  export type DestinationStream = kakashi.DestinationStream;
  export type Bindings = kakashi.Bindings;
  export type LevelWithSilent = kakashi.LevelWithSilent;
  export type LevelWithSilentOrString = kakashi.LevelWithSilentOrString;
  export type ChildLoggerOptions = kakashi.ChildLoggerOptions;
  export type SerializedError = kakashi.SerializedError;
  export type StreamEntry<TLevel = kakashi.LevelWithSilentOrString> = kakashi.StreamEntry<TLevel>;
  export { pino as default, pino };
}

export = pino;
