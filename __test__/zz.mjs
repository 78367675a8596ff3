import pinoReal from 'pino';
import kpino from '../pino.mjs';
import { readFileSync } from 'node:fs';
const p1 = '/tmp/zz-real.log', p2 = '/tmp/zz-k.log';
const real = pinoReal({ base: null, timestamp: false }, pinoReal.destination({ dest: p1, sync: true }));
const k = kpino({ base: null, timestamp: false }, kpino.destination({ dest: p2 }));
const e = new Error('boom');
for (const l of [real, k]) {
  l.info('x'); l.info(undefined, 'x'); l.info(null); l.info(null, 'x'); l.info('%s', null); l.info('a', 'b', 'c');
  l.info('m', { a: 1 }); l.info({ msg: 'inner' }, 'outer'); l.error(e); l.info({ err: e, msg: 'own' });
  l.info({ a: Infinity, f: () => 1 }); l.info(42); l.info({ a: 1 }, { b: 2 }); l.info({ big: 10n, nested: { z: 1n, a: 2 } });
  l.info({ x: { e: new Error('n') } }); l.info('%d', null); l.info('%j', 'str');
  l.child({ a: 1, level: 'x', f() {} }).info('c');
}
await k.flush();
const a = readFileSync(p1, 'utf8').split('\n'), b = readFileSync(p2, 'utf8').split('\n');
for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) console.log('DIFF', i, '\n  pino:', a[i], '\n  kaka:', b[i]);
console.log(a.length, b.length);
