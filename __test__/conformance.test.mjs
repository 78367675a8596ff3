// Every call form and edge case, on both engines: the same bytes, every line valid JSON, and the
// content each form promises.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { createLogger } from '../index.mjs';
import { tempDir } from './helpers.mjs';

const base = { pid: 1, hostname: 'host' };

function fixedError(message, extra = {}) {
  const e = new Error(message, extra.cause === undefined ? undefined : { cause: extra.cause });
  e.stack = `Error: ${message}\n    at fixed (file.js:1:1)`;
  return e;
}

const circular = { a: 1 };
circular.self = circular;
const deep = {};
let cursor = deep;
for (let i = 0; i < 10_000; i++) cursor = cursor.next = {};

// [name, call, what the parsed record must contain]
const CASES = [
  ['plain message', (l) => l.info('hello world'), { level: 30, msg: 'hello world' }],
  ['fields then message', (l) => l.info({ a: 1, b: 'two', c: true, d: 3.14 }, 'fields'), { a: 1, b: 'two', c: true, d: 3.14, msg: 'fields' }],
  ['fields only', (l) => l.warn({ only: 'fields' }), { level: 40, only: 'fields', msg: undefined }],
  ['printf', (l) => l.info('%s did %d things, %i%%, %f, %j, %o, %O', 'bob', 3, 4.7, '2.5', { j: 1 }, [1], { O: true }), { msg: 'bob did 3 things, 4%, 2.5, {"j":1}, [1], {"O":true}' }],
  ['printf missing args keeps tokens', (l) => l.info('%s and %s', 'one'), { msg: 'one and %s' }],
  ['extra args are appended', (l) => l.info('a', 'b', 3, { c: 1 }), { msg: 'a b 3 {"c":1}' }],
  ['message then fields (Kakashi style)', (l) => l.info('user login', { user: 'ann' }), { user: 'ann', msg: 'user login' }],
  ['message with a token and an object is printf', (l) => l.info('obj %j', { x: 1 }), { msg: 'obj {"x":1}', x: undefined }],
  ['fields, printf message', (l) => l.info({ k: 'v' }, 'n=%d', 5), { k: 'v', msg: 'n=5' }],
  ['error alone', (l) => l.error(fixedError('boom')), { level: 50, msg: 'boom', err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at fixed (file.js:1:1)' } }],
  ['error with message', (l) => l.error(fixedError('boom'), 'it failed'), { msg: 'it failed' }],
  ['err field', (l) => l.error({ err: fixedError('inner'), id: 7 }), { id: 7, msg: 'inner' }],
  ['error cause chain', (l) => l.error(fixedError('top', { cause: fixedError('root') })), { err: { type: 'Error', message: 'top', stack: 'Error: top\n    at fixed (file.js:1:1)', cause: { type: 'Error', message: 'root', stack: 'Error: root\n    at fixed (file.js:1:1)' } } }],
  ['error subclass with own props', (l) => { const e = new TypeError('bad'); e.stack = 's'; e.code = 'E_BAD'; l.error(e); }, { err: { type: 'TypeError', message: 'bad', stack: 's', code: 'E_BAD' } }],
  ['lazy field', (l) => l.info({ lazy: () => 'computed', n: () => 42 }, 'lazy'), { lazy: 'computed', n: 42 }],
  ['throwing lazy field', (l) => l.info({ lazy: () => { throw new Error('no'); } }), { lazy: '[Throws]' }],
  ['circular', (l) => l.info({ circular }), { circular: { a: 1, self: '[Circular]' } }],
  ['bigint', (l) => l.info({ big: 12345678901234567890n, nested: { b: 1n } }), {}],
  ['undefined, symbol, function results omitted', (l) => l.info({ u: undefined, s: Symbol('x'), keep: 1 }), { keep: 1, u: undefined, s: undefined }],
  ['null and special numbers', (l) => l.info({ n: null, nan: NaN, inf: -Infinity, negz: -0, exp: 1e21, small: 5e-7 }), { n: null, nan: null, inf: null, negz: 0, exp: 1e21, small: 5e-7 }],
  ['throwing getter', (l) => l.info({ get bad() { throw new Error('getter'); }, ok: 1 }, 'getter'), { bad: '[Throws]', ok: 1, msg: 'getter' }],
  ['throwing toJSON', (l) => l.info({ t: { toJSON() { throw new Error('toJSON'); } } }), { t: '[Throws]' }],
  ['toJSON and Date', (l) => l.info({ d: new Date(0), t: { toJSON: () => 'custom' } }), { d: '1970-01-01T00:00:00.000Z', t: 'custom' }],
  ['proxy that throws on keys', (l) => l.info(new Proxy({}, { ownKeys() { throw new Error('trap'); } }), 'proxy'), { msg: 'proxy' }],
  ['revoked proxy as a value', (l) => { const p = Proxy.revocable({}, {}); p.revoke(); l.info({ p: p.proxy }); }, { p: '[Throws]' }],
  ['lone surrogates and control chars', (l) => l.info({ ['k\n"']: '\ud800x\udc00\u0000\u001b[31m\u2028' }, 'a\nb\r\tc'), { ['k\n"']: '\ud800x\udc00\u0000\u001b[31m\u2028', msg: 'a\nb\r\tc' }],
  ['non-ASCII text', (l) => l.info({ 'ключ': 'значение 漢字 😀' }, 'é'), { 'ключ': 'значение 漢字 😀', msg: 'é' }],
  ['huge string', (l) => l.info({ big: 'x'.repeat(3_000_000) }, 'y'.repeat(100_000)), {}],
  ['10 MB string with escapes', (l) => l.info({ big: 'a\n"'.repeat(3_500_000) }), {}],
  ['100,000 keys', (l) => l.info(Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i % 2 ? i : `v${i}`]))), { k99999: 99999 }],
  ['proxy with traps', (l) => l.info(new Proxy({ a: 1 }, { get: (o, k) => (k === 'a' ? 'trapped' : o[k]) })), { a: 'trapped' }],
  ['deep nesting', (l) => l.info({ deep }), {}],
  ['many keys', (l) => l.info(Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, i]))), { k1999: 1999 }],
  ['frozen object', (l) => l.info(Object.freeze({ f: Object.freeze([1, 2]) })), { f: [1, 2] }],
  ['array as fields', (l) => l.info(['a', 'b'], 'arr'), { 0: 'a', 1: 'b', msg: 'arr' }],
  ['null first argument (pino: no merging object)', (l) => l.info(null, 'after null'), { msg: 'after null' }],
  ['undefined first argument (pino: the message follows)', (l) => l.info(undefined, 'after undefined'), { msg: 'after undefined' }],
  ['null alone (pino: a null message)', (l) => l.info(null), { msg: null }],
  ['number message (pino: a JSON number)', (l) => l.info(42), { msg: 42 }],
  ['no arguments', (l) => l.info(), { msg: undefined }],
  ['non-string message after fields', (l) => l.info({ a: 1 }, 42), { a: 1, msg: 42 }],
  ['an object\'s own msg wins over its err\'s message', (l) => l.info({ err: fixedError('e'), msg: 'own' }), { msg: 'own' }],
  ['numeric keys order', (l) => l.info({ b: 1, 2: 'two', a: 2, 1: 'one' }), {}],
  ['child bindings', (l) => l.child({ req: 'r1', n: 2 }).child({ deeper: true }).info({ f: 1 }, 'child'), { req: 'r1', n: 2, deeper: true, f: 1 }],
  ['child with hostile bindings', (l) => l.child({ circular, big: 5n, get bad() { throw new Error('x'); } }).info('hc'), { big: 5, bad: '[Throws]' }],
  ['every level', (l) => { l.level = 'trace'; for (const m of ['trace', 'debug', 'info', 'warn', 'error', 'fatal']) l[m](m); }, {}],
  ['disabled levels write nothing', (l) => { l.level = 'error'; l.info('no'); l.warn('no'); l.error('yes'); }, { level: 50, msg: 'yes' }],
];

function runCases(engine, path, calls) {
  const logger = createLogger({ engine, destination: path, base, name: 'conf', timestamp: false, level: 'trace' });
  calls(logger);
  return logger.close();
}

for (const [name, call, expected] of CASES) {
  test(`conformance: ${name}`, async (t) => {
    const dir = tempDir();
    const out = {};
    for (const engine of ['native', 'js']) {
      out[engine] = join(dir, `${engine}.log`);
      await runCases(engine, out[engine], (l) => t.notThrows(() => call(l)));
    }
    const native = readFileSync(out.native);
    const js = readFileSync(out.js);
    t.true(native.equals(js), `engines differ:\nnative: ${native.toString().slice(0, 400)}\njs:     ${js.toString().slice(0, 400)}`);
    const lines = native.toString('utf8').split('\n');
    t.is(lines.pop(), '');
    t.true(lines.length >= 1);
    const records = lines.map((l) => JSON.parse(l));
    for (const r of records) {
      t.is(r.pid, 1);
      t.is(r.hostname, 'host');
      t.is(r.name, 'conf');
      t.is(typeof r.level, 'number');
    }
    const last = records[records.length - 1];
    for (const [k, v] of Object.entries(expected)) t.deepEqual(last[k], v, `key ${k}`);
  });
}

test('conformance: key order is pino\'s: level, time, pid, hostname, name, bindings, fields, msg', async (t) => {
  const dir = tempDir();
  for (const engine of ['native', 'js']) {
    const path = join(dir, `${engine}.log`);
    const l = createLogger({ engine, destination: path, base, name: 'n' });
    const before = Date.now();
    l.child({ b: 1 }).info({ f: 2 }, 'm');
    await l.close();
    const line = readFileSync(path, 'utf8');
    t.regex(line, /^\{"level":30,"time":\d+,"pid":1,"hostname":"host","name":"n","b":1,"f":2,"msg":"m"\}\n$/);
    const time = JSON.parse(line).time;
    t.true(time >= before && time <= Date.now(), engine);
  }
});

test('conformance: base null omits pid and hostname; custom base replaces them', async (t) => {
  const dir = tempDir();
  for (const engine of ['native', 'js']) {
    const a = join(dir, `${engine}-a.log`);
    const b = join(dir, `${engine}-b.log`);
    const l1 = createLogger({ engine, destination: a, base: null, timestamp: false });
    l1.info('x');
    await l1.close();
    t.is(readFileSync(a, 'utf8'), '{"level":30,"msg":"x"}\n');
    const l2 = createLogger({ engine, destination: b, base: { service: 'api' }, timestamp: false });
    l2.info('x');
    await l2.close();
    t.is(readFileSync(b, 'utf8'), '{"level":30,"service":"api","msg":"x"}\n');
  }
});
