// The logger object: level methods (enabled ones point at the record path, disabled ones at a
// no-op, so a disabled call costs one empty call), children, and the engine's lifecycle. Levels,
// children and bindings behave as pino's (docs/api.md), in both dialects.

import { EventEmitter } from 'node:events';

import type { ChildOptions, Level, LogFn, Logger as PublicLogger, LoggerOptions, Stats } from '../index';
import { callerRecordingMethod, hookedLevelMethod, makeLevelMethod, noop } from './args';
import { type Bindings, bindingsText, type Bound, boundValues, childBindings, OPTION_KEYS, textBindings } from './bindings';
import type { Dialect } from './dialect';
import { createEngine } from './engines';
import type { Engine } from './engines/engine';
import { track, untrack } from './lifecycle';
import { enabled, LEVELS, type LevelTable, levelTable, levelLabel, levelValue, SILENT } from './levels';
import { fail, type LogMethodHook, type Resolved, resolveOptions } from './options';
import { compileRedactOption } from './redact';
import { fieldsJson, quote } from './serialize';
import { serializerTable } from './serializers';
import { makeShape, type Shape } from './shape';
import { chindingsSym, kAdopt, kBindings, kEngine, kEvents, kLevel, kOnChild, kRetarget, kShape, kStream, kTree, needsMetadataGsym, pinoPrivateSymbols, serializersSym, streamSym, stringifySym } from './symbols';

/** This package's version, as pino exposes its own. */
export const version: string = require('../package.json').version;

/** What EventEmitter's `on` takes (`'level-change'`'s: `(level, value, previousLevel, previousValue, logger)`). */
type Listener = Parameters<EventEmitter['on']>[1];
type Method = (...args: unknown[]) => void;

/** What a root logger and all its children share: levels and their methods, hooks, dialect. */
interface Tree {
  readonly levels: LevelTable;
  /** [name, level, method] for every level of the table. */
  readonly methods: readonly (readonly [string, number, Method])[];
  readonly logMethod: LogMethodHook | undefined;
  readonly onChild: ((child: Logger) => void) | undefined;
  readonly pino: boolean;
  /** Its calls say which logger is writing (caller.ts): a destination asks (pino's metadata). */
  readonly recordsCaller: boolean;
  /** The levels are exactly trace, debug, info, warn, error and fatal, in that order. */
  readonly standardNames: boolean;
  /** Per logger level: each level's name and method (or noop), worked out once. */
  readonly atLevel: Map<number, (readonly [string, Method])[]>;
}

function hasOptionKey(b: object): boolean {
  for (let i = 0; i < OPTION_KEYS.length; i++) if (Object.prototype.hasOwnProperty.call(b, OPTION_KEYS[i])) return true;
  return false;
}

function withoutOptionKeys(b: object): object {
  const copy: Record<string, unknown> = { ...b };
  for (const k of OPTION_KEYS) delete copy[k];
  return copy;
}

/** The trees of loggers without hooks, by level table and dialect: shared, with their level methods and prototypes. */
const plainTrees = new WeakMap<LevelTable, { pino?: Tree; kakashi?: Tree }>();

/** A tree for these levels and hooks: the one already made for them when there are no hooks. */
function treeFor(levels: LevelTable, logMethod: LogMethodHook | undefined, onChild: Tree['onChild'], pino: boolean, recordsCaller: boolean): Tree {
  if (logMethod !== undefined || onChild !== undefined || recordsCaller) return makeTree(levels, logMethod, onChild, pino, recordsCaller);
  let byDialect = plainTrees.get(levels);
  if (byDialect === undefined) plainTrees.set(levels, (byDialect = {}));
  return (byDialect[pino ? 'pino' : 'kakashi'] ??= makeTree(levels, undefined, undefined, pino, false));
}

function makeTree(levels: LevelTable, logMethod: LogMethodHook | undefined, onChild: Tree['onChild'], pino: boolean, recordsCaller: boolean): Tree {
  const fatal = levels.view.values.fatal;
  const methods = levels.names.map((name) => {
    const value = levels.view.values[name];
    // fatal records are written before the call returns: the process is usually about to die.
    const raw = makeLevelMethod(value, name === 'fatal' || (levels.standard && value >= (fatal ?? LEVELS.fatal))) as Method;
    const hooked = logMethod === undefined ? raw : (hookedLevelMethod(raw, value, logMethod) as Method);
    return [name, value, recordsCaller ? (callerRecordingMethod(hooked) as Method) : hooked] as const;
  });
  const standardNames = levels.names.join() === 'trace,debug,info,warn,error,fatal';
  return { levels, methods, logMethod, onChild, pino, recordsCaller, standardNames, atLevel: new Map() };
}

/**
 * A child as pino makes one: an object whose prototype is its parent, so that it follows the
 * parent's level (a later `parent.level = …` included) until given its own — by its `level`
 * option, other custom levels, or `child.level = …` — and costs a handful of stores; its own
 * bindings (as values, or as text when they could not be read as values), shape and tree, in
 * one order (children of one parent share a hidden class).
 */
function childOf(parent: Logger, own: Bound | string, level: number | undefined, shape: Shape, tree: Tree): Logger {
  const child = Object.create(parent) as Logger;
  child[kShape] = shape;
  child[kBindings] = childBindings(parent[kBindings], own);
  child[kTree] = tree;
  if (level !== undefined || tree !== parent[kTree]) {
    const value = level ?? parent[kLevel];
    setLevelMethods(child, tree, value);
    child[kLevel] = value;
  }
  return child;
}

/** Points `target`'s level methods at the record path (enabled levels) or at noop. */
function setLevelMethods(target: Logger, tree: Tree, value: number): void {
  let methods = tree.atLevel.get(value);
  if (methods === undefined) {
    methods = tree.methods.map(([name, level, method]) => [name, enabled(tree.levels, level, value) ? method : noop] as const);
    tree.atLevel.set(value, methods);
  }
  if (tree.standardNames) {
    // Stores by name (one hidden class for every logger); a loop over names would be a keyed store each.
    target.trace = methods[0][1];
    target.debug = methods[1][1];
    target.info = methods[2][1];
    target.warn = methods[3][1];
    target.error = methods[4][1];
    target.fatal = methods[5][1];
    return;
  }
  const self = target as unknown as Record<string, unknown>;
  for (let i = 0; i < methods.length; i++) self[methods[i][0]] = methods[i][1];
}

// (The EventEmitter methods the class does not write itself are added to its prototype below it.)
export interface Logger extends EventEmitter {}
export class Logger implements PublicLogger {
  declare trace: LogFn;
  declare debug: LogFn;
  declare info: LogFn;
  declare warn: LogFn;
  declare error: LogFn;
  declare fatal: LogFn;
  declare [kEngine]: Engine;
  /** The members every record of this logger carries: base, name, child bindings (bindings.ts). */
  declare [kBindings]: Bindings;
  declare [kLevel]: number;
  declare [kShape]: Shape;
  declare [kTree]: Tree;
  declare [kEvents]: EventEmitter | undefined;

  /**
   * @internal Use createLogger() (a root) or child() (childOf). A root's level methods are its
   * own properties, as pino's are, from the list worked out once per tree and level.
   */
  constructor(engine: Engine, bindings: string, levelVal: number, shape: Shape, tree: Tree) {
    setLevelMethods(this, tree, levelVal);
    this[kEngine] = engine;
    this[kShape] = shape;
    this[kBindings] = textBindings(bindings);
    this[kTree] = tree;
    this[kLevel] = levelVal;
    this[kEvents] = undefined;
  }

  /** pino's `silent` method: logs nothing (Fastify's logger type asks for it). */
  silent(): void {}

  private setLevelVal(value: number): void {
    this[kLevel] = value;
    setLevelMethods(this, this[kTree], value);
  }

  get level(): string {
    return levelLabel(this[kLevel], this[kTree].levels);
  }

  /** A level's name or number, as pino takes it. */
  set level(level: Level) {
    const previous = this[kLevel];
    this.setLevelVal(levelValue(level, 'logger.level', this[kTree].levels));
    const levels = this[kTree].levels;
    this[kEvents]?.emit('level-change', this.level, this[kLevel], levelLabel(previous, levels), previous, this);
  }

  get levelVal(): number {
    return this[kLevel];
  }

  set levelVal(_: number) {
    throw new Error('levelVal is read-only');
  }

  get version(): string {
    return version;
  }

  get msgPrefix(): string | undefined {
    return this[kShape].msgPrefix;
  }

  /** pino's: called with each new child — the `onChild` option, one assigned here (it reaches this logger's later children, as pino's), or a no-op. */
  get onChild(): (child: PublicLogger) => void {
    return ((this as unknown as Record<symbol, unknown>)[kOnChild] ?? this[kTree].onChild ?? noop) as (child: PublicLogger) => void;
  }

  set onChild(f: (child: PublicLogger) => void) {
    (this as unknown as Record<symbol, unknown>)[kOnChild] = typeof f === 'function' ? f : undefined;
  }

  /**
   * `'level-change'` listeners get `(level, value, previousLevel, previousValue, logger)`, as
   * pino's; a tree of loggers has one emitter, its root's, so a listener on a parent hears a
   * child's level change and the other way round, as in pino. (The rest of EventEmitter's
   * methods are added below the class.)
   */
  on(event: string | symbol, listener: Listener): this {
    emitterOf(this).on(event, listener);
    return this;
  }

  once(event: string | symbol, listener: Listener): this {
    emitterOf(this).once(event, listener);
    return this;
  }

  off(event: string | symbol, listener: Listener): this {
    this[kEvents]?.off(event, listener);
    return this;
  }

  /** Adds bindings to this logger, as pino's: a key bound again appears twice, the later wins. */
  setBindings(bindings: Record<string, unknown>): void {
    if (typeof bindings !== 'object' || bindings === null) throw new Error('kakashi: setBindings(bindings) expects an object');
    this[kBindings] = textBindings(bindingsText(this[kBindings]) + fieldsJson(preparedBindings(bindings, this[kShape], undefined), undefined, this[kShape].dialect));
  }

  get engine(): 'native' | 'js' {
    return this[kEngine].name;
  }

  /** Whether a record at `level` (a name or a number) would be written; false for a level this logger does not know. */
  isLevelEnabled(level: Level | number): boolean {
    const levels = this[kTree].levels;
    let value: number;
    try {
      value = levelValue(level, 'isLevelEnabled()', levels);
    } catch {
      return false;
    }
    return value !== SILENT && enabled(levels, value, this[kLevel]);
  }

  get levels(): LevelTable['view'] {
    return this[kTree].levels.view;
  }

  child<ChildCustomLevels extends string = never>(bindings: Record<string, unknown>, options?: ChildOptions & { customLevels?: Record<ChildCustomLevels, number> }): Logger & PublicLogger<ChildCustomLevels> {
    const tree = this[kTree];
    if (typeof bindings !== 'object' || bindings === null) {
      throw new Error(tree.pino ? 'missing bindings for child Pino' : 'kakashi: child(bindings) expects an object');
    }
    let shape = this[kShape];
    let childTree = tree;
    let formatBindings: ((b: Record<string, unknown>) => object) | undefined;
    let level: number | undefined;
    if (options !== undefined && options !== null) {
      const o = options as ChildOptions & { formatters?: { bindings?: unknown; log?: unknown }; redact?: LoggerOptions['redact']; customLevels?: unknown };
      const has = (k: string) => Object.prototype.hasOwnProperty.call(o, k);
      if (has('customLevels') && o.customLevels !== undefined) childTree = childLevels(tree, o.customLevels);
      if (has('serializers') || has('msgPrefix') || has('redact') || o.formatters?.log !== undefined) {
        if (o.msgPrefix !== undefined && typeof o.msgPrefix !== 'string') fail('child() option "msgPrefix"', o.msgPrefix, 'a string');
        shape = makeShape({
          ...shape,
          serializers: has('serializers') ? serializerTable(shape.serializers, o.serializers, 'child() option "serializers"', fail) : shape.serializers,
          msgPrefix: typeof o.msgPrefix === 'string' ? (shape.msgPrefix ?? '') + o.msgPrefix : shape.msgPrefix,
          redact: o.redact !== undefined && o.redact !== null ? compileRedactOption(o.redact, 'child() option "redact"') : shape.redact,
          formatters: o.formatters?.log !== undefined ? { ...shape.formatters, log: o.formatters.log as (f: Record<string, unknown>) => object } : shape.formatters,
        });
      }
      if (typeof o.formatters?.bindings === 'function') formatBindings = o.formatters.bindings as (b: Record<string, unknown>) => object;
      // pino: any falsy level (Fastify passes '' for a route without logLevel) keeps the parent's.
      if (o.level) level = levelValue(o.level, 'child() option "level"', childTree.levels);
    }
    const child = childOf(this, ownBindings(bindings, shape, formatBindings), level, shape, childTree);
    const onChild = this.onChild;
    if (onChild !== noop) onChild.call(this, child as unknown as PublicLogger);
    // (Its custom levels' methods are its own properties: setLevelMethods.)
    return child as Logger & PublicLogger<ChildCustomLevels>;
  }

  /** The bindings this logger adds, as pino's: base and name (without pid and hostname), then every child's. */
  bindings(): Record<string, unknown> {
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse('{' + bindingsText(this[kBindings]).slice(1) + '}');
    } catch {
      return {};
    }
    delete parsed.pid;
    delete parsed.hostname;
    return parsed;
  }

  /** Resolves when every record logged before it has been handed to the OS; pino's `flush(cb)` too. */
  flush(cb?: (err?: Error) => void): Promise<void> {
    if (cb !== undefined && typeof cb !== 'function') throw new Error('callback must be a function');
    const done = this[kEngine].flush();
    if (cb !== undefined) done.then(() => cb(), (e: Error) => cb(e));
    return done;
  }

  flushSync(): void {
    this[kEngine].flushSync();
  }

  reopen(): void {
    this[kEngine].reopen();
  }

  close(): Promise<void> {
    const engine = this[kEngine];
    untrack(engine);
    return engine.close();
  }

  getStats(): Stats {
    return this[kEngine].stats();
  }

  /** @internal Makes this logger write as `other` does: setup() re-points the loggers getLogger() gave out. */
  [kAdopt](other: Logger): void {
    this[kEngine] = other[kEngine];
    this[kShape] = other[kShape];
    this[kBindings] = other[kBindings];
    this[kTree] = other[kTree];
    this.setLevelVal(other[kLevel]);
  }

  /**
   * @internal Writes through `engine` from now on (its children too: they read the root's): what
   * the old engine holds is written first, within its exitTimeout, then it is closed. A
   * pino.multistream() that gained or lost a stream after the logger was made.
   */
  [kRetarget](engine: Engine): void {
    const old = this[kEngine];
    old.flushSync();
    track(engine);
    this[kEngine] = engine;
    untrack(old);
    void old.close();
  }

  /** pino's serializers symbol (Fastify merges these into its own). */
  get [serializersSym](): Record<string, unknown> {
    return this[kShape].serializers;
  }

  /** pino's stream: the destination a `kakashi/pino` logger writes to (Fastify's tests end it). */
  get [streamSym](): unknown {
    return (this as unknown as Record<symbol, unknown>)[kStream];
  }

  /** pino's private symbols, for code that reads them (pino-http's customProps). */
  get [chindingsSym](): string {
    return bindingsText(this[kBindings]);
  }

  [stringifySym](value: unknown): string {
    return fieldsJsonValue(value, this[kShape].dialect);
  }
}

function fieldsJsonValue(value: unknown, dialect: Dialect): string {
  if (typeof value === 'object' && value !== null) return dialect.objectJson(value) ?? '';
  return typeof value === 'string' ? quote(value) : String(value);
}

/** The emitter of `logger`'s tree: its root's (children inherit the root's `kEvents`), made on first use. */
function emitterOf(logger: Logger): EventEmitter {
  let root: Logger = logger;
  while (!Object.prototype.hasOwnProperty.call(root, kEvents)) root = Object.getPrototypeOf(root) as Logger;
  return (root[kEvents] ??= new EventEmitter());
}

/**
 * pino's logger "is also an EventEmitter": `instanceof EventEmitter`, and every method of one,
 * on its tree's emitter (`emitterOf`). Methods that return the emitter return the logger; the
 * ones that only read make no emitter.
 */
Object.setPrototypeOf(Logger.prototype, EventEmitter.prototype);
type Emitting = Record<string, (...args: unknown[]) => unknown>;
const EMITTER_WRITES = ['addListener', 'prependListener', 'prependOnceListener', 'removeListener', 'removeAllListeners', 'setMaxListeners'];
const EMITTER_READS: Record<string, () => unknown> = {
  emit: () => false,
  listeners: () => [],
  rawListeners: () => [],
  listenerCount: () => 0,
  eventNames: () => [],
  getMaxListeners: () => EventEmitter.defaultMaxListeners,
};
for (const name of EMITTER_WRITES) {
  Object.defineProperty(Logger.prototype, name, {
    configurable: true,
    writable: true,
    value: function (this: Logger, ...args: unknown[]) {
      (emitterOf(this) as unknown as Emitting)[name](...args);
      return this;
    },
  });
}
for (const [name, none] of Object.entries(EMITTER_READS)) {
  Object.defineProperty(Logger.prototype, name, {
    configurable: true,
    writable: true,
    value: function (this: Logger, ...args: unknown[]) {
      const events = this[kEvents] as unknown as Emitting | undefined;
      return events === undefined ? none() : events[name](...args);
    },
  });
}

/** A Kakashi logger also answers to the private symbols of each real pino loaded when a root logger is made. */
function answerPinoSymbols(): void {
  const proto = Logger.prototype as unknown as Record<symbol, unknown>;
  for (const { chindingsSym: chindings, stringifySym: stringify, streamSym: stream } of pinoPrivateSymbols()) {
    if (Object.prototype.hasOwnProperty.call(proto, chindings)) continue;
    Object.defineProperty(proto, chindings, Object.getOwnPropertyDescriptor(proto, chindingsSym) as PropertyDescriptor);
    Object.defineProperty(proto, stringify, { value: proto[stringifySym], writable: true, configurable: true });
    if (stream !== undefined) Object.defineProperty(proto, stream, Object.getOwnPropertyDescriptor(proto, streamSym) as PropertyDescriptor);
  }
}

/** A child's levels: its parent's and `customLevels`, checked as pino checks them. */
function childLevels(tree: Tree, custom: unknown): Tree {
  const { values, labels } = tree.levels.view;
  if (typeof custom === 'object' && custom !== null) {
    for (const [name, n] of Object.entries(custom)) {
      if (name in values) {
        if (tree.pino) throw new Error('levels cannot be overridden');
        fail('child() option "customLevels"', name, 'new level names (levels cannot be overridden)');
      }
      if (labels[n as number] !== undefined) {
        if (tree.pino) throw new Error('pre-existing level values cannot be used for new levels');
        fail('child() option "customLevels"', n, 'numbers no level has already');
      }
    }
  }
  const base = tree.levels.standard ? {} : Object.fromEntries(tree.levels.names.map((n) => [n, values[n]]));
  const levels = levelTable({ customLevels: { ...base, ...(custom as object) }, useOnlyCustomLevels: !tree.levels.standard, levelComparison: tree.levels.compare }, fail, tree.pino);
  return makeTree(levels, tree.logMethod, tree.onChild, tree.pino, tree.recordsCaller);
}

/**
 * A child's (or the root's) bindings as written: through the bindings formatter (the root's, or
 * a child's own), serializers and redaction, without pino's option keys (unless `keepOptionKeys`:
 * boundValues leaves them out itself).
 */
function preparedBindings(bindings: object, shape: Shape, format: ((b: Record<string, unknown>) => object) | undefined, keepOptionKeys = false): object {
  let b = bindings;
  try {
    if (format !== undefined) b = format(b as Record<string, unknown>);
    if (!keepOptionKeys && hasOptionKey(b)) b = withoutOptionKeys(b);
  } catch {
    b = { bindings: '[Throws]' };
  }
  return shape.prepare ? shape.prepare(b) : b;
}

/** A child's own bindings as values; as JSON text (each member's failure contained) when reading them throws. */
function ownBindings(bindings: object, shape: Shape, format: ((b: Record<string, unknown>) => object) | undefined): Bound | string {
  const b = preparedBindings(bindings, shape, format, true);
  try {
    return boundValues(b, shape.dialect);
  } catch {
    return fieldsJson(hasOptionKey(b) ? withoutOptionKeys(b) : b, undefined, shape.dialect);
  }
}

/** A destination wants to know which logger wrote each line: a stream that asks for pino's metadata. */
function asksForCaller(o: Resolved): boolean {
  return o.targets.some((t) => t.destination.kind === 'stream' && (t.destination.stream as unknown as Record<symbol, unknown>)[needsMetadataGsym] === true);
}

/** The root logger of a resolved configuration (createLogger's, and kakashi/pino's). */
export function createRoot(o: Resolved): Logger {
  answerPinoSymbols();
  const shape = makeShape(o);
  const tree = treeFor(o.levels, o.logMethod, o.onChild as Tree['onChild'], o.flavour === 'pino', asksForCaller(o));
  for (const [name] of tree.methods) {
    if (!(name in LEVELS) && name in Logger.prototype) fail('customLevels', name, "level names that are not the logger's own members");
  }
  const root = o.base === null ? (o.name === undefined ? undefined : { name: o.name }) : o.name === undefined ? o.base : { ...o.base, name: o.name };
  const bindings = root === undefined ? '' : fieldsJson(preparedBindings(root, shape, o.formatters.bindings as ((b: Record<string, unknown>) => object) | undefined), undefined, shape.dialect);
  const engine = createEngine(o);
  track(engine);
  return new Logger(engine, bindings, o.levelVal, shape, tree);
}

export function createLogger(options?: LoggerOptions): Logger {
  return createRoot(resolveOptions(options, process.env));
}
