/** Kakashi: a structured logger whose hot path stays cheap on the JavaScript thread. */

export type LevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
/** A level name, `silent`, or one of Kakashi's aliases (`warning` = warn, `critical` = fatal). */
export type Level = LevelName | 'silent' | 'warning' | 'critical';

export type Destination =
  | 'stdout'
  | 'stderr'
  /** A file path, opened for appending. */
  | string
  /** A file descriptor the caller owns; it is never closed by the logger. */
  | number
  | {
      path: string;
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
    };

export interface Target {
  destination: Destination;
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
  /** Default: env `KAKASHI_LEVEL`, else `'info'`. */
  level?: Level;
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
  /** `true` or `'epoch'` (default): `"time"` in epoch ms; `'iso'`: an ISO 8601 string (UTC);
   *  `false`: no time. The JS thread only reads the clock: the writer formats it. */
  timestamp?: boolean | 'epoch' | 'iso';
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
    bindings?: (bindings: Record<string, unknown>) => object;
    log?: (fields: Record<string, unknown>) => object;
  };
  /** Fields added to every record, computed per record (`(fields, level, logger) => object`);
   *  the record's own fields win over them, as pino's default merge. A JavaScript call per record. */
  mixin?: (fields: object, level: number, logger: Logger) => object;
  /** Bytes of records a logger tree may have waiting for its destination before `onFull`
   *  applies. Default 4 MiB; at least 4096. */
  bufferSize?: number;
  /** Milliseconds within which a record reaches the destination once logging stops. Default 25. */
  flushInterval?: number;
  /** What a log call does when `bufferSize` is reached: `'block'` (default) waits for the
   *  writer and never loses a record; `'drop'` never waits, and counts what it drops. */
  onFull?: 'block' | 'drop';
  /** Paths whose values are replaced by `"[Redacted]"` (or `censor`, or removed) in fields,
   *  nested objects and bindings: `'password'`, `'req.headers.authorization'`, `'*.token'`,
   *  `'user.cards[*].number'`, `'["key.with.dots"]'`. The caller's objects are never changed. */
  redact?: string[] | { paths: string[]; censor?: unknown; remove?: boolean };
  /** A function per field name, applied to that field (and binding) before it is logged, as
   *  pino's: e.g. `{ req: stdSerializers.req, err: stdSerializers.err }`. */
  serializers?: Record<string, (value: any) => unknown>;
  /** Prepended to every message of this logger and its children. */
  msgPrefix?: string;
  /** The key of the message in each record. Default `'msg'`. */
  messageKey?: string;
  /** The key an Error logged on its own (`log.error(err)`) goes under. Default `'err'`. */
  errorKey?: string;
}

export interface ChildOptions {
  level?: Level;
  /** Added to (and overriding) the parent's serializers. */
  serializers?: Record<string, (value: any) => unknown>;
  /** Appended to the parent's prefix. */
  msgPrefix?: string;
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
  /** Records accepted but not yet written: `enqueued - written - dropped`. */
  queued: number;
  bytesWritten: number;
  /** Failed writes (each warned about once per destination on stderr). */
  errors: number;
  /** With several targets: each target's own figures (the fields above are their sums). */
  targets?: TargetStats[];
}

export interface TargetStats {
  /** The destination as given. */
  destination: string;
  written: number;
  dropped: number;
  /** Records below the target's level, not written there. */
  filtered: number;
  queued: number;
  bytesWritten: number;
  errors: number;
}

export interface Logger {
  trace: LogFn;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  fatal: LogFn;
  /** Logs nothing, as pino's `silent()`. */
  silent: LogFn;
  /** The current level's name; assign to change it at runtime (this logger only). */
  level: Level;
  readonly levelVal: number;
  readonly engine: 'native' | 'js';
  isLevelEnabled(level: Level): boolean;
  /** A logger whose records all carry `bindings` (serialized once, here). */
  child(bindings: Record<string, unknown>, options?: ChildOptions): Logger;
  /** `{ values: { info: 30, ... }, labels: { 30: 'info', ... } }`, as pino exposes them. */
  readonly levels: { readonly values: Readonly<Record<LevelName, number>>; readonly labels: Readonly<Record<number, LevelName>> };
  /** The bindings this logger adds, merged from every `child()` call that made it. */
  bindings(): Record<string, unknown>;
  /** Resolves when every record logged before it has been handed to the OS. */
  flush(): Promise<void>;
  /** Returns when every record logged before it has been handed to the OS. */
  flushSync(): void;
  /** Writes what is pending, then opens a file destination's path again: call it after
   *  logrotate has moved the file (e.g. on SIGHUP). A no-op for descriptors, stdout, stderr. */
  reopen(): void;
  /** Flushes, then releases the destination; later calls are dropped and counted. */
  close(): Promise<void>;
  getStats(): Stats;
  /** Adds bindings to this logger (pino's setBindings: a key bound again appears twice, the later wins). */
  setBindings(bindings: Record<string, unknown>): void;
  /** This package's version. */
  readonly version: string;
  /** `'level-change'`: `(level, value, previousLevel, previousValue, logger)` when `level` is set. */
  on(event: 'level-change', listener: (level: string, value: number, previousLevel: string, previousValue: number, logger: Logger) => void): this;
  once(event: 'level-change', listener: (level: string, value: number, previousLevel: string, previousValue: number, logger: Logger) => void): this;
  off(event: 'level-change', listener: (level: string, value: number, previousLevel: string, previousValue: number, logger: Logger) => void): this;
}

export declare function createLogger(options?: LoggerOptions): Logger;

/**
 * Kakashi's presets: configures the process's root logger and returns it. `production`: json,
 * info, stdout; `development`: pretty, debug, stdout; `testing`: json, debug, `test_logs/app.log`;
 * `high_throughput`: json, info, stdout, 32 MiB buffer, 100 ms flush interval. Environment
 * variables `KAKASHI_LEVEL`, `KAKASHI_FORMAT`, `KAKASHI_ENGINE` win over the preset; `overrides`
 * win over both. Loggers from an earlier setup() are closed.
 */
export declare function setup(preset: 'production' | 'development' | 'testing' | 'high_throughput', overrides?: LoggerOptions): Logger;
/** The root logger (set up as `production` on first use), or a child of it with `name` bound; the
 *  same instance for the same name. */
export declare function getLogger(name?: string): Logger;

/** This package's version. */
export declare const version: string;

export declare const stdSerializers: {
  /** `{ id, method, url, headers, remoteAddress, remotePort }` of an IncomingMessage or a Fastify request. */
  req(req: unknown): unknown;
  /** `{ statusCode, headers }` of a ServerResponse or a Fastify reply. */
  res(res: unknown): unknown;
  /** `{ type, message, stack, ...own properties, cause }`. */
  err(err: unknown): unknown;
};

export declare const levels: {
  readonly values: Readonly<Record<LevelName, number>>;
  readonly labels: Readonly<Record<number, LevelName>>;
};

/** Runs `fn` so that every record logged inside it — across await, timers and promise chains —
 *  carries `fields` (added to any context already in force). */
export declare function withContext<T>(fields: Record<string, unknown>, fn: () => T): T;
/** From here on, this async execution and what it starts carry `fields` (for code that cannot wrap). */
export declare function setCustomContext(fields: Record<string, unknown>): void;
/** Kakashi's name for request fields: `setRequestContext({ reqId, ip, method })`. */
export declare function setRequestContext(fields: Record<string, unknown>): void;
/** Kakashi's name for user fields: `setUserContext({ userId })`. */
export declare function setUserContext(fields: Record<string, unknown>): void;
/** Ends the context set by the set*Context calls for this async execution. */
export declare function clearRequestContext(): void;
/** The current context's fields. */
export declare function getContext(): Record<string, unknown>;
