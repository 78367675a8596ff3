// File rotation on both engines: by size with a small limit, with gzip and pruning; the lines
// across every file equal the lines logged, none split.
import test from 'ava';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

import { createLogger } from '../index.mjs';
import { ENGINES, tempDir } from './helpers.mjs';

/** Every file of the directory, oldest first (the current one last), decompressed. */
function read(dir) {
  const names = readdirSync(dir).sort((a, b) => (a === 'app.log') - (b === 'app.log') || a.localeCompare(b));
  const text = names.map((n) => (n.endsWith('.gz') ? gunzipSync(readFileSync(join(dir, n))) : readFileSync(join(dir, n))).toString('utf8')).join('');
  return { names, lines: text.split('\n').slice(0, -1).map((l) => JSON.parse(l)) };
}

for (const engine of ENGINES) {
  test(`${engine}: rotation by size keeps every record, whole and in order, in files under the limit`, async (t) => {
    const dir = tempDir();
    const log = createLogger({ engine, base: null, destination: { path: join(dir, 'app.log'), rotate: { size: '16KB', keep: 1000 } } });
    for (let i = 0; i < 5000; i++) log.info({ i }, 'rotating');
    await log.close();
    const { names, lines } = read(dir);
    t.deepEqual(lines.map((r) => r.i), Array.from({ length: 5000 }, (_, i) => i));
    t.true(names.length > 10, `${names.length} files`);
    for (const n of names) {
      t.true(statSync(join(dir, n)).size <= 16 * 1024, n);
      t.regex(n, /^app\.log(\.\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z)?$/);
    }
  });

  test(`${engine}: rotated files are gzipped and the oldest pruned past keep`, async (t) => {
    const dir = tempDir();
    const log = createLogger({ engine, base: null, destination: { path: join(dir, 'app.log'), rotate: { size: 50_000, keep: 2, compress: true } } });
    for (let i = 0; i < 10_000; i++) log.info({ i }, 'rotating');
    await log.close();
    const { names, lines } = read(dir);
    t.is(names.length, 3, names.join(' '));
    t.true(names.slice(0, 2).every((n) => n.endsWith('.gz')), names.join(' '));
    const numbers = lines.map((r) => r.i);
    t.is(numbers.at(-1), 9999);
    t.true(numbers.every((n, k) => k === 0 || n === numbers[k - 1] + 1), 'the kept files hold one unbroken run');
  });
}

for (const engine of ENGINES) {
  test(`${engine}: loggers sharing a rotating path share its rotation: nothing lost`, async (t) => {
    const dir = tempDir();
    const path = join(dir, 'app.log');
    const a = createLogger({ engine, base: null, timestamp: false, destination: { path, rotate: { size: 4096, keep: 1000 } } });
    const b = createLogger({ engine, base: null, timestamp: false, destination: engine === 'native' ? path : { path, rotate: { size: 4096, keep: 1000 } } });
    for (let i = 0; i < 2000; i++) {
      a.info({ a: i });
      b.info({ b: i });
    }
    await Promise.all([a.close(), b.close()]);
    const { lines } = read(dir);
    t.deepEqual(lines.filter((r) => 'a' in r).map((r) => r.a), Array.from({ length: 2000 }, (_, i) => i));
    t.deepEqual(lines.filter((r) => 'b' in r).map((r) => r.b), Array.from({ length: 2000 }, (_, i) => i));
  });
}

test('rotation mistakes fail at createLogger', (t) => {
  const path = join(tempDir(), 'x.log');
  t.throws(() => createLogger({ destination: { path, rotate: {} } }), { message: /destination\.rotate.*a size, an interval, or both/ });
  t.throws(() => createLogger({ destination: { path, rotate: { size: '12 parsecs' } } }), { message: /destination\.rotate\.size/ });
  t.throws(() => createLogger({ destination: { path, rotate: { interval: 'weekly' } } }), { message: /destination\.rotate\.interval/ });
  t.throws(() => createLogger({ destination: { path, rotate: { size: 100, keep: 0 } } }), { message: /destination\.rotate\.keep/ });
});
