// Arbitrary values as fields and messages: the call never throws, every line parses, the message
// survives the round trip, and both engines write the same bytes.
import test from 'ava';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { createLogger } from '../index.mjs';
import { tempDir } from './helpers.mjs';

const RUNS = 2000;

// Any UTF-16 code unit, lone surrogates and controls included.
const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const text = fc.oneof(fc.string(), fc.string({ unit: anyUnit }), fc.string({ unit: 'grapheme' }));
const value = fc.anything({
  key: text,
  values: [text, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.bigInt()],
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  maxDepth: 4,
});
const fields = fc.dictionary(text, value, { maxKeys: 8 });

const call = fc.oneof(
  fc.record({ form: fc.constant('fields+msg'), fields, msg: text }),
  fc.record({ form: fc.constant('msg'), msg: text }),
  fc.record({ form: fc.constant('printf'), msg: text, args: fc.array(value, { maxLength: 3 }) }),
  fc.record({ form: fc.constant('value'), value }),
);

function invoke(logger, c) {
  switch (c.form) {
    case 'fields+msg':
      return logger.info(c.fields, c.msg);
    case 'msg':
      return logger.info(c.msg);
    case 'printf':
      return logger.info(c.msg, ...c.args);
    default:
      return logger.info(c.value);
  }
}

test(`${RUNS} arbitrary calls per engine: no throw, valid lines, identical bytes`, async (t) => {
  const dir = tempDir();
  const paths = { native: join(dir, 'native.log'), js: join(dir, 'js.log') };
  const loggers = Object.fromEntries(
    Object.entries(paths).map(([engine, destination]) => [engine, createLogger({ engine, destination, timestamp: false })]),
  );
  const calls = [];
  fc.assert(
    fc.property(call, (c) => {
      for (const logger of Object.values(loggers)) invoke(logger, c);
      calls.push(c);
    }),
    { numRuns: RUNS },
  );
  await Promise.all(Object.values(loggers).map((l) => l.close()));
  t.is(loggers.native.getStats().written, RUNS);
  t.is(loggers.js.getStats().written, RUNS);

  const native = readFileSync(paths.native);
  t.true(native.equals(readFileSync(paths.js)), 'both engines wrote the same bytes');
  const lines = native.toString('utf8').split('\n');
  t.is(lines.pop(), '');
  t.is(lines.length, RUNS);
  lines.forEach((line, i) => {
    let rec;
    try {
      rec = JSON.parse(line);
    } catch (e) {
      t.fail(`line ${i} does not parse: ${e.message}: ${line.slice(0, 300)}`);
      return;
    }
    const c = calls[i];
    const ownMsgKey = c.form === 'fields+msg' && Object.prototype.hasOwnProperty.call(c.fields, 'msg');
    if ((c.form === 'fields+msg' || c.form === 'msg') && !ownMsgKey) {
      if (rec.msg !== c.msg) t.fail(`line ${i}: the message did not survive: ${JSON.stringify(c.msg)}`);
    }
  });
  t.pass();
});

test('numbers: both engines print every double as JavaScript does', async (t) => {
  const dir = tempDir();
  const paths = { native: join(dir, 'native.log'), js: join(dir, 'js.log') };
  const loggers = Object.fromEntries(
    Object.entries(paths).map(([engine, destination]) => [engine, createLogger({ engine, destination, timestamp: false, base: null })]),
  );
  const numbers = fc.oneof(
    fc.double(),
    fc.integer({ min: -1e9, max: 1e9 }).map((i) => i / 1000),
    fc.integer({ min: -1e12, max: 1e12 }).map((i) => i / 1e6),
    fc.integer().map((i) => i * 1e-7),
    fc.double({ min: 1e-8, max: 1e10, noNaN: true }),
  );
  const seen = [];
  fc.assert(
    fc.property(numbers, (n) => {
      seen.push(n);
      for (const l of Object.values(loggers)) l.info({ n });
    }),
    { numRuns: 10_000 },
  );
  await Promise.all(Object.values(loggers).map((l) => l.close()));
  const expected = seen.map((n) => JSON.stringify({ level: 30, n }) + '\n').join('');
  t.is(readFileSync(paths.native, 'utf8'), expected);
  t.is(readFileSync(paths.js, 'utf8'), expected);
});
