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
