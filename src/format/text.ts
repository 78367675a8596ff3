// What the human formats, logfmt and pretty, share — for the pure-JS engine and the `kakashi
// pretty` CLI: byte for byte what crates/kakashi-core/src/format/text.rs does. A record's members
// arrive as JSON text (the engine's own `fieldsJson`, a logger's bindings, a line read back), so
// every value is rendered from one form, the same way in both languages.

import type { LevelSpec } from '../options/levels';

export type Format = 'json' | 'logfmt' | 'pretty';

/** The text of the record that says how many records were dropped (the writer thread's twin). */
export const DROP_NOTICE = "records were dropped: the destination could not take them (onFull: 'drop', or write errors)";

/** Values holding none of these are written bare; surrogates (even paired) make them quoted. */
const BARE = /^[^\u0000-\u0020\u007f-\u009f"=\\\u2028\u2029\ud800-\udfff]+$/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const CONTROL_OR_QUOTE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029"\\]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function escapeOne(c: string): string {
  switch (c) {
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    case '"':
      return '\\"';
    case '\\':
      return '\\\\';
    default:
      return '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');
  }
}

/** Text with controls and lone surrogates escaped; `quoted` also escapes `"` and backslash. */
export function escapeText(s: string, quoted: boolean): string {
  return s.replace(quoted ? CONTROL_OR_QUOTE : CONTROL, escapeOne);
}

/** A logfmt value: bare when nothing in it needs quoting, else quoted and escaped. */
export function textValue(s: string): string {
  return BARE.test(s) ? s : '"' + escapeText(s, true) + '"';
}

/** `HH:MM:ss.SSS` of an epoch-ms time, in UTC. */
export function clock(t: number): string {
  return new Date(t).toISOString().slice(11, 23);
}

/** SGR colours of the standard levels: grey, cyan, green, yellow, red, magenta. */
const COLOURS: Record<string, string> = {
  '10 trace': '\x1b[90m',
  '20 debug': '\x1b[36m',
  '30 info': '\x1b[32m',
  '40 warn': '\x1b[33m',
  '50 error': '\x1b[31m',
  '60 fatal': '\x1b[35m',
};

/** A level as the text formats show it: logfmt's label, pretty's padded capitals and colour. */
export interface LevelText {
  readonly label: string;
  readonly pretty: string;
  readonly colour: string | undefined;
}

/** Where the JSON string starting at `text[from]` (a quote) ends: the index after its closing quote. */
function stringEnd(text: string, from: number): number {
  let i = from + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 34) return i + 1;
    i += c === 92 ? 2 : 1;
  }
  return text.length;
}

/**
 * Calls `fn(key, value, isString)` for each member of `,"k":v,"k2":v2` compact JSON text:
 * `value` is the string itself for strings, else the value's JSON text. Anything else ends the
 * walk; returns whether the whole text was read.
 */
export function forEachMember(text: string, fn: (key: string, value: string, isString: boolean) => void): boolean {
  let i = 0;
  for (;;) {
    if (text.charCodeAt(i) === 44) i++;
    if (i >= text.length) return true;
    if (text.charCodeAt(i) !== 34) return false;
    const keyEnd = stringEnd(text, i);
    let key: string;
    try {
      key = JSON.parse(text.slice(i, keyEnd));
    } catch {
      return false;
    }
    i = keyEnd;
    if (text.charCodeAt(i) !== 58) return false;
    const start = ++i;
    if (text.charCodeAt(i) === 34) {
      i = stringEnd(text, i);
      let value: string;
      try {
        value = JSON.parse(text.slice(start, i));
      } catch {
        return false;
      }
      fn(key, value, true);
      continue;
    }
    let depth = 0;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i = stringEnd(text, i);
        continue;
      }
      if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) depth = Math.max(0, depth - 1);
      else if (c === 44 && depth === 0) break;
      i++;
    }
    fn(key, text.slice(start, i), false);
  }
}

export interface TextLayout {
  readonly format: 'logfmt' | 'pretty';
  /** logfmt: the keys of the message and the level. */
  readonly messageKey: string;
  readonly levelKey: string;
  /** pretty: SGR colours. */
  readonly colour: boolean;
  /** The levels the logger tree knows, by number; a level not here is shown as its number. */
  readonly levels: ReadonlyMap<number, LevelText>;
  /** `\n`, or `\r\n` (crlf). */
  readonly eol: string;
}

/** The text layout of a target (levels from the logger tree's, custom ones included). */
export function textLayout(
  format: 'logfmt' | 'pretty',
  o: { messageKey: string; levelKey: string; levelSpecs: readonly Pick<LevelSpec, 'value' | 'label'>[]; crlf: boolean },
  colour: boolean,
): TextLayout {
  const levels = new Map<number, LevelText>();
  for (const { value, label } of o.levelSpecs) {
    // Custom levels are shown uncoloured: no colour says what they mean.
    levels.set(value, { label, pretty: escapeText(label.toUpperCase().padEnd(5), false), colour: COLOURS[`${value} ${label}`] });
  }
  return { format, messageKey: o.messageKey, levelKey: o.levelKey, colour, levels, eol: o.crlf ? '\r\n' : '\n' };
}

/** A record's bindings rendered once: ` key=value` pairs, and pretty's name. */
export interface RenderedBindings {
  readonly pairs: string;
  readonly name: string;
}

/** ` key=value` (pretty: the key dimmed when coloured; a nested value shown as JSON). */
export function pair(layout: TextLayout, key: string, value: string, isString: boolean): string {
  const k = textValue(key) + '=';
  const v = isString || layout.format === 'logfmt' ? textValue(value) : escapeText(value, false);
  return layout.format === 'pretty' && layout.colour ? ' \x1b[2m' + k + '\x1b[22m' + v : ' ' + k + v;
}

/** ` key=value` pairs of JSON members; pretty leaves out pid and hostname, and takes the name. */
export function renderMembers(layout: TextLayout, members: string, forBindings: boolean): RenderedBindings {
  let pairs = '';
  let name = '';
  const pretty = layout.format === 'pretty';
  forEachMember(members, (k, v, isString) => {
    if (forBindings && pretty) {
      if (k === 'name' && isString) {
        name = escapeText(v, false);
        return;
      }
      if (k === 'pid' || k === 'hostname') return;
    }
    pairs += pair(layout, k, v, isString);
  });
  return { pairs, name };
}
