// Kakashi's `setup(preset)` and `getLogger(name)`: one root logger per process, configured by
// a named preset, with named children handed out to the modules that ask for them.

import type { LoggerOptions } from '../index';
import { describe } from './levels';
import { createLogger, type Logger } from './logger';
import { kAdopt } from './symbols';

export type Preset = 'production' | 'development' | 'testing' | 'high_throughput';

const PRESETS: Record<Preset, LoggerOptions> = {
  production: { format: 'json', level: 'info', destination: 'stdout' },
  development: { format: 'pretty', level: 'debug', destination: 'stdout' },
  testing: { format: 'json', level: 'debug', destination: { path: 'test_logs/app.log', mkdir: true } },
  // Larger batches reach the writer less often: fewer wake-ups per record under load.
  high_throughput: { format: 'json', level: 'info', destination: 'stdout', bufferSize: 32 * 1024 * 1024, flushInterval: 100 },
};

/** Environment variables that, when set, win over a preset's choice (but not over `overrides`). */
const ENV_OVERRIDES: [string, keyof LoggerOptions][] = [
  ['KAKASHI_LEVEL', 'level'],
  ['KAKASHI_FORMAT', 'format'],
  ['KAKASHI_ENGINE', 'engine'],
];

let root: Logger | undefined;
const named = new Map<string, Logger>();

/**
 * Configures the process's root logger from a preset; `overrides` are createLogger options that
 * win over the preset and the environment. The loggers getLogger() gave out before — the root
 * and the named ones, held by modules loaded before setup() — write by the new configuration
 * from then on; other children of the old root keep writing where it did.
 */
export function setup(preset: Preset, overrides?: LoggerOptions): Logger {
  if (!Object.prototype.hasOwnProperty.call(PRESETS, preset)) {
    throw new Error(`kakashi: unknown preset ${describe(preset)}; expected one of ${Object.keys(PRESETS).join(', ')}`);
  }
  const options: LoggerOptions = { ...PRESETS[preset] };
  for (const [variable, option] of ENV_OVERRIDES) if (process.env[variable]) delete options[option];
  if (overrides?.targets !== undefined) delete options.destination;
  const next = createLogger({ ...options, ...overrides });
  if (root === undefined) root = next;
  else root[kAdopt](next);
  for (const [name, logger] of named) logger[kAdopt](root.child({ name }));
  return root;
}

/** The root logger (set up as 'production' on first use), or its child carrying `name`. */
export function getLogger(name?: string): Logger {
  root ??= setup('production');
  if (name === undefined) return root;
  let logger = named.get(name);
  if (logger === undefined) {
    logger = root.child({ name });
    named.set(name, logger);
  }
  return logger;
}
