// How a log call's arguments become a record — pino's rules: which argument is the merging
// object, which the message, what printf makes of the rest, where the message defaults from.
// Kakashi's own API adds two forms (a message followed by one plain object takes it as fields;
// printf arguments beyond the tokens are appended: the dialect's `format`). The common forms
// take straight-line paths with no allocation.

import { mapHttpRequest, mapHttpResponse } from 'pino-std-serializers';

import type { Bindings } from './bindings';
import { caller } from './caller';
import { messageText } from './capture/template';
import { contextJson } from './context';
import type { Engine } from './engines/engine';
import { hasTokens } from './printf';
import { THROWS } from './serialize';
import type { Shape } from './shape';
import { kBindings, kEngine, kShape } from './symbols';
import { logChannel } from './trace';

interface Target {
  [kEngine]: Engine;
  [kBindings]: Bindings;
  [kShape]: Shape;
}

const objectProto = Object.prototype;

function isPlainObject(v: unknown): v is object {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === objectProto || proto === null;
}

function rest(args: IArguments, from: number): unknown[] {
  const out: unknown[] = [];
  for (let j = from; j < args.length; j++) out.push(args[j]);
  return out;
}

/** A node:http (or Express, Fastify raw) request or response logged as the merging object, as pino maps it. */
function httpObject(o: Record<string, unknown>): object {
  if (o.method && o.headers && o.socket) return mapHttpRequest(o as never);
  if (typeof o.setHeader === 'function') return mapHttpResponse(o as never);
  return o;
}

/**
 * The method for one level; each logger points its enabled levels at these, the rest at noop.
 * `sync`: the record is written before the call returns (fatal: the process is usually about to die).
 */
export function makeLevelMethod(level: number, sync: boolean) {
  return function LOG(this: Target, a?: unknown, b?: unknown): void {
    const shape = this[kShape];
    let fields: object | undefined;
    let msg: unknown;
    try {
      const n = arguments.length;
      if (n === 1 && typeof a === 'string') {
        // The commonest call: a message alone.
        msg = shape.msgPrefix === undefined ? a : shape.msgPrefix + a;
      } else if (typeof a === 'object') {
        if (a !== null) fields = httpObject(a as Record<string, unknown>);
        if (n >= 2) {
          msg = b;
          if (msg !== undefined && msg !== null && shape.msgPrefix !== undefined) msg = shape.msgPrefix + msg;
          if (n > 2) msg = shape.dialect.format(msg, rest(arguments, 2));
        } else if (a === null) msg = null;
      } else {
        msg = a === undefined ? b : a;
        const from = a === undefined ? 2 : 1;
        if (msg !== undefined && msg !== null && shape.msgPrefix !== undefined) msg = shape.msgPrefix + msg;
        if (n > from) {
          if (shape.dialect.messageThenFields && n === 2 && typeof a === 'string' && isPlainObject(b) && !hasTokens(a)) fields = b;
          else msg = shape.dialect.format(msg, rest(arguments, from));
        }
      }
      if (fields !== undefined) {
        if (fields instanceof Error) {
          const err = fields;
          fields = { [shape.errorKey]: err };
          if (msg === undefined) msg = err.message;
        } else if (msg === undefined) {
          const f = fields as Record<string, unknown>;
          const err = f[shape.errorKey];
          if (err && f[shape.messageKey] === undefined) msg = (err as { message?: unknown }).message;
        }
      }
    } catch (e) {
      // Reading the arguments threw (a hostile proxy, a throwing toString): keep the record.
      fields = undefined;
      msg = `${THROWS} ${safeMessage(e)}`;
    }
    if (shape.prepareFields !== undefined) fields = shape.prepareFields(fields, level, this);
    if (shape.prepareMsg !== undefined && msg !== undefined) msg = shape.prepareMsg(messageText(msg));
    const engine = this[kEngine];
    const node = this[kBindings];
    // undefined: a child's bindings are still values (the engine reads them from `node`).
    let bindings = node.text;
    const context = contextJson(shape.prepare);
    if (context !== '') bindings = node.with(context);
    if (shape.traceContext !== undefined) bindings = shape.traceContext(bindings, node);
    if (logChannel.start.hasSubscribers) {
      logChannel.traceSync(() => engine.write(level, bindings, fields, msg, shape.fieldStep, node), { instance: this, level, fields, msg: messageText(msg) });
    } else engine.write(level, bindings, fields, msg, shape.fieldStep, node);
    if (sync) engine.flushSync();
  };
}

/**
 * A level's method that says, while it runs, which logger is writing (caller.ts), for a
 * destination that asks (pino's metadata `lastLogger`); put back after, since a serializer may
 * log meanwhile. Only the trees of such loggers have it: the others' calls do not pay for it.
 */
export function callerRecordingMethod(method: (...args: unknown[]) => void) {
  return function recordingCaller(this: unknown, ...args: unknown[]): void {
    const outer = caller.logger;
    caller.logger = this;
    try {
      method.apply(this, args);
    } finally {
      caller.logger = outer;
    }
  };
}

/** pino's hooks.logMethod around a level's method: `hook.call(logger, args, method, level)`. */
export function hookedLevelMethod(method: (...args: unknown[]) => void, level: number, hook: (this: unknown, args: unknown[], method: (...args: unknown[]) => void, level: number) => void) {
  return function hookWrappedLog(this: unknown, ...args: unknown[]): void {
    try {
      hook.call(this, args, method, level);
    } catch (e) {
      // A throwing hook must not throw out of a log call: the record says so instead.
      method.call(this, { hook: THROWS }, `${THROWS} ${safeMessage(e)}`);
    }
  };
}

function safeMessage(e: unknown): string {
  try {
    return e instanceof Error ? e.message : String(e);
  } catch {
    return '';
  }
}

export function noop(): void {}
