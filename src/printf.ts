// printf-style messages: %s %d %i %f %j %o %O %%, as util.format reads them, with JSON
// (never a throw) for objects — or, inside a template (capture/template.ts), a placeholder for a
// small flat one. Arguments beyond the tokens are appended, space-separated, so nothing a caller
// passed is silently lost.

import { deferObject } from './capture/template';
import { safeJson } from './serialize';

const TOKEN = /%[sdifjoO%]/;

export function hasTokens(s: string): boolean {
  return s.indexOf('%') !== -1 && TOKEN.test(s);
}

export function printf(fmt: string, args: readonly unknown[]): string {
  let out = '';
  let next = 0;
  let last = 0;
  for (let i = fmt.indexOf('%'); i !== -1 && i + 1 < fmt.length; i = fmt.indexOf('%', i + 1)) {
    const t = fmt.charCodeAt(i + 1);
    if (t === 37 /* % */) {
      out += fmt.slice(last, i) + '%';
      last = i + 2;
      i++;
      continue;
    }
    if (!isToken(t) || next >= args.length) continue;
    out += fmt.slice(last, i) + convert(t, args[next++]);
    last = i + 2;
    i++;
  }
  out += fmt.slice(last);
  for (; next < args.length; next++) out += ' ' + asText(args[next]);
  return out;
}

function isToken(t: number): boolean {
  // s d i f j o O
  return t === 115 || t === 100 || t === 105 || t === 102 || t === 106 || t === 111 || t === 79;
}

function convert(t: number, v: unknown): string {
  try {
    switch (t) {
      case 115: // %s
        return asText(v);
      case 100: // %d
        return typeof v === 'bigint' ? `${v}n` : typeof v === 'symbol' ? 'NaN' : String(Number(v));
      case 105: // %i
        return typeof v === 'bigint' ? `${v}n` : typeof v === 'symbol' ? 'NaN' : String(parseInt(String(v), 10));
      case 102: // %f
        return typeof v === 'symbol' ? 'NaN' : String(parseFloat(String(v)));
      default: // %j %o %O
        return json(v);
    }
  } catch {
    return '[Throws]';
  }
}

/** Text of an argument: strings as they are, objects as JSON, the rest as String() gives. */
function asText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null) return json(v);
  if (typeof v === 'bigint') return `${v}n`;
  try {
    return String(v);
  } catch {
    return '[Throws]';
  }
}

function json(v: unknown): string {
  return (typeof v === 'object' && v !== null && deferObject(v)) || (safeJson(v, [], '') ?? 'undefined');
}
