// Each level as the writers write it, computed once, so the hot path never formats a level.

import type { Dialect } from '../dialect';
import type { LevelTable } from '../levels';
import { fieldsJson, quote } from '../serialize';
import { fail } from './fail';

/** One level as the writers write it: its number, its name, its JSON members (`"level":30`). */
export interface LevelSpec {
  value: number;
  label: string;
  member: string;
}

/**
 * Each level number's JSON members, computed once (the hot path never formats a level), named
 * by the label the number has (a custom level given a standard number names it, as pino's).
 */
export function levelSpecs(levels: LevelTable, key: string, labels: boolean, format: ((label: string, number: number) => object) | undefined, dialect: Dialect): LevelSpec[] {
  return Object.entries(levels.view.labels).map(([n, label]) => {
    const value = Number(n);
    const standard = quote(key) + ':' + (labels ? quote(label) : value);
    if (format === undefined) return { value, label, member: standard };
    const formatted: unknown = format(label, value);
    if (typeof formatted !== 'object' || formatted === null) fail('formatters.level', formatted, 'a function returning an object');
    const members = fieldsJson(formatted, undefined, dialect);
    return { value, label, member: members === '' ? standard : members.slice(1) };
  });
}

