// How a log call's arguments become a record: which one is the fields object, which the
// message, what printf makes of the rest. The common forms take straight-line paths with no
// allocation; only printf and the error form build anything.

import { contextJson } from './context';
import type { Engine } from './engines/engine';
import { hasTokens, printf } from './printf';
import { THROWS } from './serialize';
import type { Shape } from './shape';
import { kBindings, kEngine, kShape } from './symbols';

interface Target {
  [kEngine]: Engine;
  [kBindings]: string;
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

function messageOf(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const m = err.message;
  return typeof m === 'string' ? m : String(m);
}

/** fatal records are written before the call returns: the process is usually about to die. */
const SYNC_LEVEL = 60;

/** The method for one level. Each logger points its enabled levels at these, the rest at noop. */
export function makeLevelMethod(level: number) {
  const sync = level >= SYNC_LEVEL;
  return function log(this: Target, a?: unknown, b?: unknown): void {
    let fields: object | undefined;
    let msg: string | undefined;
    try {
      const n = arguments.length;
      if (typeof a === 'string') {
        if (n === 1) msg = a;
        else if (n === 2 && isPlainObject(b) && !hasTokens(a)) {
          msg = a;
          fields = b;
        } else msg = printf(a, rest(arguments, 1));
      } else if (typeof a === 'object' && a !== null) {
        if (a instanceof Error) {
          fields = { [this[kShape].errorKey]: a };
          if (n < 2) msg = messageOf(a);
        } else fields = a;
        if (n >= 2) {
          msg = typeof b === 'string' ? (n > 2 ? printf(b, rest(arguments, 2)) : b) : printf(String(b), rest(arguments, 2));
        } else if (msg === undefined) {
          msg = messageOf((a as Record<string, unknown>)[this[kShape].errorKey]);
        }
      } else if (n > 0) {
        msg = printf(String(a), rest(arguments, 1));
      }
    } catch (e) {
      // Reading the arguments threw (a hostile proxy, a throwing toString): keep the record.
      fields = undefined;
      msg = `${THROWS} ${safeMessage(e)}`;
    }
    const shape = this[kShape];
    if (shape.prepareFields !== undefined) fields = shape.prepareFields(fields, level, this);
    if (shape.msgPrefix !== undefined && msg !== undefined) msg = shape.msgPrefix + msg;
    const engine = this[kEngine];
    engine.write(level, this[kBindings] + contextJson(shape.prepare), fields, msg, shape.redactField);
    if (sync) engine.flushSync();
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
