// `kakashi/pino` is measured against the real thing: every case below runs through pino 10 and
// pino 9 and through kakashi/pino on both engines, and the bytes must be the same. The cases are
// pino's documented option, method and argument semantics (docs/api.md), edge values included.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Writable } from 'node:stream';

import kpino from '../pino.mjs';
import { ENGINES, tempDir } from './helpers.mjs';

const require = createRequire(import.meta.url);
const PINOS = ['pino', 'pino9'].map((name) => [`${name}@${require(`${name}/package.json`).version}`, require(name)]);

function fixedError(message, options) {
  const e = new Error(message, options);
  e.stack = `Error: ${message}\n    at fixed (file.js:1:1)`;
  return e;
}
const boom = fixedError('boom');
const withCause = fixedError('outer', { cause: fixedError('inner') });
const typed = new TypeError('t');
typed.stack = 'TypeError: t';
typed.code = 'E1';
const circular = { a: 1, z: { y: 2, b: 1 } };
circular.self = circular;
const wide = { a: 1, b: 2, c: 3, d: 4 };
wide.self = wide;
const deep = { a: { b: { c: { d: { e: { f: 1 } } } } } };
deep.self = deep;
const reqLike = { method: 'GET', url: '/x', headers: { h: '1' }, socket: { remoteAddress: '1.2.3.4', remotePort: 5 } };
const resLike = { statusCode: 200, headersSent: true, setHeader() {}, getHeaders: () => ({ a: 'b' }) };

// [name, options, calls(logger)] — options are pino's, given to both.
const CASES = [
  ['message forms', {}, (l) => {
    l.info('x');
    l.info(undefined, 'x');
    l.info();
    l.info(null);
    l.info(null, 'x');
    l.info(null, null);
    l.info(null, 42);
    l.info(null, '%s', 'a');
    l.info(42);
    l.info(0);
    l.info(NaN);
    l.info(true);
    l.info('');
    l.info(42, 'extra');
    l.info(() => 1);
    l.info(10n);
    l.info([1, 2], 'm');
    l.info(new Date(0));
  }],
  // %j/%o/%O objects: the native engine captures plain ones member by member and the writer
  // puts their JSON in the message; everything else is formatted here, as pino formats it.
  ['printf objects', {}, (l) => {
    const cyclic = { a: 1 };
    cyclic.self = cyclic;
    class Point { constructor() { this.x = 1; } }
    l.info('hello %s %j %d', 'world', { obj: true }, 4, { another: 'obj' });
    l.info('%j and %o and %O', { a: [1, { b: 'two "quoted"\n' }] }, [1, 2, [3]], { e: {} });
    l.info('%j %j %j %j %j', 'str', 5, null, () => 1, undefined);
    l.info('%j %j %j', cyclic, new Point(), { toJSON: () => 'custom' });
    l.info('%j %j', { d: new Date(0), n: NaN, u: undefined, f() {} }, [undefined, () => 1]);
    l.info('own \ufdd0 placeholder %j', { a: 1 });
    l.info('%% %j %%', { pct: '%j' });
    l.info({ f: 1 }, 'with fields %j', { nested: { deep: [true, false, null] } });
    l.child({ c: 1 }).warn('child %j', { w: 1 });
    l.info({ m: 1 }, { extra: true });
    l.info('%j', { big: 'x'.repeat(300) });
  }],
  ['printf objects under redaction', { redact: ['secret', '*.secret'] }, (l) => {
    l.info('%j', { secret: 1, open: { secret: 2, ok: 3 } });
  }],
  ['printf objects through a message serializer', { serializers: { msg: (m) => `S:${m}` } }, (l) => {
    l.info('%j', { open: { ok: 3 } });
  }],
  ['printf', {}, (l) => {
    l.info('%s', null);
    l.info('%s', undefined);
    l.info({ a: 1 }, 'm %s', 'b');
    l.info({ a: 1 }, 'm %s');
    l.info('a', 'b', 'c');
    l.info('%s', 'a', 'extra');
    l.info('m', { a: 1 });
    l.info({ a: 1 }, 'm', { b: 2 });
    l.info('%s %s', 'a');
    l.info('%d', '42');
    l.info('%d', 4.7);
    l.info('%i', 4.7);
    l.info('%f', '1.5');
    l.info('%d', 'abc');
    l.info('%d', null);
    l.info('%d x %s', null, 'y');
    l.info('%o', { a: 1 });
    l.info('%O', [1]);
    l.info('%j', 'str');
    l.info('%j', undefined);
    l.info('%j', function foo() {});
    l.info('%o', circular);
    l.info('%s', { a: 1 });
    l.info('%s', [1, 2]);
    l.info('100%% done');
    l.info('100%% %s', 'x');
    l.info('%x %s', 'a');
    l.info('a%', 'b');
    l.info({ a: 1 }, 42);
    l.info({ a: 1 }, null);
    l.info({ a: 1 }, undefined, 'b');
    l.info({ a: 1 }, { b: 2 });
    l.info({ a: 1 }, true);
  }],
  ['merging object and message', {}, (l) => {
    l.info({ msg: 'inner' }, 'outer');
    l.info({ msg: 'inner' });
    l.info({ msg: 'inner' }, null);
    l.info({ msg: 42 });
    l.info({ level: 'hi', time: 'never' });
    l.info({ a: 1, u: undefined, n: null });
    l.info({ a: Infinity, b: NaN, c: -Infinity });
    l.info({ nested: { a: Infinity, u: undefined, f() {} } });
    l.info({ f: () => 1, s: Symbol('x') });
    l.info({ a: [undefined, () => 1, Symbol('x'), NaN] });
    l.info({ big: 10n, nested: { big: 10n } });
    l.info({ o: { z: 1n, a: 2 } });
    l.info({ p: new Proxy({ a: 1 }, {}) });
    l.info(new Proxy({ a: 1 }, {}));
    l.info(circular);
    l.info({ c: circular });
    l.info({ d: new Date(0), b: Buffer.from('hi'), t: new Uint8Array([1, 2]), m: new Map([[1, 2]]) });
    l.info({ x: { toJSON: () => 'J' } });
    l.info({ x: { toJSON() { throw new Error('no'); } } });
    l.info({ b: 1, 2: 'two', a: 3, 1: 'one' });
    l.info({ 'quo"te': 'a\nb', ключ: 'значение 😀', ctl: '\u0000\u001b[31m\u2028' });
    l.info({ n: -0, big: 1e21, small: 1e-7 });
    l.info({}, 'm');
    l.info(Object.assign(Object.create({ inh: 1 }), { own: 2 }));
  }],
  ['errors', {}, (l) => {
    l.error(boom);
    l.error(boom, 'custom');
    l.error(boom, 'x %s', 'y');
    l.error({ err: boom });
    l.info({ err: boom, msg: 'own' });
    l.info({ err: 'notanerror' });
    l.info({ err: { message: 'like' } });
    l.error(withCause);
    l.error(typed);
    l.info({ x: { e: fixedError('nested') } });
    l.info({ e: boom });
  }],
  ['http objects as the merging object', {}, (l) => {
    l.info(reqLike);
    l.info(resLike, 'done');
  }],
  ['levels by number, custom levels', { level: 30, customLevels: { audit: 35, notice: 45 } }, (l) => {
    l.debug('no');
    l.info('yes');
    l.audit({ a: 1 }, 'x %s', 'y');
    l.level = 50;
    l.warn('no');
    l.notice('no');
    l.error('e');
    l.level = 'audit';
    l.info('no');
    l.audit('audited');
    l.notice('noticed');
    l.child({ c: 1 }, { level: 'notice' }).audit('no');
  }],
  ['useOnlyCustomLevels', { useOnlyCustomLevels: true, customLevels: { low: 10, high: 90 }, level: 'low' }, (l) => {
    l.low('l');
    l.high('h');
    l.level = 'high';
    l.low('no');
  }],
  ['levelComparison DESC', { levelComparison: 'DESC', customLevels: { foo: 20, bar: 10 }, level: 'info' }, (l) => {
    l.trace('t');
    l.info('i');
    l.warn('no');
    l.foo('f');
  }],
  ['levelComparison function', { levelComparison: (a, b) => a === b, level: 'warn' }, (l) => {
    l.info('no');
    l.warn('w');
    l.error('no');
  }],
  ['formatters', { formatters: { level: (label, n) => ({ severity: label.toUpperCase(), n }), bindings: (b) => ({ host: b.hostname }), log: (o) => ({ wrapped: o }) }, base: { pid: 1, hostname: 'h' } }, (l) => {
    l.info({ a: 1 }, 'm');
    l.info('x');
    l.error(boom);
    l.child({ c: 1 }).warn('child');
  }],
  ['formatters.level with custom levels', { customLevels: { foo: 35 }, formatters: { level: (l, n) => ({ lvl: l, n, extra: true }) } }, (l) => {
    l.foo('x');
    l.info('y');
  }],
  ['mixin', { mixin: (o, n) => ({ mx: n, a: 'mixin' }) }, (l) => {
    l.info({ a: 'obj' }, 'm');
    l.warn('w');
    l.error(boom);
    l.child({ c: 1 }).info('child');
  }],
  ['mixinMergeStrategy', { mixin: () => ({ tag: 'k8s' }), mixinMergeStrategy: (m, x) => Object.assign({}, m, x) }, (l) => {
    l.info({ tag: 'local' }, 'Message');
  }],
  ['serializers', { serializers: { a: (v) => v * 2, msg: (m) => 'S:' + m, u: () => undefined } }, (l) => {
    l.info({ a: 2, u: 1 }, 'hi');
    l.child({ a: 1 }).info({ a: 3 });
  }],
  // Serializers run in the record's field loop, as pino's: own enumerable keys only, never on
  // undefined, after mixin and formatters.log, before nestedKey nests the fields.
  ['serializers in the field loop', { serializers: { h: (v) => `h:${v}`, u: () => 'called' } }, (l) => {
    l.info(Object.defineProperty({ a: 1 }, 'h', { value: 'x', enumerable: false }), 'non-enumerable');
    l.info(Object.create({ h: 'inherited' }), 'inherited');
    l.info({ u: undefined, h: 'own' }, 'undefined');
  }],
  ['serializers after mixin and formatters.log', { serializers: { m: (v) => `m:${v}`, f: (v) => `f:${v}` }, mixin: () => ({ m: 1 }), formatters: { log: (o) => ({ ...o, f: 2 }) } }, (l) => {
    l.info({ a: 1 }, 'shaped');
  }],
  ['serializers under nestedKey', { nestedKey: 'payload', serializers: { a: (v) => v + 1, payload: () => 'whole' } }, (l) => {
    l.info({ a: 1, b: 2 }, 'nested');
  }],
  ['serializers: the error key through err', { errorKey: 'e', serializers: { err: (v) => `err:${v.message}` } }, (l) => {
    l.info({ e: boom, err: boom }, 'both');
  }],
  // A child's bindings are what they were when it was made; children and their parents
  // interleave in one batch; values of every kind.
  ['child bindings as made', { serializers: { s: (v) => `s:${v}` } }, (l) => {
    const b = { a: 1, s: 'x', nested: { k: [1, 'two'] } };
    const c = l.child(b);
    b.a = 2;
    b.nested.k.push(3);
    c.info('after the object changed');
    const cc = c.child({ a: 'again', n: NaN, big: 10n, none: null, u: undefined, f: () => 1, level: 'debug', t: true, q: 'say "hi"\n' });
    cc.info('grandchild');
    l.info('root between');
    c.child({}).info('empty child');
    cc.child({ deep: 1 }).info('great-grandchild');
    c.info('child again');
    for (let i = 0; i < 3; i++) l.child({ reqId: `req-${i}` }).info({ i }, 'request');
    // setBindings changes the logger, not the children it made before.
    const parent = l.child({ p: 1 });
    const kid = parent.child({ k: 1 });
    parent.setBindings({ added: true });
    kid.info('made before setBindings');
    parent.info('parent after');
    parent.child({ k: 2 }).info('made after');
  }],
  ['serializers: err removed', { serializers: { err: null } }, (l) => {
    l.error(boom);
    l.child({}, { serializers: { err: (e) => ({ m: e.message }) } }).error(boom);
  }],
  ['errorKey and messageKey', { errorKey: 'error', messageKey: 'message' }, (l) => {
    l.error(boom);
    l.info({ error: boom });
    l.info({ err: boom });
    l.info({ message: 'inner' });
    l.info('x');
  }],
  ['msgPrefix', { msgPrefix: '[HTTP] ' }, (l) => {
    l.info('x');
    l.info({ a: 1 }, 'y %s', 'z');
    l.info({ a: 1 });
    l.info(null);
    l.info(42);
    l.error(boom);
    l.info({ msg: 'inner' });
    l.child({}, { msgPrefix: '[C] ' }).info('c');
  }],
  ['msgPrefix with a token', { msgPrefix: '%s ' }, (l) => l.info('a', 'b')],
  ['base and name', { base: { svc: 's', pid: 1 }, name: 'n' }, (l) => l.info('x')],
  ['base null drops the name', { base: null, name: 'app' }, (l) => l.info('x')],
  ['base undefined keeps the name', { base: undefined, name: 'app' }, (l) => l.info('x')],
  ['bindings: option keys, functions, values through JSON', {}, (l) => {
    l.child({ level: 'x', serializers: 1, formatters: 2, customLevels: 3, lvl: 1 }).info('x');
    l.child({ u: undefined, f() {}, n: null, inf: Infinity, big: 10n, d: new Date(0), s: Symbol('x'), t: { toJSON: () => 'T' } }).info('x');
    l.child({ a: 'property' }).child({ a: 'prop' }).info('howdy');
    l.child({ a: 1 }).info({ a: 2 }, 'dup');
    const c = l.child({ a: 1 });
    c.setBindings({ b: 2 });
    c.info('set');
  }],
  ['enabled false', { enabled: false }, (l) => {
    l.fatal('no');
    l.level = 'info';
    l.info('re-enabled');
  }],
  ['crlf', { crlf: true }, (l) => {
    l.info('x');
    l.child({ a: 1 }).warn('y');
  }],
  ['nestedKey', { nestedKey: 'payload' }, (l) => {
    l.info({ a: 1, level: 'hi' }, 'm');
    l.info('only msg');
    l.info({}, 'empty obj');
    l.error(boom);
    l.child({ c: 1 }).info({ a: 1 }, 'm');
  }],
  ['nestedKey with mixin', { nestedKey: 'payload', mixin: () => ({ rid: 1 }) }, (l) => l.info({ a: 1 }, 'm')],
  ['depthLimit', { depthLimit: 2 }, (l) => {
    l.info({ o: deep });
    l.info({ deepNoCycle: { a: { b: { c: 1 } } } });
  }],
  ['edgeLimit', { edgeLimit: 2 }, (l) => {
    l.info({ o: wide });
    l.info({ arr: [1, 2, 3, 4], f: { a: 1, b: 2, c: 3 } });
  }],
  ['default limits on a cycle', {}, (l) => l.info({ o: deep })],
  ['timestamp functions', { timestamp: () => ',"t":1' }, (l) => l.info('x')],
  ['redact', { redact: ['a', 'b.c', 'arr[*].s', '*.w'] }, (l) => {
    l.info({ a: 1, b: { c: 2, d: 3 }, arr: [{ s: 1, k: 2 }], x: { w: 1 } }, 'm');
    l.child({ a: 'bound' }).info('child');
  }],
  ['redact censor and remove', { redact: { paths: ['a', 'b.c'], censor: '***' } }, (l) => l.info({ a: 1, b: { c: 2, d: 3 } })],
  ['redact censor function', { redact: { paths: ['a.b', 'c', 'd[*].e'], censor: (v, p) => `${v}@${p.join('.')}` } }, (l) => l.info({ a: { b: 1 }, c: 2, d: [{ e: 3 }] })],
  ['redact remove', { redact: { paths: ['a', 'b.c'], remove: true } }, (l) => l.info({ a: 1, b: { c: 2, d: 3 } })],
  ['redact the message', { redact: ['msg'] }, (l) => l.info('secret')],
  ['hooks.logMethod', {
    hooks: {
      logMethod(args, method) {
        if (args.length >= 2 && typeof args[0] === 'string') {
          const [msg, obj, ...rest] = args;
          return method.apply(this, [obj, msg, ...rest]);
        }
        return method.apply(this, args);
      },
    },
  }, (l) => {
    l.info('hello', { a: 1 }, 'extra');
    l.info('plain');
    l.child({ c: 1 }).warn('w', { b: 2 });
  }],
  ['hooks.streamWrite', { hooks: { streamWrite: (s) => s.replace('secret', 'XXX') } }, (l) => l.info('my secret')],
  ['child options', {}, (l) => {
    const c = l.child({ a: 1 }, { level: 'debug', msgPrefix: 'p ', serializers: { s: (v) => `ser:${v}` }, redact: ['secret'] });
    c.debug({ s: 1, secret: 'x' }, 'child');
    c.child({ b: 2 }, { level: '' }).debug('inherits debug');
    l.child({ d: 1 }, { level: undefined }).debug('no');
    l.child({ d: 1 }, { customLevels: { custom: 33 } }).custom('custom');
  }],
  ['fatal', {}, (l) => l.fatal({ a: 1 }, 'f')],
];

function run(factory, options, calls, dest) {
  const logger = factory({ base: null, timestamp: false, ...options }, dest);
  calls(logger);
  return logger;
}

/** What pino itself writes for a case, to a synchronous destination. */
function pinoBytes(pino, options, calls) {
  const path = join(tempDir(), 'pino.log');
  const logger = run(pino, options, calls, pino.destination({ dest: path, sync: true }));
  logger.flush?.();
  return readFileSync(path, 'utf8');
}

async function kakashiBytes(engine, options, calls) {
  const path = join(tempDir(), 'kakashi.log');
  const logger = run(kpino, { engine, ...options }, calls, kpino.destination({ dest: path }));
  await logger.close();
  return readFileSync(path, 'utf8');
}

for (const [name, options, calls] of CASES) {
  test(`pino compatibility: ${name}`, async (t) => {
    const expected = pinoBytes(PINOS[0][1], options, calls);
    t.true(expected.length > 0 || name === 'enabled false', 'pino wrote something');
    for (const [label, other] of PINOS.slice(1)) t.is(pinoBytes(other, options, calls), expected, `${label} writes what pino 10 writes`);
    // streamWrite hands each line to JavaScript: the JS engine's work (engine "native" refuses it).
    const engines = options.hooks?.streamWrite ? ['js'] : ENGINES;
    for (const engine of engines) t.is(await kakashiBytes(engine, options, calls), expected, `kakashi/pino on the ${engine} engine`);
  });
}

test('pino compatibility: a stream destination receives one write per record, as from pino', async (t) => {
  const lines = (factory, extra) => {
    const got = [];
    const stream = new Writable({ write(chunk, _enc, cb) { got.push(chunk.toString()); cb(); } });
    const l = factory({ base: null, timestamp: false, ...extra }, stream);
    l.info({ a: 1 }, 'one');
    l.child({ c: 2 }).warn('two');
    return got;
  };
  const expected = lines(PINOS[0][1], {});
  t.is(expected.length, 2);
  t.deepEqual(lines(kpino, {}), expected);
});

// A file stream (pino's `pino(fs.createWriteStream(f))`) gets what pino writes, in order, with
// the lines joined into few writes (sinks/stream.ts); ending the stream right after logging, or
// leaving the process, loses none.
test('pino compatibility: a file stream gets the same lines in few writes, before its end() and at exit', async (t) => {
  const { createWriteStream } = await import('node:fs');
  const { once } = await import('node:events');
  const { execFileSync } = await import('node:child_process');
  const dir = tempDir();
  const run = async (factory, name) => {
    const path = join(dir, `${name}.log`);
    const dest = createWriteStream(path);
    // What reaches the file: one `_write` per chunk, or one `_writev` for the chunks queued meanwhile.
    let writes = 0;
    for (const m of ['_write', '_writev']) {
      const own = dest[m];
      dest[m] = function (...args) {
        writes++;
        return own.apply(this, args);
      };
    }
    const l = factory({ base: null, timestamp: false }, dest);
    for (let i = 0; i < 1000; i++) l.info({ i }, 'line');
    dest.end();
    await once(dest, 'finish');
    return { text: readFileSync(path, 'utf8'), writes };
  };
  const expected = await run(PINOS[0][1], 'pino');
  t.is(expected.text.split('\n').length, 1001);
  // (Under 'auto' the native writer takes the file once it is open: file-stream.test.mjs.)
  const got = await run(kpino, 'kakashi');
  t.is(got.text, expected.text);
  t.true(got.writes <= 10, `${got.writes} writes for 1000 lines`);
  // Leaving the process: by itself, or by process.exit() once the file is open, with a record
  // logged by a later exit listener: what is held (under 32 KB here) is written to the file
  // before the process goes. (pino's lines, written one by one through the stream, are all lost
  // in the second case: its writes have not completed when the process exits.)
  const entry = JSON.stringify(join(process.cwd(), 'dist', 'pino-entry.js'));
  for (const [how, tail] of [
    ['by itself', ''],
    ['process.exit()', `dest.once('ready', () => { process.on('exit', () => l.info('late')); for (let i = 0; i < 150; i++) l.info({ i }, 'x'); process.exit(0); });`],
  ]) {
    const path = join(dir, `exit-${how}.log`);
    const script = `const fs = require('fs'); const pino = require(${entry}); const dest = fs.createWriteStream(${JSON.stringify(path)});
      const l = pino({ engine: 'js' }, dest); for (let i = 0; i < ${tail === '' ? 500 : 150}; i++) l.info({ i }, 'x'); ${tail}`;
    execFileSync(process.execPath, ['-e', script]);
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    t.is(lines.length, tail === '' ? 500 : 301, how);
    if (tail !== '') t.is(JSON.parse(lines[300]).msg, 'late', 'the exit listener\'s record is written too');
  }
});

test('a file stream destroyed with lines held: they are counted as dropped, not written', async (t) => {
  const { createWriteStream } = await import('node:fs');
  const dest = createWriteStream(join(tempDir(), 'destroyed.log'));
  dest.on('error', () => {});
  const l = kpino({ base: null }, dest);
  for (let i = 0; i < 10; i++) l.info({ i }, 'held');
  dest.destroy();
  l.flush();
  const s = l.getStats();
  t.is(s.dropped, 10);
  t.is(s.written, 0);
});

test('pino compatibility: a stream whose write is replaced (output captured, as tests do) gets each line at once, process.stdout included', (t) => {
  const { createWriteStream } = require('node:fs');
  for (const stream of [process.stdout, createWriteStream(join(tempDir(), 'captured.log'))]) {
    const got = [];
    const write = stream.write;
    stream.write = (chunk) => (got.push(String(chunk)), true);
    try {
      const l = kpino({ base: null, timestamp: false }, stream);
      l.info('one');
      l.info('two');
    } finally {
      stream.write = write;
    }
    t.deepEqual(got, ['{"level":30,"msg":"one"}\n', '{"level":30,"msg":"two"}\n']);
  }
});

test('pino compatibility: multistream with levels and dedupe', async (t) => {
  const collect = (pino, dedupe) => {
    const out = { a: [], e: [], d: [] };
    const sink = (k) => new Writable({ write(chunk, _e, cb) { out[k].push(chunk.toString()); cb(); } });
    const l = pino({ base: null, timestamp: false, level: 'debug' }, pino.multistream([{ stream: sink('a') }, { stream: sink('e'), level: 'error' }, { stream: sink('d'), level: 'debug' }], { dedupe }));
    l.debug('d');
    l.info('i');
    l.error('e');
    l.fatal('f');
    return out;
  };
  for (const dedupe of [false, true]) t.deepEqual(collect(kpino, dedupe), collect(PINOS[0][1], dedupe), `dedupe: ${dedupe}`);
});

test('pino compatibility: a multistream that gains and loses streams after the logger is made, and one that starts empty', async (t) => {
  const collect = (pino) => {
    const out = { a: [], b: [], e: [] };
    const sink = (k) => new Writable({ write(chunk, _e, cb) { out[k].push(chunk.toString()); cb(); } });
    const m = pino.multistream([{ stream: sink('a') }]);
    const l = pino({ base: null, timestamp: false }, m);
    const child = l.child({ c: 1 });
    l.info('one');
    m.add({ stream: sink('b'), level: 'warn' });
    const b = m.lastId;
    l.warn('two');
    child.info('three');
    m.remove(m.streams.find((s) => s.level === 30).id);
    child.error('four');
    m.remove(b);
    l.fatal('five');
    const empty = pino.multistream();
    const e = pino({ base: null, timestamp: false }, empty);
    e.info('nowhere');
    empty.add(sink('e'));
    e.info('somewhere');
    return out;
  };
  t.deepEqual(collect(kpino), collect(PINOS[0][1]));
});

test("pino compatibility: redact paths read as pino reads them (whitespace in keys, quotes and backticks, stray dots)", (t) => {
  const PATHS = ['a b', 'x.a b', '.a', 'a.', 'a[-1]', '[`a.a`].b', ' a', 'a .b', 'a[ "b" ]', 'a["b"]', "['a.a'].b", 'x.*', '*.b', 'a[*]'];
  const run = (pino, path) => {
    const out = [];
    const l = pino({ base: null, timestamp: false, redact: [path] }, { write: (line) => out.push(JSON.parse(line)) });
    l.info({ 'a b': 1, a: { b: 2, '-1': 3, ' b ': 8 }, x: { 'a b': 4 }, 'a.a': { b: 5 }, ' a': 6, 'a ': { b: 7 } });
    return out;
  };
  for (const path of PATHS) for (const [label, pino] of PINOS) t.deepEqual(run(kpino, path), run(pino, path), `${JSON.stringify(path)} as ${label}`);
  for (const [label, pino] of [PINOS[0], ['kakashi/pino', kpino]]) t.throws(() => pino({ redact: ['a,b'] }), { message: /redact/i }, label);
});

test('a multistream given a stream that cannot be opened after the logger is made: said once, the logger keeps its streams', (t) => {
  const got = [];
  const m = kpino.multistream([{ stream: { write: (line) => got.push(JSON.parse(line).msg) } }]);
  const l = kpino({}, m);
  const warned = [];
  const write = process.stderr.write;
  process.stderr.write = (s) => (warned.push(String(s)), true);
  try {
    t.notThrows(() => m.add({ stream: kpino.destination(join(tempDir(), 'no', 'such', 'dir.log')) }));
  } finally {
    process.stderr.write = write;
  }
  l.info('still here');
  t.deepEqual(got, ['still here']);
  t.true(warned.some((w) => /could not be taken/.test(w)), warned.join(''));
});

test("pino compatibility: a multistream entry's levelVal is its threshold, a level or not", (t) => {
  const collect = (pino) => {
    const out = [];
    const stream = new Writable({ write(chunk, _e, cb) { out.push(JSON.parse(chunk).msg); cb(); } });
    const l = pino({ level: 'trace', base: null, timestamp: false }, pino.multistream([{ level: 'blabla', levelVal: 15, stream }]));
    l.trace('trace');
    l.debug('debug');
    l.info('info');
    return out;
  };
  t.deepEqual(collect(kpino), collect(PINOS[0][1]));
  t.deepEqual(collect(kpino), ['debug', 'info']);
});

test("pino compatibility: a metadata stream sees who wrote each line (lastLogger), directly and through a multistream", (t) => {
  const run = (pino, through) => {
    const seen = [];
    const stream = {
      [Symbol.for('pino.metadata')]: true,
      write(line) {
        seen.push([JSON.parse(line).msg, this.lastLogger === root ? 'root' : this.lastLogger === child ? 'child' : this.lastLogger === other ? 'other' : String(this.lastLogger), this.lastLevel, this.lastMsg]);
      },
    };
    const root = pino({ base: null, timestamp: false }, through ? pino.multistream([{ stream }]) : stream);
    const child = root.child({ c: 1 });
    const other = pino({ base: null, timestamp: false }, stream);
    root.info({ a: 1 }, 'from root');
    child.warn('from child');
    other.info('from other');
    root.info('after');
    return seen;
  };
  for (const through of [false, true]) t.deepEqual(run(kpino, through), run(PINOS[0][1], through), through ? 'through a multistream' : 'directly');
});

test('pino compatibility: logger members', (t) => {
  for (const [label, pino] of [...PINOS, ['kakashi/pino', kpino]]) {
    const l = pino({ customLevels: { audit: 35 }, level: 'audit' }, kpino === pino ? kpino.destination('/dev/null') : pino.destination('/dev/null'));
    t.is(l.level, 'audit', label);
    t.is(l.levelVal, 35, label);
    t.deepEqual({ ...l.levels.values }, { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, audit: 35 }, label);
    t.is(l.levels.values.silent, Infinity, `${label}: silent is a (non-enumerable) level`);
    t.is(l.levels.labels[35], 'audit', label);
    t.true(l.isLevelEnabled('warn'), label);
    t.false(l.isLevelEnabled('info'), label);
    t.false(l.isLevelEnabled('nope'), label);
    t.throws(() => l.child(), { message: 'missing bindings for child Pino' }, label);
    t.throws(() => { l.levelVal = 1; }, { message: 'levelVal is read-only' }, label);
    t.deepEqual(l.child({ a: 1 }).child({ b: 2 }).bindings(), { a: 1, b: 2 }, label);
    t.is(l.child({}, { msgPrefix: 'p ' }).msgPrefix, 'p ', label);
    const events = [];
    l.on('level-change', (...args) => events.push(args.slice(0, 4)));
    l.level = 40;
    t.deepEqual(events, [['warn', 40, 'audit', 35]], label);
    const children = [];
    const withHook = pino({ onChild: (c) => children.push(c.bindings()) }, pino.destination('/dev/null'));
    withHook.child({ a: 1 }).child({ b: 2 });
    t.deepEqual(children, [{ a: 1 }, { a: 1, b: 2 }], `${label}: onChild`);
    t.is(typeof withHook.child({}).onChild, 'function', `${label}: logger.onChild`);
    t.is(typeof l.onChild, 'function', `${label}: logger.onChild without the option`);
    const assigned = pino(pino.destination('/dev/null'));
    const later = [];
    assigned.onChild = (c) => later.push(c.bindings());
    assigned.child({ a: 1 }).child({ b: 2 });
    t.deepEqual(later, [{ a: 1 }, { a: 1, b: 2 }], `${label}: logger.onChild assigned after`);
    t.is(typeof l.silent, 'function', label);
    t.is(typeof l[Symbol.for('pino.serializers')], 'object', label);
  }
});

test('pino compatibility: a logger is an EventEmitter whose tree shares its listeners', (t) => {
  const run = (pino) => {
    const l = pino({ level: 'info' }, pino.destination('/dev/null'));
    const heard = [];
    l.on('level-change', (level, value, previous, previousValue, logger) => heard.push(['root', level, logger === l]));
    const c = l.child({ a: 1 });
    c.level = 'warn';
    const onChild = (level) => heard.push(['child', level]);
    c.addListener('level-change', onChild);
    c.level = 'error';
    l.level = 'debug';
    const counts = [l.listenerCount('level-change'), c.listeners('level-change').length];
    t.is(c.removeListener('level-change', onChild), c);
    l.level = 'info';
    l.prependOnceListener('custom', (x) => heard.push(['custom', x]));
    return { heard, counts, after: l.listenerCount('level-change'), emitted: [l.emit('custom', 7), l.emit('custom', 8)], names: l.eventNames(), isEmitter: l instanceof EventEmitter };
  };
  t.deepEqual(run(kpino), run(PINOS[0][1]));
  t.true(run(kpino).isEmitter);
});

test("pino compatibility: the transport option's own refusals, in pino's words", (t) => {
  for (const [label, pino] of [PINOS[0], ['kakashi/pino', kpino]]) {
    t.throws(() => pino({ transport: { targets: [{ target: 'pino/file' }] }, formatters: { level: (label) => ({ label }) } }), { message: 'option.transport.targets do not allow custom level formatters' }, label);
    t.throws(() => pino({ transport: pino.destination('/dev/null') }), { message: 'option.transport do not allow stream, please pass to option directly. e.g. pino(transport)' }, label);
  }
});

test("pino compatibility: level mistakes refused in pino's words", (t) => {
  const cases = [
    () => ({ useOnlyCustomLevels: true }),
    () => ({ level: 'foo' }),
    () => ({ customLevels: { foo: 35 }, useOnlyCustomLevels: true, level: 'info' }),
    () => ({ customLevels: { foo: 35 }, useOnlyCustomLevels: true }),
  ];
  const message = (f) => {
    try {
      f();
    } catch (e) {
      return e.message;
    }
    return 'no error';
  };
  for (const [label, pino] of PINOS) {
    for (const c of cases) t.is(message(() => kpino(c(), kpino.destination('/dev/null'))), message(() => pino(c(), pino.destination('/dev/null'))), `${JSON.stringify(c())} (${label})`);
    const mine = kpino(kpino.destination('/dev/null'));
    const theirs = pino(pino.destination('/dev/null'));
    for (const levels of [{ info: 35 }, { notice: 30 }]) t.is(message(() => mine.child({}, { customLevels: levels })), message(() => theirs.child({}, { customLevels: levels })), `child customLevels ${JSON.stringify(levels)} (${label})`);
  }
});

test('pino compatibility: symbol-keyed serializers are kept in the table, and children inherit them', (t) => {
  const table = (pino) => {
    const own = Symbol.for('kakashi.test.serializer');
    const l = pino({ serializers: { [own]: () => 'x', a: () => 'a' } }, pino.destination('/dev/null'));
    const c = l.child({}, { serializers: { b: () => 'b' } });
    const s = c[Symbol.for('pino.serializers')];
    return { symbols: Object.getOwnPropertySymbols(s).map(String), keys: Object.keys(s), kept: typeof s[own] };
  };
  t.deepEqual(table(kpino), table(PINOS[0][1]));
});

test("pino compatibility: logger[pino.symbols.streamSym] is the destination, one a child shares; for a path or stdout, a stream with flushSync(), end(), once() and write()", (t) => {
  const look = (pino) => {
    const sym = pino.symbols.streamSym;
    const given = pino.destination('/dev/null');
    const custom = new Writable({ write(_c, _e, cb) { cb(); } });
    const l = pino(given);
    const m = pino.multistream([{ stream: custom }]);
    const path = pino(join(tempDir(), 'file.log'));
    path.info('written');
    const s = path[sym];
    return {
      same: l[sym] === given && l.child({ a: 1 })[sym] === given,
      custom: pino(custom)[sym] === custom,
      multistream: pino({}, m)[sym] === m,
      path: ['flushSync', 'end', 'once', 'write'].map((k) => typeof s[k]),
      stdout: ['flushSync', 'end', 'once', 'write'].map((k) => typeof pino()[sym][k]),
    };
  };
  t.deepEqual(look(kpino), look(PINOS[0][1]));
});

test('pino compatibility: statics', (t) => {
  const pino = PINOS[0][1];
  for (const key of Object.keys(pino)) t.true(key in kpino, `pino.${key}`);
  t.deepEqual(Object.keys(kpino.stdTimeFunctions).sort(), Object.keys(pino.stdTimeFunctions).sort());
  t.deepEqual(Object.keys(kpino.stdSerializers).sort(), Object.keys(pino.stdSerializers).sort());
  t.deepEqual({ ...kpino.levels.values }, { ...pino.levels.values });
  t.deepEqual({ ...kpino.levels.labels }, { ...pino.levels.labels });
  for (const key of Object.keys(pino.symbols)) t.is(typeof kpino.symbols[key], 'symbol', `pino.symbols.${key}`);
  for (const fn of ['nullTime', 'epochTime', 'unixTime', 'isoTime']) {
    t.regex(kpino.stdTimeFunctions[fn](), fn === 'nullTime' ? /^$/ : /^,"time":/, fn);
  }
  t.regex(kpino.stdTimeFunctions.isoTimeNano(), /^,"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z"$/);
  t.is(kpino.pino, kpino);
  t.is(kpino.default, kpino);
});

test('pino compatibility: a root\'s level methods are its own, a child follows its parent\'s level until it has its own', (t) => {
  const shape = (make) => {
    const root = make();
    const child = root.child({ a: 1 });
    const leveled = root.child({ b: 1 }, { level: 'debug' });
    const own = (l, m) => Object.prototype.hasOwnProperty.call(l, m);
    const before = [own(root, 'info'), own(child, 'info'), typeof { ...root }.info, own(leveled, 'debug'), child.level, leveled.level];
    root.level = 'error';
    const after = [child.level, child.isLevelEnabled('info'), leveled.level, leveled.isLevelEnabled('debug')];
    child.level = 'trace';
    root.level = 'warn';
    return [...before, ...after, child.level, root.level];
  };
  const expected = shape(() => PINOS[0][1]({ level: 'info' }, { write() {} }));
  t.deepEqual(expected, [true, false, 'function', true, 'info', 'debug', 'error', false, 'debug', true, 'trace', 'warn']);
  t.deepEqual(shape(() => kpino({ level: 'info' }, { write() {} })), expected, 'js');
  t.deepEqual(shape(() => kpino({ level: 'info' }, kpino.destination('/dev/null'))), expected, 'native');
});
