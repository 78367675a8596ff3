// The format specification (spec/corpus/*.json), run through both engines: each case's records
// logged as a JavaScript caller would log them, and the bytes compared with the case's, for
// every format. `cargo test -p kakashi-core --test corpus` runs the same cases through the
// writer's formatters. (KAKASHI_CORPUS_WRITE=1 fills in a new case's bytes from the JS engine,
// to be read and checked by a person before they are committed.)
import test from 'ava';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { createLogger } from '../index.mjs';
import { ENGINES, ROOT, tempDir } from './helpers.mjs';

const DIR = join(ROOT, 'spec', 'corpus');
const FORMATS = ['json', 'logfmt', 'pretty'];
const STANDARD = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/** A captured value as the JavaScript value a caller logs. */
function value(v) {
  if ('str' in v) return v.str;
  if ('units' in v) return String.fromCharCode(...v.units);
  if ('num' in v) return v.num;
  if ('bool' in v) return v.bool;
  if ('null' in v) return null;
  if ('raw' in v) return JSON.parse(v.raw);
  throw new Error(`unknown value ${JSON.stringify(v)}`);
}

async function logged(engine, format, c) {
  const path = join(tempDir(), 'corpus.log');
  const { timestamp, colors, ...options } = c.options;
  const base = c.bindings ? JSON.parse('{' + c.bindings.slice(1) + '}') : null;
  let customTime = '';
  const time = timestamp === 'custom' ? () => customTime : (timestamp ?? 'epoch');
  const log = createLogger({ engine, format, colors: colors ?? false, destination: path, base, level: 'trace', timestamp: time, ...options });
  const names = { ...STANDARD, ...Object.fromEntries(Object.entries(c.options.customLevels ?? {}).map(([k, n]) => [n, k])) };
  const now = Date.now;
  try {
    for (const r of c.records) {
      Date.now = () => r.time ?? 0;
      customTime = r.customTime ?? '';
      const fields = r.fields === undefined ? undefined : Object.fromEntries(r.fields.map(([k, v]) => [k, value(v)]));
      const method = log[names[r.level]].bind(log);
      if (fields === undefined) method(...(r.msg === undefined ? [] : [r.msg]));
      else method(fields, ...(r.msg === undefined ? [] : [r.msg]));
    }
  } finally {
    Date.now = now;
  }
  await log.close();
  return readFileSync(path, 'utf8');
}

const write = process.env.KAKASHI_CORPUS_WRITE === '1';
for (const file of readdirSync(DIR).filter((f) => f.endsWith('.json'))) {
  const cases = JSON.parse(readFileSync(join(DIR, file), 'utf8'));
  for (const c of cases) {
    test(`corpus ${file}: ${c.name}`, async (t) => {
      if (write && c.expect === undefined) {
        c.expect = {};
        for (const format of FORMATS) c.expect[format] = await logged('js', format, c);
      }
      t.truthy(c.expect, 'the case says what each format writes');
      for (const format of FORMATS) {
        for (const engine of ENGINES) t.is(await logged(engine, format, c), c.expect[format], `${format}, ${engine} engine`);
      }
    });
  }
  if (write) test.after(() => writeFileSync(join(DIR, file), JSON.stringify(cases, null, 2) + '\n'));
}
