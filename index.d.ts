/** Kakashi: a structured logger whose hot path stays cheap on the JavaScript thread. */

import type { DestinationOptions, MultiStreamRes as PinoMultiStreamRes, Pino, PinoDestination, PinoOptions, TransportDestination } from './pino';

/**
 * The module is pino's factory — an application that maps `pino` to Kakashi with npm `overrides`
 * gets Kakashi wherever pino is required — with Kakashi's own API, and pino's statics and type
 * names, on it: a function and a namespace of one name, as pino's types are laid out, so that
 * `import pino from 'pino'` is callable and `pino.Logger` a type under every module setting.
 */
declare function kakashi<CustomLevels extends string = never>(
  options?: PinoOptions & { customLevels?: Record<CustomLevels, number> },
  destination?: string | kakashi.Destination | PinoDestination | PinoMultiStreamRes | TransportDestination,
): kakashi.Logger<CustomLevels>;
declare function kakashi(destination: string | kakashi.DestinationStream | PinoDestination | PinoMultiStreamRes | TransportDestination): kakashi.Logger;
declare function kakashi(optionsOrStream?: PinoOptions | kakashi.DestinationStream): kakashi.Logger;

declare namespace kakashi {
  export type LevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  /** A level name, `silent`, one of Kakashi's aliases (`warning` = warn, `critical` = fatal), a
   *  custom level's name, or a level's number. */
  export type Level = LevelName | 'silent' | 'warning' | 'critical' | (string & {}) | number;

  /** A JavaScript stream: each record's line is handed to `write`, on the JS thread, as pino does. */
  export interface DestinationStream {
    write(line: string): unknown;
  }

  export type Destination =
    | 'stdout'
    | 'stderr'
    /** A file path, opened for appending. */
    | string
    /** A file descriptor the caller owns; it is never closed by the logger. */
    | number
    /**
     * A stream, written line by line on the JS thread (the JS engine); a file stream
     * (`fs.createWriteStream()`) alone is written by the native writer once its file is open.
     */
    | DestinationStream
    /** A descriptor; with `sync`, each record is written before its log call returns (the JS engine). */
    | { fd: number; sync?: boolean }
    | {
        path: string;
        /** Each record is written before its log call returns (the JS engine, as
         *  `pino.destination({ sync: true })`). Default false: the writer thread writes it. */
        sync?: boolean;
        /** Create missing parent directories. Default false. */
        mkdir?: boolean;
        /** Append (default) or truncate an existing file. */
        append?: boolean;
        /** Rotation, done by the writer between whole lines: when the file would pass `size`
         *  (bytes, or `'50MB'`: K, M, G are powers of 1024), when the UTC hour or day changes
         *  (`interval`), or both. Rotated files are named `<path>.<UTC time>` (e.g.
         *  `app.log.2026-11-25T17-30-01-123Z`; names sort in rotation order), gzipped off the JS thread with `compress`, and the
         *  oldest deleted past `keep` (default 10). */
        rotate?: { size?: number | string; interval?: 'hourly' | 'daily'; keep?: number; compress?: boolean };
      }
    /** An OpenTelemetry receiver (a Collector, Loki, VictoriaLogs, …) over OTLP/HTTP protobuf,
     *  sent to by the native engine's shipper thread: the URL, or its options. */
    | { otlp: string | OtlpOptions }
    /** A syslog receiver (rsyslog, syslog-ng, …), sent to by the native engine's shipper thread:
     *  `{ syslog: 'relp://127.0.0.1:2514', appName: 'checkout' }` or `{ syslog: { url, … } }`. */
    | ({ syslog: string } & Omit<SyslogOptions, 'url'>)
    | { syslog: SyslogOptions }
    /** A pino transport module (pino-roll, pino-loki, pino-socket, your own), run in a worker thread
     *  of its own and fed the lines the native writer formatted, with pino's PINO_CONFIG handshake.
     *  `transport` is resolved as the application would require it, or an absolute path. */
    | { transport: string; options?: unknown; batchSize?: number; flushInterval?: number; timeout?: number };

  /** Batching, waiting and the disk spill of a network target. */
  export interface ShippingOptions {
    /** Records per request (RELP, TCP: per write): default 512 for OTLP, 256 for syslog. */
    batchSize?: number;
    /** How long a partial request waits for more records, in ms: default 200. */
    flushInterval?: number;
    /** The longest wait for a connection, a write or an answer, in ms: default 10000. */
    timeout?: number;
    /** While the receiver is away, requests wait in segment files here, sent in order once it is
     *  back (by this process or the next one to use the folder). Default: a folder per URL under
     *  the OS's temporary folder, capped at 256 MB, each segment fsynced; `false`: memory only. */
    spill?: false | { dir?: string; maxSize?: number | string; fsync?: boolean };
  }

  export interface SyslogOptions extends ShippingOptions {
    /** `tcp://host:port` (RFC 6587 octet counting; default port 514), `tls://host:port` (RFC 5425,
     *  6514), `udp://host:port` (RFC 5426, 514) or `relp://host:port` (acknowledged; 2514). */
    url: string;
    /** RFC 5424 APP-NAME: default the logger's `name`, else `node`. */
    appName?: string;
    /** A facility's name (`user`, `daemon`, `local0` … `local7`, …) or number: default `user`. */
    facility?: string | number;
    /** RFC 5424 HOSTNAME: default `os.hostname()`. */
    hostname?: string;
    /** For tls://: the certificates to trust (PEM) instead of Mozilla's roots. */
    tls?: { ca: string | Uint8Array };
    /** UDP: a longer message is cut to this many bytes and marked `[kakashi: truncated]`. Default 8192. */
    maxDatagram?: number;
  }

  export interface OtlpOptions extends ShippingOptions {
    /** `http://host:4318/v1/logs`, or `https://…`. */
    url: string;
    /** For https: the certificates to trust (PEM) instead of Mozilla's roots, which are compiled in. */
    tls?: { ca: string | Uint8Array };
    /** Sent with every request (e.g. an API key). */
    headers?: Record<string, string>;
    /** Resource attributes; they win over what the logger's `name` (`service.name`) and `base`
     *  (`host.name`, `process.pid`) give. */
    resource?: Record<string, unknown>;
    /** OTLP/HTTP's encoding: default `'protobuf'`; `'json'` for receivers that take only JSON. */
    protocol?: 'protobuf' | 'json';
    /** Default `'none'`. */
    compression?: 'gzip' | 'none';
  }

  export interface Target {
    destination: Destination;
    /** @internal Records at or above this level are not written here (pino.multistream's dedupe). */
    belowLevel?: number;
    /** Default: the logger's `format`. */
    format?: 'json' | 'logfmt' | 'pretty';
    /** Records below this level are not written here. Default: every record the logger logs. */
    level?: Level;
    /** Default: the logger's `colors`. */
    colors?: boolean;
  }

  export interface LoggerOptions {
    /** Adds `"name"` to every record. */
    name?: string;
    /** A level's name or number. Default: env `KAKASHI_LEVEL`, else `'info'`. */
    level?: Level;
    /** `false`: the logger starts at `silent` (pino's `enabled`). */
    enabled?: boolean;
    /** Levels added to the standard six, as pino's: `{ audit: 35 }` gives `logger.audit()`. */
    customLevels?: Record<string, number>;
    /** Only `customLevels`, without the standard six. */
    useOnlyCustomLevels?: boolean;
    /** `'ASC'` (default: a record is written when its level ≥ the logger's), `'DESC'`, or a
     *  function `(level, threshold) => boolean`. */
    levelComparison?: 'ASC' | 'DESC' | ((level: number, threshold: number) => boolean);
    /** Default `'stdout'`. Leave out when giving `targets`. */
    destination?: Destination;
    /** Several destinations, each with its own format and level: each record goes to every
     *  target whose level it meets. The JS thread captures a record once whatever the number of
     *  targets; each target's writer formats it. The logger's level defaults to the lowest
     *  target level. */
    targets?: Target[];
    /** Default: env `KAKASHI_ENGINE`, else `'auto'` (native when the addon loads, else js). */
    engine?: 'auto' | 'native' | 'js';
    /** Default `{ pid, hostname }`; `null` omits both. */
    base?: Record<string, unknown> | null;
    /** `true` or `'epoch'` (default): `"time"` in epoch ms; `'unix'`: in seconds; `'iso'`: an ISO
     *  8601 string (UTC); `false`: no time. The JS thread only reads the clock: the writer formats
     *  it. Also pino's form: a function returning members such as `,"time":…` — the
     *  `stdTimeFunctions` are recognised and written by the writer; any other is called per record. */
    timestamp?: boolean | 'epoch' | 'unix' | 'iso' | (() => string);
    /** Lines end with `\r\n` (pino's `crlf`). */
    crlf?: boolean;
    /** The record's fields are written under this key: `{"level":30,…,"payload":{…},"msg":"…"}`. */
    nestedKey?: string | null;
    /** pino's hooks: `logMethod(args, method, level)` wraps every enabled log call (call
     *  `method.apply(this, args)` to log); `streamWrite(line)` rewrites each line (the line is then
     *  built on the JS thread: the JS engine). */
    hooks?: {
      logMethod?: (this: Logger, args: unknown[], method: (...args: unknown[]) => void, level: number) => void;
      streamWrite?: (line: string) => string;
    };
    /** Called with every child logger made from this one or its children. */
    onChild?: (child: Logger) => void;
    /** Where JSON.stringify cannot cope (circular references): objects deeper than this are
     *  written "[Object]"/"[Array]". Default 100 (pino's: 5). */
    depthLimit?: number;
    /** Where JSON.stringify cannot cope: members past this many are summarised. Default: no limit (pino's: 100). */
    edgeLimit?: number;
    /** How the mixin's object and the record's fields merge: `(mergeObject, mixinObject) => object`. */
    mixinMergeStrategy?: (mergeObject: object, mixinObject: object) => object;
    /** `'json'` (default; NDJSON with pino's keys), `'logfmt'` (`level=info time=… msg="…" k=v`) or
     *  `'pretty'` (`HH:MM:ss.SSS LEVEL name: message k=v`, UTC). Default: env `KAKASHI_FORMAT`,
     *  else `'json'`. Formatted on the writer thread; control characters are always escaped. */
    format?: 'json' | 'logfmt' | 'pretty';
    /** Pretty format's colours. Default: on when the destination is a terminal and `NO_COLOR` is unset. */
    colors?: boolean;
    /** The key of the level. Default `'level'`. */
    levelKey?: string;
    /** Write the level as its name (`"level":"info"`) rather than pino's number. Default false. */
    levelLabels?: boolean;
    /** pino's formatters. `level(label, number)` returns the object written in place of the level
     *  (called once per level, at creation: free on the hot path); `bindings(bindings)` reshapes
     *  base and child bindings (once per child); `log(fields)` reshapes each record's fields (a
     *  JavaScript call per record). JSON format only for `level`. */
    formatters?: {
      level?: (label: string, number: number) => object;
      bindings?: (bindings: Bindings) => object;
      log?: (fields: Record<string, any>) => object;
    };
    /** Fields added to every record, computed per record (`(fields, level, logger) => object`);
     *  the record's own fields win over them, as pino's default merge. A JavaScript call per record. */
    mixin?: (fields: object, level: number, logger: Logger) => object;
    /** Records logged inside an active OpenTelemetry span carry its `trace_id`, `span_id` and
     *  `trace_flags` (as instrumentation-pino writes them; an OTLP destination sends them as the
     *  record's own ids); the record's own fields win. Default: on when `@opentelemetry/api` is
     *  installed; `true` fails at construction when it is not. */
    traceContext?: boolean;
    /** Bytes of records a logger tree may have waiting for its destination before `onFull`
     *  applies. Default 4 MiB; at least 4096. */
    bufferSize?: number;
    /** Milliseconds within which a record reaches the destination once logging stops. Default 25. */
    flushInterval?: number;
    /** The longest (ms) `flushSync()`, `fatal()`, `flush()` and the flush at exit wait for a
     *  destination that takes no writes (a pipe nobody reads); what is still waiting then is
     *  reported on stderr at exit. Default 2000. */
    exitTimeout?: number;
    /** What a log call does when `bufferSize` is reached: `'block'` (default) waits for the
     *  writer and never loses a record; `'drop'` never waits, and counts what it drops. Unless this
     *  is given, network targets (OTLP, syslog, transports) wait while their receiver takes
     *  requests and drop while it is away: an absent receiver never stops the service. */
    onFull?: 'block' | 'drop';
    /** Paths whose values are replaced by `"[Redacted]"` (or `censor`, or removed) in fields,
     *  nested objects and bindings: `'password'`, `'req.headers.authorization'`, `'*.token'`,
     *  `'user.cards[*].number'`, `'["key.with.dots"]'`. The caller's objects are never changed. */
    redact?: string[] | RedactOptions;
    /** A function per field name, applied to that field (and binding) before it is logged, as
     *  pino's: e.g. `{ req: stdSerializers.req, err: stdSerializers.err }`; `null` removes one. */
    serializers?: Record<string, ((value: any) => unknown) | null | undefined>;
    /** Prepended to every message of this logger and its children. */
    msgPrefix?: string;
    /** The key of the message in each record. Default `'msg'`. */
    messageKey?: string;
    /** The key an Error logged on its own (`log.error(err)`) goes under. Default `'err'`. */
    errorKey?: string;
    /** pino's `transport` option: taken by `kakashi/pino` (and this module's default export, pino's
     *  factory); `createLogger` refuses it (its own form is `destination: { transport }`). */
    transport?: TransportSingleOptions | TransportMultiOptions;
    /** pino's options for its browser build: ignored here (Kakashi is for Node), as pino ignores them in Node. */
    browser?: Record<string, any>;
    /** pino's legacy options: ignored, as pino ignores them. */
    safe?: boolean;
    levelVal?: number;
  }

  /** A child's bindings, and what `bindings()` gives back: any object (pino's Bindings). */
  export type Bindings = Record<string, any>;

  /** `redact: { paths, censor, remove }`: `censor` a value, or pino's `(value, path) => replacement`. */
  export interface RedactOptions {
    paths: string[];
    censor?: string | number | boolean | null | Record<string, unknown> | ((value: any, path: string[]) => any);
    remove?: boolean;
  }

  /** Other keys (Fastify and pino-http pass their own) are ignored. */
  export interface ChildOptions {
    /** A falsy level keeps the parent's (pino's rule; Fastify passes `''`). */
    level?: Level | '' | null;
    /** Added to (and overriding) the parent's serializers; `null` removes one. */
    serializers?: Record<string, ((value: any) => unknown) | null | undefined>;
    /** Appended to the parent's prefix. */
    msgPrefix?: string;
    /** Replaces the parent's redaction for this child's records and bindings. */
    redact?: string[] | RedactOptions;
    /** Levels only this child (and its children) have. */
    customLevels?: Record<string, number>;
    /** `bindings` reshapes this child's bindings; `log` replaces the parent's. */
    formatters?: { bindings?: (bindings: Bindings) => object; log?: (fields: Record<string, any>) => object };
  }

  /**
   * A log method. Call forms:
   * - `log(fields, msg?, ...args)`, pino's order;
   * - `log(msg, ...args)` with printf tokens `%s %d %i %f %j %o %O %%`;
   * - `log(msg, fields)`: a message without tokens followed by one plain object takes it as fields;
   * - `log(err, msg?)`: an Error is logged under `err`, and the message defaults to its message.
   * A field whose value is a function is called only when the level is enabled (lazy field).
   */
  export interface LogFn {
    /** (`T` checks the fields against a shape of the caller's, as pino's generic does.) */
    <T extends object>(fields: T, msg?: string, ...args: unknown[]): void;
    (fields: object, msg?: string, ...args: unknown[]): void;
    (msg: string, ...args: unknown[]): void;
    (value: unknown, ...args: unknown[]): void;
  }

  export interface Stats {
    /** Records accepted by log calls (including those later dropped). */
    enqueued: number;
    /** Records handed to the operating system. */
    written: number;
    /** Records lost: dropped under `onFull: 'drop'`, failed writes, calls after `close()`. */
    dropped: number;
    /** Records below a target's level, left out there. */
    filtered: number;
    /** Records accepted but not yet written: `enqueued - written - dropped - filtered`. */
    queued: number;
    bytesWritten: number;
    /** Failed writes (each warned about once per destination on stderr). */
    errors: number;
    /** Network targets: records that went to the disk spill while the receiver was away. */
    spilled?: number;
    /** Network targets: sends that failed and were tried again. */
    retries?: number;
    /** With several targets: each target's own figures. The fields above are then their sums (a
     *  record counts once per target), so `enqueued = written + dropped + filtered + queued` holds
     *  at both levels. */
    targets?: TargetStats[];
  }

  /** One target's figures, as `Stats` has them for the logger. */
  export interface TargetStats extends Omit<Stats, 'targets'> {
    /** The destination as given. */
    destination: string;
  }

  /** A logger; `Logger<'audit'>` has the method of the custom level `audit` too. */
  /** (The second parameter is pino's `UseOnlyCustomLevels`, taken so that pino's annotations compile.) */
  export type Logger<CustomLevels extends string = never, UseOnlyCustomLevels extends boolean = boolean> = LoggerMembers<CustomLevels> & Record<CustomLevels, LogFn>;

  /**
   * pino's BaseLogger: the level and the standard level methods, what Fastify and other
   * libraries ask of any logger they are given. (The parameter is unused: for code that gives one.)
   */
  export interface BaseLogger<CustomLevels extends string = never> {
    /** The current level's name; assign a name or number to change it at runtime (this logger only). */
    get level(): LevelName | 'silent' | (string & {});
    set level(level: Level);
    fatal: LogFn;
    error: LogFn;
    warn: LogFn;
    info: LogFn;
    debug: LogFn;
    trace: LogFn;
    /** Logs nothing, as pino's `silent()`. */
    silent: LogFn;
  }

  /** A Kakashi logger's members (pino's logger's and Kakashi's own), beside its custom levels' methods. */
  export interface LoggerMembers<CustomLevels extends string = never> extends BaseLogger<CustomLevels> {
    readonly msgPrefix: string | undefined;
    /** The `onChild` option (called with each new child), or a no-op, as pino's. */
    onChild: (child: Logger) => void;
    readonly levelVal: number;
    readonly engine: 'native' | 'js';
    /** False for a level this logger does not know. */
    isLevelEnabled(level: Level): boolean;
    /** A logger whose records all carry `bindings` (serialized once, here). */
    child<ChildCustomLevels extends string = never>(bindings: Bindings, options?: ChildOptions & { customLevels?: Record<ChildCustomLevels, number> }): Logger<CustomLevels | ChildCustomLevels>;
    /** `{ values: { info: 30, ... }, labels: { 30: 'info', ... } }`, as pino exposes them
     *  (custom levels included; `values.silent` non-enumerable). */
    readonly levels: { readonly values: Readonly<Record<string, number>>; readonly labels: Readonly<Record<number, string>> };
    /** The bindings this logger adds, as pino's: base and name (without pid and hostname), then every child's. */
    bindings(): Bindings;
    /** Resolves when every record logged before it has been handed to the OS (and calls `cb`, as pino's). */
    flush(cb?: (err?: Error) => void): Promise<void>;
    /** Returns when every record logged before it has been handed to the OS. */
    flushSync(): void;
    /** Writes what is pending, then opens a file destination's path again: call it after
     *  logrotate has moved the file (e.g. on SIGHUP). A no-op for descriptors, stdout, stderr. */
    reopen(): void;
    /** Flushes, then releases the destination; later calls are dropped and counted. */
    close(): Promise<void>;
    getStats(): Stats;
    /** Adds bindings to this logger (pino's setBindings: a key bound again appears twice, the later wins). */
    setBindings(bindings: Bindings): void;
    /** This package's version. */
    readonly version: string;
    /**
     * `'level-change'`: `(level, value, previousLevel, previousValue, logger)` when `level` is set.
     * A logger is an EventEmitter, as pino's: every method of one, on its own listeners.
     */
    on(event: 'level-change', listener: (level: string, value: number, previousLevel: string, previousValue: number, logger: Logger) => void): this;
    on(event: string | symbol, listener: (...args: any[]) => void): this;
    once(event: 'level-change', listener: (level: string, value: number, previousLevel: string, previousValue: number, logger: Logger) => void): this;
    once(event: string | symbol, listener: (...args: any[]) => void): this;
    off(event: 'level-change', listener: (level: string, value: number, previousLevel: string, previousValue: number, logger: Logger) => void): this;
    off(event: string | symbol, listener: (...args: any[]) => void): this;
    addListener(event: string | symbol, listener: (...args: any[]) => void): this;
    prependListener(event: string | symbol, listener: (...args: any[]) => void): this;
    prependOnceListener(event: string | symbol, listener: (...args: any[]) => void): this;
    removeListener(event: string | symbol, listener: (...args: any[]) => void): this;
    removeAllListeners(event?: string | symbol): this;
    setMaxListeners(n: number): this;
    getMaxListeners(): number;
    emit(event: string | symbol, ...args: any[]): boolean;
    listeners(event: string | symbol): Function[];
    rawListeners(event: string | symbol): Function[];
    listenerCount(event: string | symbol): number;
    eventNames(): (string | symbol)[];
  }

  export function createLogger<CustomLevels extends string = never>(options?: LoggerOptions & { customLevels?: Record<CustomLevels, number> }): Logger<CustomLevels>;

  /**
   * Kakashi's presets: configures the process's root logger and returns it. `production`: json,
   * info, stdout; `development`: pretty, debug, stdout; `testing`: json, debug, `test_logs/app.log`;
   * `high_throughput`: json, info, stdout, 32 MiB buffer, 100 ms flush interval. Environment
   * variables `KAKASHI_LEVEL`, `KAKASHI_FORMAT`, `KAKASHI_ENGINE` win over the preset; `overrides`
   * win over both. Loggers getLogger() gave out before (root and named) take the new configuration.
   */
  export function setup(preset: 'production' | 'development' | 'testing' | 'high_throughput', overrides?: LoggerOptions): Logger;
  /** The root logger (set up as `production` on first use), or a child of it with `name` bound; the
   *  same instance for the same name. */
  export function getLogger(name?: string): Logger;

  /** This package's version. */
  export const version: string;

  /** What `stdSerializers.err` makes of an Error (pino's SerializedError). */
  export interface SerializedError {
    type: string;
    message: string;
    stack: string;
    raw?: Error;
    [key: string]: any;
  }

  /** What `stdSerializers.req` makes of a request (pino's SerializedRequest). */
  export interface SerializedRequest {
    id?: string | number | object;
    method: string;
    url: string;
    query?: Record<string, string>;
    params?: Record<string, string>;
    headers: Record<string, string>;
    remoteAddress: string;
    remotePort: number;
    raw?: unknown;
    [key: string]: any;
  }

  /** What `stdSerializers.res` makes of a response (pino's SerializedResponse). */
  export interface SerializedResponse {
    statusCode: number;
    headers: Record<string, string>;
    raw?: unknown;
    [key: string]: any;
  }

  /** pino's standard serializers (the pino-std-serializers package). */
  export const stdSerializers: {
    /** `{ id, method, url, query, params, headers, remoteAddress, remotePort }` of a request. */
    req(req: any): SerializedRequest;
    /** `{ statusCode, headers }` of a response. */
    res(res: any): SerializedResponse;
    /** `{ type, message, stack, ...enumerable properties }`, causes folded into message and stack. */
    err(err: Error): SerializedError;
    /** `{ type, message, stack, ...enumerable properties, cause }`, causes nested. */
    errWithCause(err: Error): SerializedError;
    mapHttpRequest(req: any): { req: SerializedRequest };
    mapHttpResponse(res: any): { res: SerializedResponse };
    wrapRequestSerializer(custom: (req: SerializedRequest) => Record<string, any>): (req: any) => Record<string, any>;
    wrapResponseSerializer(custom: (res: SerializedResponse) => Record<string, any>): (res: any) => Record<string, any>;
    wrapErrorSerializer(custom: (err: SerializedError) => Record<string, any>): (err: Error) => Record<string, any>;
  };

  export const levels: {
    readonly values: Readonly<Record<LevelName, number>>;
    readonly labels: Readonly<Record<number, LevelName>>;
  };

  /** pino's time functions: `timestamp: stdTimeFunctions.isoTime`. The first four are written by the writer thread. */
  export const stdTimeFunctions: {
    nullTime(): string;
    epochTime(): string;
    unixTime(): string;
    isoTime(): string;
    isoTimeNano(): string;
  };

  /** Runs `fn` so that every record logged inside it — across await, timers and promise chains —
   *  carries `fields` (added to any context already in force). */
  export function withContext<T>(fields: Record<string, unknown>, fn: () => T): T;
  /** From here on, this async execution and what it starts carry `fields` (for code that cannot wrap). */
  export function setCustomContext(fields: Record<string, unknown>): void;
  /** Kakashi's name for request fields: `setRequestContext({ reqId, ip, method })`. */
  export function setRequestContext(fields: Record<string, unknown>): void;
  /** Kakashi's name for user fields: `setUserContext({ userId })`. */
  export function setUserContext(fields: Record<string, unknown>): void;
  /** Ends the context set by the set*Context calls for this async execution. */
  export function clearRequestContext(): void;
  /** The current context's fields. */
  export function getContext(): Record<string, unknown>;


  /** pino's type names, for code written against pino's types (an application mapping `pino` to Kakashi). */
  export type LevelWithSilent = LevelName | 'silent';
  export type LevelOrString = LevelName | (string & {});
  export type LevelWithSilentOrString = LevelWithSilent | (string & {});
  export type ChildLoggerOptions = ChildOptions;
  export type SerializerFn = (value: any) => any;
  export interface LevelMapping {
    values: Record<string, number>;
    labels: Record<number, string>;
  }
  export interface StreamEntry<TLevel = LevelWithSilentOrString> {
    stream: DestinationStream;
    level?: TLevel;
    levelVal?: number;
  }
  export interface TransportSingleOptions {
    target: string;
    options?: Record<string, any>;
  }
  export interface TransportTargetOptions extends TransportSingleOptions {
    level?: LevelWithSilentOrString;
  }
  export interface TransportMultiOptions {
    targets: readonly TransportTargetOptions[];
    levels?: Record<string, number>;
    dedupe?: boolean;
  }
  /** (The parameter is pino's level type for the streams, taken so that pino's annotations compile.) */
  export type MultiStreamRes<TOriginLevel = string> = PinoMultiStreamRes;
  export type LevelChangeEventListener = (level: string, value: number, previousLevel: string, previousValue: number, logger: Logger) => void;
  export type DestinationStreamWithMetadata = DestinationStream & { lastLevel?: number; lastTime?: string; lastMsg?: string; lastObj?: object; lastLogger?: Logger };
  export type LoggerExtras<CustomLevels extends string = never> = LoggerMembers<CustomLevels>;
  export type LogDescriptor = Record<string, any>;
  export type WriteFn = (o: object) => void;

  /** pino's statics. */
  export const destination: (dest?: string | number | DestinationOptions) => PinoDestination;
  export const transport: Pino['transport'];
  export const multistream: Pino['multistream'];
  export const symbols: Pino['symbols'];
  export { kakashi as default, kakashi as pino };
}

export = kakashi;
