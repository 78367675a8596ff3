// A log line cannot be forged: hostile text in messages, keys and values — newlines, CR, U+2028,
// NUL, ANSI escapes, lone surrogates, text decoded from invalid UTF-8 — never yields a second
// line or a raw control byte, and reads back as it was sent. 10,000 cases per engine.
import test from 'ava';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { createLogger } from '../index.mjs';
import kpino from '../pino.mjs';
import { ENGINES, tempDir } from './helpers.mjs';

const RUNS = 10_000;
const nasty = fc.constantFrom('\n', '\r', '\u2028', '\u2029', '\u0000', '\u001b[31m', '\u001b]0;title\u0007', '\ud800', '\udfff', '"', '\\', '\t', '\u007f', '\u0085');
const text = fc.oneof(
  fc.string({ unit: fc.oneof(nasty, fc.string({ maxLength: 1 })) }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }),
  fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString('utf8')),
  fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString('latin1')),
);
const record = fc.record({ key: text, value: text, msg: text });

for (const engine of ENGINES) {
  test(`${engine}: ${RUNS} hostile records, each exactly one clean line that reads back`, async (t) => {
    const path = join(tempDir(), 'hostile.log');
    const log = createLogger({ engine, destination: path, base: null, timestamp: false });
    const sent = [];
    fc.assert(
      fc.property(record, (r) => {
        sent.push(r);
        log.info({ [r.key]: r.value }, r.msg);
      }),
      { numRuns: RUNS },
    );
    await log.close();
    const bytes = readFileSync(path);
    const lines = bytes.toString('utf8').split('\n');
    t.is(lines.pop(), '');
    t.is(lines.length, RUNS, 'one line per record');
    for (let i = 0; i < bytes.length - 1; i++) {
      if (bytes[i] < 0x20 && bytes[i] !== 0x0a) t.fail(`raw control byte ${bytes[i]} at ${i}`);
    }
    lines.forEach((line, i) => {
      const back = JSON.parse(line);
      const { key, value, msg } = sent[i];
      if (back.msg !== msg || (key !== 'level' && key !== 'msg' && back[key] !== value)) {
        t.fail(`record ${i} did not read back: ${JSON.stringify(sent[i])}`);
      }
    });
    t.pass();
  });
}

for (const engine of ENGINES) {
  test(`${engine}: hostile child bindings, each child's record one clean line that reads back; a throwing getter writes "[Throws]"`, async (t) => {
    const path = join(tempDir(), 'bindings.log');
    const log = createLogger({ engine, destination: path, base: null, timestamp: false });
    const sent = [];
    fc.assert(
      fc.property(record, (r) => {
        sent.push(r);
        log.child({ [r.key]: r.value, n: 1 }).child({ deep: r.msg }).info(r.msg);
      }),
      { numRuns: RUNS / 10 },
    );
    log.child(Object.defineProperty({ ok: 1 }, 'bad', { enumerable: true, get() { throw new Error('no'); } })).info('getter');
    await log.close();
    const lines = readFileSync(path, 'utf8').split('\n');
    t.is(lines.pop(), '');
    t.is(lines.length, sent.length + 1, 'one line per record');
    sent.forEach((r, i) => {
      const back = JSON.parse(lines[i]);
      if (back.msg !== r.msg || back.deep !== r.msg || (!['level', 'msg', 'n', 'deep'].includes(r.key) && back[r.key] !== r.value)) {
        t.fail(`record ${i} did not read back: ${JSON.stringify(r)} as ${lines[i]}`);
      }
    });
    t.is(lines.at(-1), '{"level":30,"ok":1,"bad":"[Throws]","msg":"getter"}');
  });
}

for (const [api, make] of [
  ['kakashi', (engine, path) => createLogger({ engine, destination: path, base: null, timestamp: false })],
  ['kakashi/pino', (engine, path) => kpino({ engine, base: null, timestamp: false }, kpino.destination(path))],
]) test(`${api}: hostile %j objects write the bytes JSON.stringify makes, on both engines`, async (t) => {
  const scalar = fc.oneof(text, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined));
  const value = fc.oneof(fc.dictionary(text, scalar, { maxKeys: 20 }), fc.array(scalar, { maxLength: 20 }), fc.dictionary(text, fc.oneof(scalar, fc.array(scalar)), { maxKeys: 4 }));
  // Messages without tokens of their own (some hold U+FDD0, the placeholder: formatted the old way).
  const cases = fc.sample(fc.record({ msg: fc.oneof(text, fc.constant('\ufdd0')).map((m) => m.replaceAll('%', '')), v: value }), 2000);
  const out = {};
  for (const engine of ENGINES) {
    const path = join(tempDir(), `${engine}.log`);
    const log = make(engine, path);
    for (const { msg, v } of cases) log.info(`${msg} %j.`, v);
    await log.close();
    out[engine] = readFileSync(path, 'utf8');
  }
  t.is(out.native, out.js);
  const lines = out.js.split('\n');
  lines.pop();
  t.is(lines.length, cases.length);
  cases.forEach(({ msg, v }, i) => {
    if (JSON.parse(lines[i]).msg !== `${msg} ${JSON.stringify(v)}.`) t.fail(`record ${i}: ${lines[i]}`);
  });
});
