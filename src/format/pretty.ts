// pretty for the pure-JS engine: `HH:MM:ss.SSS LEVEL name: message`, then the pairs, byte for
// byte what crates/kakashi-core/src/format/pretty.rs writes.

import type { TextLayout } from './text';
import { clock, escapeText } from './text';

/** The line's start: clock (UTC) or a custom time's pairs, level (coloured when asked), name, message. */
export function line(layout: TextLayout, level: number, time: number | undefined, customTime: string, name: string, msg: string | undefined): string {
  const l = layout.levels.get(level);
  let out = time !== undefined ? clock(time) + ' ' : customTime !== '' ? customTime.slice(1) + ' ' : '';
  const label = l?.pretty ?? String(level);
  out += layout.colour && l?.colour !== undefined ? l.colour + label + '\x1b[39m' : label;
  if (name !== '') out += ' ' + name + ':';
  if (msg !== undefined) out += ' ' + escapeText(msg, false);
  return out;
}
