// Levels: pino's six, a logger tree's custom ones, and how a level is compared with the
// logger's. Resolved once per logger tree, so the hot path only ever holds a number.

export const LEVELS = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
} as const;

export type LevelName = keyof typeof LEVELS;

/** Kakashi's Python names, accepted wherever a standard level is. */
const ALIASES: Record<string, LevelName> = { warning: 'warn', critical: 'fatal' };

export const LEVEL_NAMES = Object.keys(LEVELS) as LevelName[];

/** `silent` sits above every level: nothing is enabled, whatever the comparison. */
export const SILENT = Infinity;

/** The largest level number the writer's wire format carries (batch.rs: 27 bits). */
const MAX_LEVEL = 2 ** 27 - 1;

/** pino's `levelComparison`: is a record at `level` enabled on a logger at `threshold`? */
export type LevelComparison = (level: number, threshold: number) => boolean;

const ASC: LevelComparison = (level, threshold) => level >= threshold;
const DESC: LevelComparison = (level, threshold) => level <= threshold;

/** A logger tree's levels: shared by a root logger and all its children. */
export interface LevelTable {
  /** pino's `logger.levels`: `values` (name → number) and `labels` (number → name), each with a
   *  non-enumerable `silent` / `Infinity` entry as pino's. */
  readonly view: { readonly values: Readonly<Record<string, number>>; readonly labels: Readonly<Record<number, string>> };
  /** Every level with a method, lowest number first. */
  readonly names: readonly string[];
  readonly compare: LevelComparison;
  /** The standard six (aliases accepted), and nothing custom. */
  readonly standard: boolean;
}

function view(values: Record<string, number>): LevelTable['view'] {
  const v = Object.defineProperty({ ...values }, 'silent', { value: SILENT });
  const labels: Record<number, string> = Object.defineProperty({}, 'Infinity', { value: 'silent' });
  for (const [name, n] of Object.entries(values)) labels[n] = name;
  return Object.freeze({ values: Object.freeze(v), labels: Object.freeze(labels) });
}

function table(values: Record<string, number>, compare: LevelComparison, standard: boolean): LevelTable {
  // Stable: of two levels with one number, the later (custom) one names it.
  const names = Object.keys(values).sort((a, b) => values[a] - values[b]);
  return Object.freeze({ view: view(values), names, compare, standard });
}

export const STANDARD_LEVELS: LevelTable = table(LEVELS, ASC, true);

/** pino's view of the standard levels (the module's `levels` export). */
export const LEVELS_VIEW = STANDARD_LEVELS.view;

export interface LevelOptions {
  customLevels?: unknown;
  useOnlyCustomLevels?: unknown;
  levelComparison?: unknown;
}

/**
 * The level table for `customLevels`, `useOnlyCustomLevels` and `levelComparison` (`pinoWords`:
 * the mistakes pino itself refuses are said in pino's words, for kakashi/pino), checked as
 * pino checks them; `fail(option, value, expected)` throws the configuration error.
 */
export function levelTable(o: LevelOptions, fail: (option: string, value: unknown, expected: string) => never, pinoWords = false): LevelTable {
  const { customLevels, useOnlyCustomLevels, levelComparison } = o;
  let compare = ASC;
  if (levelComparison === 'DESC') compare = DESC;
  else if (typeof levelComparison === 'function') compare = levelComparison as LevelComparison;
  else if (levelComparison !== undefined && levelComparison !== 'ASC') fail('levelComparison', levelComparison, '"ASC", "DESC" or a function (level, threshold) => boolean');
  if (useOnlyCustomLevels !== undefined && typeof useOnlyCustomLevels !== 'boolean') fail('useOnlyCustomLevels', useOnlyCustomLevels, 'a boolean');
  if (customLevels === undefined || customLevels === null) {
    if (useOnlyCustomLevels === true) {
      if (pinoWords) throw new Error('customLevels is required if useOnlyCustomLevels is set true');
      fail('useOnlyCustomLevels', true, 'customLevels to be given with it');
    }
    return compare === ASC ? STANDARD_LEVELS : table(LEVELS, compare, true);
  }
  if (typeof customLevels !== 'object' || Array.isArray(customLevels)) fail('customLevels', customLevels, 'an object of level names and numbers, e.g. { audit: 35 }');
  const custom = customLevels as Record<string, unknown>;
  const values: Record<string, number> = useOnlyCustomLevels === true ? {} : { ...LEVELS };
  for (const [name, n] of Object.entries(custom)) {
    const option = `customLevels.${name}`;
    if (!Number.isInteger(n) || (n as number) < 0 || (n as number) > MAX_LEVEL) fail(option, n, `an integer from 0 to ${MAX_LEVEL}`);
    if (name === 'silent' || name === '') fail('customLevels', name, 'level names other than "" and "silent"');
    if (Object.prototype.hasOwnProperty.call(values, name)) {
      if (pinoWords) throw new Error('levels cannot be overridden');
      fail(option, n, 'a name not already a level (levels cannot be overridden)');
    }
    // A number another level has is allowed, as pino allows it: the custom name becomes its label.
    values[name] = n as number;
  }
  return table(values, compare, false);
}

/** A record at `level` is written by a logger at `threshold` ('silent' disables everything). */
export function enabled(t: LevelTable, level: number, threshold: number): boolean {
  return threshold !== SILENT && t.compare(level, threshold);
}

/**
 * The number of a level given by name (case-insensitive; Kakashi's aliases for the standard
 * levels), or by number (one the table knows, or Infinity for silent), as pino takes them;
 * otherwise throws an Error naming where the value came from (`source`, e.g. `option "level"`).
 */
export function levelValue(level: unknown, source: string, t: LevelTable = STANDARD_LEVELS): number {
  const { values, labels } = t.view;
  if (typeof level === 'number') {
    if (level === SILENT || labels[level] !== undefined) return level;
  } else if (typeof level === 'string') {
    if (Object.prototype.hasOwnProperty.call(values, level)) return values[level];
    const name = level.trim().toLowerCase();
    if (name === 'silent') return SILENT;
    const canonical = t.standard ? (ALIASES[name] ?? name) : name;
    for (const known of t.names) if (known.toLowerCase() === canonical) return values[known];
  }
  const expected = [...t.names, 'silent'].join(', ') + (t.standard ? ' (or warning, critical)' : '');
  throw new Error(`kakashi: unknown level ${describe(level)} (${source}); expected one of ${expected}, or one of their numbers`);
}

/** The level's name, or `silent`; a number no level has is written as it is. */
export function levelLabel(value: number, t: LevelTable = STANDARD_LEVELS): string {
  return t.view.labels[value] ?? String(value);
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
