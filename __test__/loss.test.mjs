// No silent loss at the edges: records whose captured strings, numbers and ops end at every
// offset around the capture arrays' ends and growth; log calls made while a record is being
// captured; records logged in exit listeners; records too large for one JS string; a second
// close(); loggers taken before setup(); one path opened twice. Both engines.
import test from 'ava';
import fc from 'fast-check';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { createLogger } from '../index.mjs';
import { ENGINES, readRecords, ROOT, tempDir } from './helpers.mjs';

/** Runs an ES module in a fresh Node process, with `k` the package. */
function script(code, options = {}) {
  const source = `import k from ${JSON.stringify(join(ROOT, 'index.mjs'))};\n${code}`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', source], { encoding: 'utf8', timeout: 120_000, ...options });
  if (r.error) throw r.error;
  return r;
}

// The native encoder's capture arrays (src/capture/batch.ts) start at 512 UTF-16 units of short
// strings, 256 ops and 128 numbers and double as records need room: 32 Ki units, 8 Ki ops and
// 4 Ki numbers are the sizes a full batch reaches. A record's field of a 24-unit key and a
// 24-unit value takes 48 units and 2 ops; a numeric field with a 1-unit key, 1 unit, 2 ops and
// 1 number.
const FIRST = { chars: 512, ops: 256, nums: 128 };
const CHARS = 32 * 1024;
const OPS = 8 * 1024;
const NUMS = 4 * 1024;

/**
 * A record whose captured units, ops or numbers total about `target`: fields of `unit`-unit keys
 * and values (so that the last field can end anywhere near an array's end), booleans and nulls
 * (ops alone), or numbers.
 */
function wide(kind, target, unit, seed) {
  const fields = {};
  if (kind === 'chars') {
    const n = Math.floor(target / (2 * unit));
    for (let i = 0; i < n; i++) fields[`k${String(i).padStart(unit - 1, '0')}`] = `v${String(i + seed).padStart(unit - 1, '0')}`;
  } else if (kind === 'ops') {
    for (let i = 0; i < Math.floor(target / 2); i++) fields[`o${i}`] = i % 3 === 0 ? true : i % 3 === 1 ? null : 'y';
  } else {
    for (let i = 0; i < target; i++) fields[`n${i}`] = i + seed + 0.5;
  }
  return fields;
}

test('the sweeps below use the encoder\'s first sizes', (t) => {
  const source = readFileSync(join(ROOT, 'src', 'capture', 'batch.ts'), 'utf8');
  const first = (name) => Number(new RegExp(`const ${name}_FIRST = (\\d+);`).exec(source)?.[1]);
  t.deepEqual({ chars: first('CHARS'), ops: first('OPS'), nums: first('NUMS') }, FIRST);
});

for (const engine of ENGINES) {
  test(`${engine}: records that end at every offset around the capture arrays' ends and growth all arrive whole`, async (t) => {
    const kinds = [
      ['chars', CHARS],
      ['ops', OPS],
      ['nums', NUMS],
      ['chars', FIRST.chars],
      ['ops', FIRST.ops],
      ['nums', FIRST.nums],
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            // A message of 1 to 24 units follows the fields in the short-string array.
            fc.record({
              kind: fc.constantFrom(...kinds),
              delta: fc.integer({ min: -60, max: 60 }),
              times: fc.constantFrom(1, 2, 4),
              unit: fc.integer({ min: 8, max: 24 }),
              msg: fc.string({ minLength: 1, maxLength: 24 }),
            }),
            fc.record({ small: fc.dictionary(fc.string({ minLength: 1, maxLength: 30 }), fc.oneof(fc.string({ maxLength: 40 }), fc.double(), fc.boolean())), msg: fc.string({ maxLength: 30 }) }),
          ),
          { minLength: 1, maxLength: 6 },
        ),
        // Through the root, a child (its bindings sent as values), or with a printf object (a message template).
        fc.array(fc.constantFrom('root', 'child', 'template'), { minLength: 6, maxLength: 6 }),
        async (plan, via) => {
          const path = join(tempDir(), 'edge.log');
          const log = createLogger({ engine, destination: path, base: null, timestamp: false });
          const expected = [];
          plan.forEach((p, i) => {
            const fields = p.small ?? wide(p.kind[0], p.kind[1] * p.times + p.delta, p.unit, i);
            const bound = via[i] === 'child' ? { c: i, s: 'b'.repeat(i * 7) } : {};
            const logger = via[i] === 'child' ? log.child(bound) : log;
            const msg = via[i] === 'template' ? `t ${JSON.stringify({ i, m: p.msg })}` : p.msg;
            // seq first: the record's last field is the generated one, its message right after it.
            if (via[i] === 'template') logger.info({ seq: i, ...fields }, 't %j', { i, m: p.msg });
            else logger.info({ seq: i, ...fields }, p.msg);
            expected.push({ level: 30, ...bound, seq: i, ...JSON.parse(JSON.stringify(fields)), msg });
          });
          await log.close();
          const records = readRecords(t, path);
          t.is(records.length, expected.length);
          records.forEach((r, i) => t.deepEqual(r, expected[i]));
          t.is(log.getStats().dropped, 0);
        },
      ),
      { numRuns: 60 },
    );
  });

  test(`${engine}: a record whose last field ends at each offset around each capture array's end (and the end after its growth) arrives whole`, async (t) => {
    const path = join(tempDir(), 'sweep.log');
    const log = createLogger({ engine, destination: path, base: null, timestamp: false });
    const child = log.child({ b: 1 });
    const expected = [];
    const logged = (logger, fields, msg, extra = {}) => {
      logger.info(fields, msg);
      expected.push({ level: 30, ...extra, ...fields, msg });
      // Each case first in its batch: its own records decide where the arrays end.
      logger.flushSync();
    };
    const msg = 'm'.repeat(24);
    for (const capacity of [FIRST.chars, 2 * FIRST.chars, CHARS, 2 * CHARS]) {
      // Short strings: fillers of 0..47 units, then fields of 24-unit keys and values (the
      // largest that go to the short-string array); the last field's end lands at every offset
      // from 60 units before the array's end to 8 after it, the message right after it.
      for (let end = capacity - 60; end <= capacity + 8; end++) {
        const fixed = 3 + 1 + 1; // "seq", "f", "g"
        const n = Math.floor((end - fixed) / 48);
        const filler = end - fixed - 48 * n;
        const fields = { seq: end, f: 'x'.repeat(Math.min(24, filler)), g: 'y'.repeat(filler - Math.min(24, filler)) };
        for (let i = 0; i < n; i++) fields[`k${String(i).padStart(23, '0')}`] = `v${String(i).padStart(23, '0')}`;
        logged(log, fields, msg);
      }
    }
    for (const capacity of [FIRST.ops, 2 * FIRST.ops, OPS, 2 * OPS]) {
      // Ops: REC, 2 per field, MSG, END; a child's BINDINGS op makes the count even.
      for (let total = capacity - 10; total <= capacity + 4; total++) {
        const viaChild = total % 2 === 0;
        const fields = { seq: total };
        for (let i = 0; i < (total - 5 - (viaChild ? 1 : 0)) / 2 - 1; i++) fields[`o${i}`] = i % 2 === 0;
        logged(viaChild ? child : log, fields, 'o', viaChild ? { b: 1 } : {});
      }
    }
    for (const capacity of [FIRST.nums, 2 * FIRST.nums, NUMS, 2 * NUMS]) {
      // Numbers: the record's time slot, then one per numeric field.
      for (let total = capacity - 6; total <= capacity + 2; total++) {
        const fields = { seq: total };
        for (let i = 0; i < total - 2; i++) fields[`n${i}`] = i + 0.5;
        logged(log, fields, 'n');
      }
    }
    await log.close();
    const records = readRecords(t, path);
    t.is(records.length, expected.length);
    records.forEach((r, i) => t.deepEqual(r, expected[i], `record ${i}`));
    t.is(log.getStats().dropped, 0);
  });

  test(`${engine}: a lazy field, getter or toJSON that logs while its record is captured loses nothing`, async (t) => {
    const path = join(tempDir(), 'reentrant.log');
    const log = createLogger({ engine, destination: path, base: null, timestamp: false });
    const child = log.child({ via: 'child' });
    for (let i = 0; i < 150; i++) {
      log.info(
        {
          i,
          lazy: () => (log.info({ inner: 'lazy', i }), 'computed'),
          get getter() {
            child.warn({ inner: 'getter', i });
            return 'got';
          },
          nested: { toJSON: () => (log.error({ inner: 'toJSON', i }), 'json') },
        },
        'outer',
      );
    }
    await log.close();
    const records = readRecords(t, path);
    t.is(records.length, 600, 'every outer and inner record');
    t.is(records.filter((r) => r.msg === 'outer').length, 150);
    t.true(records.filter((r) => r.msg === 'outer').every((r) => r.lazy === 'computed' && r.getter === 'got' && r.nested === 'json'));
    for (const inner of ['lazy', 'getter', 'toJSON']) t.is(records.filter((r) => r.inner === inner).length, 150, inner);
    t.true(records.filter((r) => r.inner === 'getter').every((r) => r.via === 'child'));
  });

  test(`${engine}: a record logged in an exit listener registered after the logger is written`, (t) => {
    const path = join(tempDir(), 'exit-listener.log');
    const r = script(`
      const log = k.createLogger({ engine: '${engine}', destination: ${JSON.stringify(path)}, base: null, timestamp: false });
      log.info('before');
      process.on('exit', (code) => { log.info({ code }, 'shutting down'); log.child({ c: 1 }).warn('and a child'); });
      setTimeout(() => process.exit(3), 10);
    `);
    t.is(r.status, 3, r.stderr);
    t.deepEqual(readRecords(t, path), [{ level: 30, msg: 'before' }, { level: 30, code: 3, msg: 'shutting down' }, { level: 40, c: 1, msg: 'and a child' }]);
  });

  test(`${engine}: a record whose strings pass V8's longest string is written, its long strings cut and marked; the call does not throw`, (t) => {
    const path = join(tempDir(), 'huge.log');
    const r = script(`
      const log = k.createLogger({ engine: '${engine}', destination: ${JSON.stringify(path)}, base: null, timestamp: false });
      const half = 'x'.repeat(2 ** 28);
      log.info('small before');
      log.info({ a: half, b: half }, 'huge');
      log.info(half, half);
      log.info('small after');
      await log.close();
      process.stdout.write(JSON.stringify(log.getStats()));
    `);
    t.is(r.status, 0, r.stderr);
    const lines = readFileSync(path, 'utf8').split('\n');
    t.is(lines.length, 5);
    t.is(lines[0], '{"level":30,"msg":"small before"}');
    t.is(lines[3], '{"level":30,"msg":"small after"}');
    const huge = JSON.parse(lines[1]);
    t.is(huge.msg, 'huge');
    t.true(huge.a.length + huge.b.length < 2 ** 29 && huge.b.endsWith('characters cut: the record was too large]'));
    // printf would join the two: the message says what happened instead.
    t.is(JSON.parse(lines[2]).msg, '[Throws] Invalid string length');
    t.is(JSON.parse(r.stdout).dropped, 0);
  });

  test(`${engine}: a second close() resolves only once everything is written`, async (t) => {
    const path = join(tempDir(), 'close.log');
    const log = createLogger({ engine, destination: path, base: null, timestamp: false });
    for (let i = 0; i < 20_000; i++) log.info({ i, pad: 'p'.repeat(100) });
    const first = log.close();
    await log.close();
    t.is(readFileSync(path, 'utf8').split('\n').length - 1, 20_000);
    await first;
  });

  test(`${engine}: loggers from getLogger() before setup() take the application's configuration`, (t) => {
    const dir = tempDir();
    const r = script(`
      const db = k.getLogger('db');                  // a module loaded before the application's setup()
      const root = k.getLogger();
      k.setup('production', { engine: '${engine}', destination: ${JSON.stringify(join(dir, 'app.log'))}, base: null, timestamp: false });
      db.info('from db');
      root.info('from root');
      k.setup('production', { engine: '${engine}', destination: ${JSON.stringify(join(dir, 'second.log'))}, base: null, timestamp: false });
      db.warn('after the second setup');
      await k.getLogger().flush();
    `, { stdio: ['ignore', 'pipe', 'pipe'] });
    t.is(r.status, 0, r.stderr);
    t.deepEqual(readRecords(t, join(dir, 'app.log')), [{ level: 30, name: 'db', msg: 'from db' }, { level: 30, msg: 'from root' }]);
    t.deepEqual(readRecords(t, join(dir, 'second.log')), [{ level: 40, name: 'db', msg: 'after the second setup' }]);
  });

  test(`${engine}: one path opened twice, with append: false and with rotation, shares one file: nothing truncated under a writer, nothing lost`, async (t) => {
    const path = join(tempDir(), 'shared.log');
    writeFileSync(path, '{"old":true}\n');
    const first = createLogger({ engine, destination: { path, append: false }, base: null, timestamp: false });
    first.info('one');
    await first.flush();
    const second = createLogger({ engine, destination: { path, append: false }, base: null, timestamp: false });
    const rotating = createLogger({ engine, destination: { path, rotate: { size: 200, keep: 100 } }, base: null, timestamp: false });
    for (let i = 0; i < 50; i++) {
      second.info({ i }, 'two');
      rotating.info({ i }, 'three');
    }
    await Promise.all([first.close(), second.close(), rotating.close()]);
    const text = readFileSync(path, 'utf8');
    t.false(text.includes('\u0000'), 'no NUL bytes');
    t.false(text.includes('"old"'), 'the first opener truncated');
    t.true(text.startsWith('{"level":30,"msg":"one"}\n'));
    t.is(text.split('\n').length - 1, 101, 'every record, in one file (the first opener had no rotation rule)');
  });
}

for (const engine of ENGINES) test(`${engine}: onFull drop behind a stdout nobody reads: process.exit(), fatal() and flush() end within exitTimeout`, async (t) => {
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import k from ${JSON.stringify(join(ROOT, 'index.mjs'))};
       const log = k.createLogger({ engine: '${engine}', onFull: 'drop', exitTimeout: 300 });
       for (let i = 0; i < 200000; i++) log.info({ i, pad: 'x'.repeat(200) });
       const started = Date.now();
       await log.flush();
       log.fatal('fatal returns');
       process.stderr.write('ELAPSED ' + (Date.now() - started) + '\\n');
       process.exit(0);`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const started = Date.now();
  // ('exit', not 'close': stdout is left unread on purpose; stderr is read to its end.)
  const code = await new Promise((resolve) => child.on('exit', resolve));
  if (!child.stderr.readableEnded) await new Promise((resolve) => child.stderr.on('end', resolve));
  t.is(code, 0, stderr);
  t.true(Date.now() - started < 30_000, 'the process ended');
  const elapsed = Number(/ELAPSED (\d+)/.exec(stderr)?.[1]);
  // exitTimeout is 300 ms for each of the two; a loaded runner may add a moment to either.
  t.true(elapsed < 3_000, `flush() and fatal() returned after ${elapsed} ms`);
  t.regex(stderr, /records could not be written before exit/);
  child.stdout.destroy();
});

test('native: loggers dropped without close() are collected: the exit hooks hold them weakly', (t) => {
  const source = `import k from ${JSON.stringify(join(ROOT, 'index.mjs'))};
    const before = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 1000; i++) k.createLogger({ engine: 'native', destination: '/dev/null' }).info({ i }, 'never closed');
    await new Promise((resolve) => setTimeout(resolve, 200)); // the flush timers run
    for (let i = 0; i < 5; i++) { globalThis.gc(); await new Promise((resolve) => setImmediate(resolve)); }
    process.stdout.write(String((process.memoryUsage().arrayBuffers - before) / 1e6));`;
  const r = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', source], { encoding: 'utf8', timeout: 60_000 });
  t.is(r.status, 0, r.stderr);
  // Each native logger's capture arrays take 128 KiB: 1,000 held would be 131 MB.
  t.true(Number(r.stdout) < 20, `${r.stdout} MB of capture arrays left after GC`);
});
