// logfmt for the pure-JS engine: `level=info time=… msg="…"` and then the pairs, byte for byte
// what crates/kakashi-core/src/format/logfmt.rs writes.

import type { TextLayout } from './text';
import { textValue } from './text';

/** The line's start: level, time (ISO, UTC) or a custom time's pairs, message. */
export function line(layout: TextLayout, level: number, time: number | undefined, customTime: string, msg: string | undefined): string {
  const l = layout.levels.get(level);
  let out = textValue(layout.levelKey) + '=' + (l === undefined ? String(level) : textValue(l.label));
  out += time !== undefined ? ' time=' + new Date(time).toISOString() : customTime;
  if (msg !== undefined) out += ' ' + textValue(layout.messageKey) + '=' + textValue(msg);
  return out;
}
