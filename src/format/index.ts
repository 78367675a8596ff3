// Lines in one of three formats, for the pure-JS engine and the CLI, file for file the twins of
// crates/kakashi-core/src/format/: json.ts, logfmt.ts and pretty.ts each write one format;
// text.ts holds what logfmt and pretty share.

import { line as logfmtLine } from './logfmt';
import { line as prettyLine } from './pretty';
import { type RenderedBindings, renderMembers, type TextLayout } from './text';

export { JsonFormat, type JsonLayout } from './json';
export { DROP_NOTICE, forEachMember, type Format, pair, type RenderedBindings, renderMembers, textLayout, type TextLayout } from './text';

/** One logfmt or pretty line (with its newline). `time` is epoch ms, a custom time's JSON members, or undefined. */
export function textLine(
  layout: TextLayout,
  level: number,
  time: number | string | undefined,
  bindings: RenderedBindings,
  fields: string,
  msg: string | undefined,
): string {
  const customTime = typeof time === 'string' ? renderMembers(layout, time, false).pairs : '';
  const clock = typeof time === 'number' ? time : undefined;
  const head = layout.format === 'pretty' ? prettyLine(layout, level, clock, customTime, bindings.name, msg) : logfmtLine(layout, level, clock, customTime, msg);
  return head + bindings.pairs + fields + layout.eol;
}

/** The text formats' line for the JS engine, keeping the last bindings rendered (a logger's records mostly share them). */
export class TextFormat {
  private bindings: { json: string; rendered: RenderedBindings } | undefined;

  constructor(private readonly layout: TextLayout) {}

  line(level: number, time: number | string | undefined, bindings: string, members: string, msg: string | undefined): string {
    if (this.bindings?.json !== bindings) this.bindings = { json: bindings, rendered: renderMembers(this.layout, bindings, true) };
    return textLine(this.layout, level, time, this.bindings.rendered, renderMembers(this.layout, members, false).pairs, msg);
  }
}
