// The JSON format for the pure-JS engine: byte for byte what crates/kakashi-core/src/format/json.rs
// writes — pino's keys and order (`level`, `time`, bindings, fields, `msg`). A record's fields
// become JSON members here once, whatever the number of targets; logfmt and pretty render from
// those members too.

import type { Dialect } from '../dialect';
import type { LevelSpec } from '../options/levels';
import type { FieldRedactor } from '../redact';
import { cutLong, cutLongStrings, fieldsJson, jsonValue, quote } from '../serialize';
import type { TimeChoice } from '../time';

/** What a logger tree's JSON lines are made of, computed once. */
export interface JsonLayout {
  readonly time: TimeChoice;
  readonly dialect: Dialect;
  readonly levelSpecs: readonly LevelSpec[];
  readonly levelKey: string;
  readonly messageKey: string;
  readonly nestedKey: string | undefined;
  readonly crlf: boolean;
}

export class JsonFormat {
  /** `{"level":30` and the like, indexed by level. */
  private readonly levelOpen: string[] = [];
  private readonly levelKey: string;
  /** `}\n`, or `}\r\n` (crlf). */
  private readonly end: string;
  /** `,"payload":{`: pino's nestedKey. */
  private readonly nestedOpen: string | undefined;
  /** `,"msg":`, or the messageKey chosen. */
  readonly msgKey: string;
  private readonly time: TimeChoice;
  private readonly dialect: Dialect;

  constructor(o: JsonLayout) {
    for (const l of o.levelSpecs) this.levelOpen[l.value] = '{' + l.member;
    this.levelKey = o.levelKey;
    this.end = o.crlf ? '}\r\n' : '}\n';
    this.nestedOpen = o.nestedKey === undefined ? undefined : ',' + quote(o.nestedKey) + ':{';
    this.msgKey = ',' + quote(o.messageKey) + ':';
    this.time = o.time;
    this.dialect = o.dialect;
  }

  /** A record's members and its string message (see members()); never throws. */
  record(fields: object | undefined, redact: FieldRedactor | undefined, msg: unknown): [string, string | undefined] {
    try {
      return [this.members(fields, redact, msg), typeof msg === 'string' ? msg : undefined];
    } catch {
      // The record's strings together pass V8's longest string: cut the long ones, marked.
      const cut = cutLong(msg);
      return [this.members(fields === undefined ? undefined : cutLongStrings(fields), redact, cut), typeof cut === 'string' ? cut : undefined];
    }
  }

  /**
   * A record's fields as JSON members (under nestedKey, if set), and a message that is not a
   * string (pino writes `"msg":42`) as the last member.
   */
  members(fields: object | undefined, redact: FieldRedactor | undefined, msg: unknown): string {
    let members = fields === undefined ? '' : fieldsJson(fields, redact, this.dialect);
    if (this.nestedOpen !== undefined && members !== '') members = this.nestedOpen + members.slice(1) + '}';
    if (msg !== undefined && typeof msg !== 'string') {
      const j = jsonValue(msg, this.dialect);
      if (j !== undefined) members += this.msgKey + j;
    }
    return members;
  }

  /** One line: `time` is epoch ms, a custom time's members, or undefined. */
  line(level: number, time: number | string | undefined, bindings: string, members: string, msg: string | undefined): string {
    let line = this.levelOpen[level] ?? '{' + quote(this.levelKey) + ':' + level;
    if (typeof time === 'string') line += time;
    else if (time !== undefined) line += this.time === 'iso' ? ',"time":"' + new Date(time).toISOString() + '"' : ',"time":' + (this.time === 'unix' ? Math.round(time / 1000) : time);
    line += bindings + members;
    if (msg !== undefined) line += this.msgKey + quote(msg);
    return line + this.end;
  }
}
