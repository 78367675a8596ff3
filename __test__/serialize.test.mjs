// quote() must be JSON.stringify for every string, through each of its paths (short loop,
// regular expression, ASCII searches): an escapable character at any position, any length.
import test from 'ava';
import fc from 'fast-check';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { quote } = require('../dist/serialize.js');

test('quote equals JSON.stringify at every length and position of an escapable character', (t) => {
  const specials = ['"', '\\', '\n', '\u0000', '\u001f', '\u001b', '\ud800', '\udfff', '\u2028', 'é', '😀'];
  let checked = 0;
  for (const len of [0, 1, 63, 64, 65, 200, 511, 512, 513, 2048]) {
    const base = 'a'.repeat(len);
    t.is(quote(base), JSON.stringify(base));
    for (const ch of specials) {
      for (const at of new Set([0, Math.floor(len / 2), Math.max(0, len - 1)])) {
        const s = base.slice(0, at) + ch + base.slice(at + 1);
        if (quote(s) !== JSON.stringify(s)) t.fail(`len ${len}, ${JSON.stringify(ch)} at ${at}`);
        checked++;
      }
      // A non-ASCII head (long strings take another path then) and the character further on.
      if (len > 8) {
        const s = 'é' + base.slice(1, len - 1) + ch;
        if (quote(s) !== JSON.stringify(s)) t.fail(`len ${len}, non-ASCII head, ${JSON.stringify(ch)} at the end`);
        checked++;
      }
    }
  }
  t.true(checked > 250, `${checked} cases`);
});

test('quote equals JSON.stringify for arbitrary strings, short and long', (t) => {
  const unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
  const ascii = fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c));
  fc.assert(
    fc.property(
      fc.oneof(fc.string({ unit, maxLength: 3000 }), fc.string({ unit: ascii, minLength: 500, maxLength: 3000 }), fc.string({ unit: 'grapheme', maxLength: 700 })),
      (s) => quote(s) === JSON.stringify(s),
    ),
    { numRuns: 2000 },
  );
  t.pass();
});

// The native engine captures plain objects and arrays member by member (capture/batch.ts) and
// the writer renders them; anything that is not plain data goes as JSON text. Either way a
// field's value is written as JSON.stringify writes it, on both engines.
test('nested values: plain data captured member by member, the rest as JSON text, all as JSON.stringify writes them', async (t) => {
  const { createLogger } = require('../dist/index.js');
  const { readFileSync } = await import('node:fs');
  const { tempDir } = await import('./helpers.mjs');
  const throwing = { ok: 1 };
  Object.defineProperty(throwing, 'bad', { enumerable: true, get: () => { throw new Error('no'); } });
  const cyclic = { a: [1] };
  cyclic.a.push(cyclic);
  let deep = [1];
  for (let i = 0; i < 12; i++) deep = { d: deep };
  const values = [
    { method: 'GET', url: '/a?b="c"\n', n: -0, big: 1e21, small: 5e-7, nan: NaN, none: undefined, f: () => 1, s: Symbol('x'), t: true },
    [1, 'two', null, undefined, () => 1, [[]], {}, 'x'.repeat(40), '\ud800', 'é😀'],
    Object.assign(Object.create(null), { k: 'null prototype' }),
    { when: new Date(0), url: new URL('http://x/y'), map: new Map([[1, 2]]), err: new Error('nested error') },
    { inner: { toJSON: (key) => `toJSON(${key})` } },
    { big: 10n },
    throwing,
    cyclic,
    deep,
    { 2: 'b', 1: 'a', z: 'z', '': 'empty' },
    // JSON.stringify's own steps inside a plain object: toJSON with the member's key, boxed
    // primitives, class instances as their members, Buffers, arrays whatever their prototype.
    { at: { toJSON: (key) => `key ${key}` }, list: [{ toJSON: (key) => `index ${key}` }], n: Object(5), s: Object('x'), b: Object(false) },
    { user: new (class User { constructor() { this.id = 7; } })(), buf: Buffer.from('hi'), typed: new Uint8Array([1, 2]) },
    { bare: Object.setPrototypeOf([1, 2], null), proto: Object.setPrototypeOf([3], Object.prototype) },
    Object.setPrototypeOf([4, 5], null),
  ];
  for (const engine of ['native', 'js']) {
    const path = `${tempDir()}/n.log`;
    const log = createLogger({ engine, destination: path, base: null, timestamp: false });
    for (const v of values) log.info({ v }, 'm');
    await log.close();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    t.is(lines.length, values.length, engine);
    values.forEach((v, i) => {
      let expected;
      try {
        expected = `{"level":30,"v":${JSON.stringify(v)},"msg":"m"}`;
      } catch {
        // JSON.stringify throws (a BigInt, a throwing getter, a cycle): the line says what it could.
        JSON.parse(lines[i]);
        return;
      }
      t.is(lines[i], expected, `${engine}: value ${i}`);
    });
    t.regex(lines[5], /"v":\{"big":10\}/);
    t.true(lines.every((l) => !l.includes('"v":{"0":')), 'arrays stay arrays');
    t.regex(lines[6], /"ok":1,"bad":"\[Throws\]"/);
    t.regex(lines[7], /\[Circular\]/);
  }
});

test('nested values (native engine): plain data is not stringified on the JS thread, getters are read once, an array is read to its first length', async (t) => {
  const { createLogger } = require('../dist/index.js');
  const { readFileSync } = await import('node:fs');
  const { tempDir } = await import('./helpers.mjs');
  const path = `${tempDir()}/n.log`;
  const log = createLogger({ engine: 'native', destination: path, base: null, timestamp: false });
  let reads = 0;
  const counted = { a: 1 };
  Object.defineProperty(counted, 'b', { enumerable: true, get: () => ++reads });
  const growing = [1, 2];
  Object.defineProperty(growing, 1, { enumerable: true, get: () => (growing.push(0), 2) });
  const stringify = JSON.stringify;
  let stringified = 0;
  JSON.stringify = (...args) => (stringified++, stringify(...args));
  try {
    log.info({ req: { method: 'GET', url: '/x', headers: { host: 'h' }, tags: ['a', 1, true, null] } }, 'm');
    t.is(stringified, 0, 'a plain nested value goes as ops');
    log.info({ v: { counted, when: new Date(0) } }, 'm');
    log.info({ v: growing }, 'm');
  } finally {
    JSON.stringify = stringify;
  }
  t.is(reads, 1, 'a getter inside is read once, a Date beside it notwithstanding');
  await log.close();
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  t.is(lines[0], '{"level":30,"req":{"method":"GET","url":"/x","headers":{"host":"h"},"tags":["a",1,true,null]},"msg":"m"}');
  t.is(lines[1], '{"level":30,"v":{"counted":{"a":1,"b":1},"when":"1970-01-01T00:00:00.000Z"},"msg":"m"}');
  t.is(lines[2], '{"level":30,"v":[1,2],"msg":"m"}');
});

// printf's small flat objects are left as a message template only for the native engine, which
// captures them; a logger whose lines the JS engine writes (a stream, a sync destination,
// streamWrite, engine 'js') gets the message as text at once, in both dialects.
test('printf objects are deferred only where the native engine writes', (t) => {
  const { resolveOptions } = require('../dist/options/index.js');
  const { PassThrough } = require('node:stream');
  const deferred = (options, flavour) => typeof resolveOptions(options, {}, flavour).dialect.format('a %j', [{ x: 1 }]) !== 'string';
  for (const flavour of ['kakashi', 'pino']) {
    t.true(deferred({ engine: 'auto', destination: '/dev/null' }, flavour), `${flavour}: auto, a file`);
    t.true(deferred({ engine: 'native', destination: '/dev/null' }, flavour), `${flavour}: native`);
    t.false(deferred({ engine: 'js', destination: '/dev/null' }, flavour), `${flavour}: js`);
    t.false(deferred({ engine: 'auto', destination: new PassThrough() }, flavour), `${flavour}: auto, a stream`);
    t.false(deferred({ engine: 'auto', destination: '/dev/null', hooks: { streamWrite: (s) => s } }, flavour), `${flavour}: streamWrite`);
  }
});
