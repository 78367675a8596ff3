// How a configuration mistake is told: an Error naming the option and the value.

import { describe } from '../levels';

export function fail(option: string, value: unknown, expected: string): never {
  throw new Error(`kakashi: invalid option "${option}": ${describe(value)}; expected ${expected}`);
}
