// Level names and numbers (pino's), resolved once at configuration so the hot path only ever
// compares numbers.

export const LEVELS = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
} as const;

export type LevelName = keyof typeof LEVELS;

/** Kakashi's Python names, accepted wherever a level is. */
const ALIASES: Record<string, LevelName> = { warning: 'warn', critical: 'fatal' };

export const LEVEL_NAMES = Object.keys(LEVELS) as LevelName[];

/** `silent` sits above every level, so nothing is enabled. */
export const SILENT = Infinity;

export const LABELS: Record<number, LevelName> = Object.fromEntries(
  LEVEL_NAMES.map((name) => [LEVELS[name], name]),
);

/** pino's (and Fastify's) view of the levels: `{ values: { info: 30, ... }, labels: { 30: 'info', ... } }`. */
export const LEVELS_VIEW = Object.freeze({
  values: Object.freeze({ ...LEVELS }),
  labels: Object.freeze({ ...LABELS }),
});

/**
 * The number of a level given by name (case-insensitive, aliases accepted), or throws an Error
 * naming where the value came from (`source`, e.g. `option "level"`).
 */
export function levelValue(level: unknown, source: string): number {
  if (typeof level === 'string') {
    const name = level.trim().toLowerCase();
    if (name === 'silent') return SILENT;
    const canonical = ALIASES[name] ?? name;
    if (Object.prototype.hasOwnProperty.call(LEVELS, canonical)) return LEVELS[canonical as LevelName];
  }
  throw new Error(
    `kakashi: unknown level ${describe(level)} (${source}); expected one of ${[...LEVEL_NAMES, 'silent'].join(', ')} (or warning, critical)`,
  );
}

export function levelLabel(value: number): string {
  return LABELS[value] ?? 'silent';
}

export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
