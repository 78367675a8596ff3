#!/usr/bin/env node
// `kakashi pretty [file] [--level warn] [--color | --no-color]`: NDJSON (Kakashi's or pino's)
// from a file or stdin, printed in the pretty format the writer thread uses. A line that is not
// a JSON object is passed through unchanged.

import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

import { LEVELS, levelValue, STANDARD_LEVELS } from './levels';
import { forEachMember, pair, textLayout, textLine, type TextLayout } from './format';

const USAGE = `usage: kakashi pretty [file] [--level <level>] [--color | --no-color]
  Reads NDJSON log lines (Kakashi's or pino's) from file, or stdin, and prints them readably.
  --level     only records at this level or above (non-JSON lines always pass)
  --color     colour even when stdout is not a terminal; --no-color never (also NO_COLOR=1)`;

interface Args {
  file: string | undefined;
  minLevel: number;
  colour: boolean;
}

function parseArgs(argv: string[]): Args {
  const [command, ...rest] = argv;
  if (command !== 'pretty') throw new Error(command === undefined ? 'a command is required' : `unknown command ${JSON.stringify(command)}`);
  const args: Args = { file: undefined, minLevel: 0, colour: process.stdout.isTTY === true && !process.env.NO_COLOR };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--level') args.minLevel = levelValue(rest[++i], '--level');
    else if (a.startsWith('--level=')) args.minLevel = levelValue(a.slice(8), '--level');
    else if (a === '--color' || a === '--colour') args.colour = true;
    else if (a === '--no-color' || a === '--no-colour') args.colour = false;
    else if (a.startsWith('-') && a !== '-') throw new Error(`unknown option ${a}`);
    else if (args.file === undefined) args.file = a === '-' ? undefined : a;
    else throw new Error('only one file may be given');
  }
  return args;
}

/** Base bindings a pretty line shows as its name (or leaves out) when they lead the line. */
const LEADING = new Set(['pid', 'hostname', 'name', 'v']);

/** The pretty line for one NDJSON line, '' when its level is filtered out, or the line itself. */
function prettyLine(line: string, layout: TextLayout, minLevel: number): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return line + '\n';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return line + '\n';
  // Lines as loggers write them are read as they are (duplicate keys and key order kept);
  // JSON written another way (spaces, pretty-printed) is read back through JSON.parse.
  let members: [string, string, boolean][] = [];
  if (!forEachMember(line.trim().slice(1, -1), (k, v, isString) => members.push([k, v, isString]))) {
    members = [];
    forEachMember(JSON.stringify(parsed).slice(1, -1), (k, v, isString) => members.push([k, v, isString]));
  }
  // What format: 'pretty' takes as the record's own, by position as the JSON format writes
  // them: level and time first, then the base bindings pid, hostname and name, the message
  // last. The same keys anywhere else are fields, shown as pairs.
  let at = 0;
  let level = 30;
  let time: number | undefined;
  let name = '';
  if (members[at]?.[0] === 'level') {
    const [, v, isString] = members[at++];
    level = isString ? (LEVELS[v as keyof typeof LEVELS] ?? 30) : Number(v);
  }
  if (members[at]?.[0] === 'time') {
    const [, v, isString] = members[at++];
    time = isString ? Date.parse(v) : Number(v);
    if (!(Math.abs(time) <= 8.64e15)) time = undefined; // what a Date can hold
  }
  for (; at < members.length && LEADING.has(members[at][0]); at++) {
    const [k, v, isString] = members[at];
    if (k === 'name' && isString) name = v;
  }
  const last = members[members.length - 1];
  const msg = members.length > at && last[0] === 'msg' && last[2] ? last[1] : undefined;
  let pairs = '';
  for (const [k, v, isString] of members.slice(at, msg === undefined ? undefined : -1)) pairs += pair(layout, k, v, isString);
  if (level < minLevel) return '';
  return textLine(layout, level, time, { pairs: '', name }, pairs, msg);
}

async function main(): Promise<void> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`kakashi: ${(e as Error).message.replace(/^kakashi: /, '')}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const levelSpecs = STANDARD_LEVELS.names.map((label) => ({ value: STANDARD_LEVELS.view.values[label], label }));
  const layout: TextLayout = textLayout('pretty', { messageKey: 'msg', levelKey: 'level', levelSpecs, crlf: false }, args.colour);
  const input = args.file === undefined ? process.stdin : createReadStream(args.file);
  // A reader that goes away (`| head`) ends the output quietly.
  process.stdout.on('error', () => process.exit(process.exitCode ?? 0));
  try {
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      const out = prettyLine(line, layout, args.minLevel);
      if (out !== '' && !process.stdout.write(out)) await new Promise((r) => process.stdout.once('drain', r));
    }
  } catch (e) {
    process.stderr.write(`kakashi: cannot read ${args.file ?? 'stdin'}: ${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}

if (require.main === module) void main();
