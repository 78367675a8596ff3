// Sizes as users write them: bytes, or '50MB'.

import { fail } from './fail';

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 };

/** `50MB`, `10 kb`, `1g` (powers of 1024) or a number of bytes. */
export function parseSize(v: unknown, option: string): number {
  const m = typeof v === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(v) : null;
  const bytes = typeof v === 'number' ? v : m && UNITS[m[2].toLowerCase()] !== undefined ? Number(m[1]) * UNITS[m[2].toLowerCase()] : NaN;
  if (!Number.isFinite(bytes) || bytes < 1) fail(option, v, "a size: bytes, or a string like '50MB' (K, M, G: powers of 1024)");
  return Math.floor(bytes);
}
