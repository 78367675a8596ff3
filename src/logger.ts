// The logger object: level methods (enabled ones point at the record path, disabled ones at a
// no-op, so a disabled call costs one empty call), children, and the engine's lifecycle.

import type { ChildOptions, Level, LogFn, Logger as PublicLogger, LoggerOptions, Stats } from '../index';
import { makeLevelMethod, noop } from './args';
import { createEngine } from './engines';
import type { Engine } from './engines/engine';
import { track, untrack } from './lifecycle';
import { LEVEL_NAMES, LEVELS, LEVELS_VIEW, levelLabel, levelValue } from './levels';
import { resolveOptions } from './options';
import { fieldsJson, THROWS } from './serialize';
import { makeShape, type Shape } from './shape';
import { EventEmitter } from 'node:events';

import { kBindings, kBindingsObject, kEngine, kEvents, kLevel, kShape } from './symbols';

/** This package's version, as pino exposes its own. */
export const version: string = require('../package.json').version;

type LevelChangeListener = (level: string, value: number, previousLevel: string, previousValue: number, logger: Logger) => void;

const METHODS = LEVEL_NAMES.map((name) => [name, makeLevelMethod(LEVELS[name])] as const);

export class Logger implements PublicLogger {
  trace: LogFn = noop;
  debug: LogFn = noop;
  info: LogFn = noop;
  warn: LogFn = noop;
  error: LogFn = noop;
  fatal: LogFn = noop;
  [kEngine]: Engine;
  [kBindings]: string;
  [kBindingsObject]: Record<string, unknown>;
  [kLevel] = 0;
  [kShape]: Shape;
  [kEvents]: EventEmitter | undefined;

  /** @internal Use createLogger() or child(). */
  constructor(engine: Engine, bindings: string, bindingsObject: Record<string, unknown>, levelVal: number, shape: Shape) {
    this[kEngine] = engine;
    this[kShape] = shape;
    this[kBindings] = bindings;
    this[kBindingsObject] = bindingsObject;
    this.setLevelVal(levelVal);
  }

  /** pino's `silent` method: logs nothing (Fastify's logger type asks for it). */
  silent(): void {}

  private setLevelVal(value: number): void {
    this[kLevel] = value;
    for (const [name, method] of METHODS) this[name] = LEVELS[name] >= value ? method : noop;
  }

  get level(): Level {
    return levelLabel(this[kLevel]) as Level;
  }

  set level(level: Level) {
    const previous = this[kLevel];
    this.setLevelVal(levelValue(level, 'logger.level'));
    this[kEvents]?.emit('level-change', this.level, this[kLevel], levelLabel(previous), previous, this);
  }

  get version(): string {
    return version;
  }

  /** `'level-change'` listeners get `(level, value, previousLevel, previousValue, logger)`, as pino's. */
  on(event: 'level-change', listener: LevelChangeListener): this {
    (this[kEvents] ??= new EventEmitter()).on(event, listener);
    return this;
  }

  once(event: 'level-change', listener: LevelChangeListener): this {
    (this[kEvents] ??= new EventEmitter()).once(event, listener);
    return this;
  }

  off(event: 'level-change', listener: LevelChangeListener): this {
    this[kEvents]?.off(event, listener);
    return this;
  }

  /** Adds bindings to this logger, as pino's: a key bound again appears twice, the later wins. */
  setBindings(bindings: Record<string, unknown>): void {
    if (typeof bindings !== 'object' || bindings === null) throw new Error('kakashi: setBindings(bindings) expects an object');
    const shape = this[kShape];
    const shown = shape.prepareBindings ? (shape.prepareBindings(bindings) as Record<string, unknown>) : bindings;
    this[kBindings] += fieldsJson(shown);
    this[kBindingsObject] = mergeBindings(this[kBindingsObject], shown);
  }

  get levelVal(): number {
    return this[kLevel];
  }

  get engine(): 'native' | 'js' {
    return this[kEngine].name;
  }

  isLevelEnabled(level: Level): boolean {
    return levelValue(level, 'isLevelEnabled()') >= this[kLevel];
  }

  get levels(): typeof LEVELS_VIEW {
    return LEVELS_VIEW;
  }

  child(bindings: Record<string, unknown>, options?: ChildOptions): Logger {
    if (typeof bindings !== 'object' || bindings === null) {
      throw new Error('kakashi: child(bindings) expects an object');
    }
    let shape = this[kShape];
    if (options?.serializers !== undefined || options?.msgPrefix !== undefined) {
      const serializers = options.serializers ? { ...shape.serializers, ...options.serializers } : shape.serializers;
      const msgPrefix = options.msgPrefix !== undefined ? (shape.msgPrefix ?? '') + options.msgPrefix : shape.msgPrefix;
      shape = makeShape({ ...shape, serializers, msgPrefix });
    }
    const shown = shape.prepareBindings ? (shape.prepareBindings(bindings) as Record<string, unknown>) : bindings;
    const level = options?.level !== undefined ? levelValue(options.level, 'child() option "level"') : this[kLevel];
    return new Logger(this[kEngine], this[kBindings] + fieldsJson(shown), mergeBindings(this[kBindingsObject], shown), level, shape);
  }

  bindings(): Record<string, unknown> {
    return { ...this[kBindingsObject] };
  }

  flush(): Promise<void> {
    return this[kEngine].flush();
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
}

/** A copy of `next` over `prev` that survives throwing getters and proxies. */
function mergeBindings(prev: Record<string, unknown>, next: Record<string, unknown>): Record<string, unknown> {
  const out = { ...prev };
  let keys: string[] = [];
  try {
    keys = Object.keys(next);
  } catch {
    // Unreadable keys: the serialized bindings already say "[Throws]".
  }
  for (const k of keys) {
    try {
      out[k] = next[k];
    } catch {
      out[k] = THROWS;
    }
  }
  return out;
}

export function createLogger(options?: LoggerOptions): Logger {
  const o = resolveOptions(options, process.env);
  const shape = makeShape(o);
  let bindings = o.base ? fieldsJson(shape.prepareBindings ? shape.prepareBindings(o.base) : o.base) : '';
  if (o.name !== undefined) bindings += fieldsJson({ name: o.name });
  const engine = createEngine(o);
  track(engine);
  return new Logger(engine, bindings, {}, o.levelVal, shape);
}
