// What the process's environment decides: KAKASHI_FORMAT, KAKASHI_ENGINE and KAKASHI_LEVEL when
// the options leave them open, and the default base (pid, hostname). A bad variable fails naming it.

import { hostname } from 'node:os';

import type { Format } from '../format';
import { describe, type LevelTable, levelValue } from '../levels';
import { fail } from './fail';

export type EngineChoice = 'auto' | 'native' | 'js';

export const FORMATS: readonly Format[] = ['json', 'logfmt', 'pretty'];

/** `format`, else KAKASHI_FORMAT, else json. */
export function formatChoice(format: unknown, env: NodeJS.ProcessEnv): Format {
  if (format !== undefined) {
    if (!FORMATS.includes(format as Format)) fail('format', format, '"json", "logfmt" or "pretty"');
    return format as Format;
  }
  if (!env.KAKASHI_FORMAT) return 'json';
  const f = env.KAKASHI_FORMAT.trim().toLowerCase();
  if (!FORMATS.includes(f as Format)) {
    throw new Error(`kakashi: invalid environment variable KAKASHI_FORMAT: ${describe(env.KAKASHI_FORMAT)}; expected json, logfmt or pretty`);
  }
  return f as Format;
}

/** `engine`, else KAKASHI_ENGINE, else auto. */
export function engineChoice(engine: unknown, env: NodeJS.ProcessEnv): EngineChoice {
  if (engine !== undefined) {
    if (engine !== 'auto' && engine !== 'native' && engine !== 'js') fail('engine', engine, '"auto", "native" or "js"');
    return engine;
  }
  if (!env.KAKASHI_ENGINE) return 'auto';
  const e = env.KAKASHI_ENGINE.trim().toLowerCase();
  if (e !== 'auto' && e !== 'native' && e !== 'js') {
    throw new Error(`kakashi: invalid environment variable KAKASHI_ENGINE: ${describe(env.KAKASHI_ENGINE)}; expected auto, native or js`);
  }
  return e;
}

/** KAKASHI_LEVEL's number, or undefined when it is not set. */
export function envLevel(env: NodeJS.ProcessEnv, levels: LevelTable): number | undefined {
  return env.KAKASHI_LEVEL ? levelValue(env.KAKASHI_LEVEL, 'environment variable KAKASHI_LEVEL', levels) : undefined;
}

let base: Record<string, unknown> | undefined;
/** `{ pid, hostname }`, looked up once. */
export function defaultBase(): Record<string, unknown> {
  base ??= { pid: process.pid, hostname: hostname() };
  return base;
}
