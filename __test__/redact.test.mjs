// Redaction: paths with wildcards and array indices, in fields, nested objects and bindings,
// identical on both engines, never touching the caller's objects.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { createLogger } from '../index.mjs';
import { ENGINES, tempDir } from './helpers.mjs';

const PATHS = ['password', 'req.headers.authorization', '*.token', 'user.cards[*].number', '["a.b"]', 'list[1]'];

function fields() {
  return {
    password: 'hunter2',
    req: { method: 'GET', headers: { authorization: 'Bearer abc', host: 'example.com' } },
    session: { token: 't-123', id: 7 },
    other: { token: 'also', nested: { token: 'deeper stays' } },
    user: { name: 'ann', cards: [{ number: '4111', exp: '12/30' }, { number: '5500' }, 'not an object'] },
    'a.b': 'dotted',
    list: ['zero', 'one', 'two'],
    keep: 'visible',
  };
}

async function logged(engine, options, call) {
  const path = join(tempDir(), `${engine}.log`);
  const log = createLogger({ engine, destination: path, base: null, timestamp: false, ...options });
  call(log);
  await log.close();
  return readFileSync(path, 'utf8');
}

test('censors every path kind; both engines write the same bytes; the input is untouched', async (t) => {
  const input = fields();
  const snapshot = JSON.parse(JSON.stringify(input));
  const out = {};
  for (const engine of ENGINES) out[engine] = await logged(engine, { redact: PATHS }, (l) => l.info(input, 'msg'));
  t.is(out.native, out.js);
  t.deepEqual(input, snapshot, "the caller's object is not changed");
  const r = JSON.parse(out.native);
  t.is(r.password, '[Redacted]');
  t.deepEqual(r.req, { method: 'GET', headers: { authorization: '[Redacted]', host: 'example.com' } });
  t.deepEqual(r.session, { token: '[Redacted]', id: 7 });
  t.deepEqual(r.other, { token: '[Redacted]', nested: { token: 'deeper stays' } });
  t.deepEqual(r.user.cards, [{ number: '[Redacted]', exp: '12/30' }, { number: '[Redacted]' }, 'not an object']);
  t.is(r['a.b'], '[Redacted]');
  t.deepEqual(r.list, ['zero', '[Redacted]', 'two']);
  t.is(r.keep, 'visible');
});

test('remove: true deletes instead; a custom censor replaces', async (t) => {
  for (const engine of ENGINES) {
    const removed = JSON.parse(await logged(engine, { redact: { paths: ['password', 'req.headers.authorization'], remove: true } }, (l) => l.info(fields())));
    t.false('password' in removed);
    t.deepEqual(removed.req.headers, { host: 'example.com' });
    const censored = JSON.parse(await logged(engine, { redact: { paths: ['password'], censor: '***' } }, (l) => l.info(fields())));
    t.is(censored.password, '***');
  }
});

test('bindings and base are redacted once, when the child is made; redacted lazy fields are never called', async (t) => {
  for (const engine of ENGINES) {
    let called = 0;
    const text = await logged(engine, { redact: ['password', 'secret', 'base.key'], base: { base: { key: 'b', keep: 1 } } }, (l) => {
      const child = l.child({ password: 'in bindings', who: 'x' });
      t.deepEqual(child.bindings(), { base: { key: '[Redacted]', keep: 1 }, password: '[Redacted]', who: 'x' });
      child.info({ secret: () => (called++, 'computed') }, 'lazy');
    });
    t.is(called, 0);
    t.is(text, '{"level":30,"base":{"key":"[Redacted]","keep":1},"password":"[Redacted]","who":"x","secret":"[Redacted]","msg":"lazy"}\n');
  }
});

test('a getter that throws on a redacted path writes "[Throws]" there, never the secret; the rest of the record stays', async (t) => {
  for (const engine of ENGINES) {
    const req = { headers: { authorization: 'Bearer abc' } };
    Object.defineProperty(req, 'socket', { enumerable: true, get() { throw new Error('no'); } });
    const session = {};
    Object.defineProperty(session, 'token', { enumerable: true, get() { throw new Error('no'); } });
    const text = await logged(engine, { redact: ['req.socket.remoteAddress', '*.token'] }, (l) => l.info({ a: 1, req, session, b: 'x' }, 'm'));
    t.is(text, '{"level":30,"a":1,"req":"[Throws]","session":"[Throws]","b":"x","msg":"m"}\n', engine);
  }
});

test('a path under an Error keeps the error whole: type, message, stack', async (t) => {
  for (const engine of ENGINES) {
    const err = Object.assign(new Error('denied'), { config: { headers: { authorization: 'Bearer x' } } });
    const r = JSON.parse(await logged(engine, { redact: ['err.config.headers.authorization'] }, (l) => l.error(err)));
    t.is(r.err.type, 'Error');
    t.is(r.err.message, 'denied');
    t.true(r.err.stack.startsWith('Error: denied'));
    t.is(r.err.config.headers.authorization, '[Redacted]');
  }
});

test('records without the redacted keys pass through unchanged and uncopied', async (t) => {
  for (const engine of ENGINES) {
    const plain = await logged(engine, {}, (l) => l.info({ a: 1, nested: { b: 2 } }, 'x'));
    const redacted = await logged(engine, { redact: PATHS }, (l) => l.info({ a: 1, nested: { b: 2 } }, 'x'));
    t.is(redacted, plain);
  }
});

test('a malformed path or option fails at createLogger', (t) => {
  t.throws(() => createLogger({ redact: ['a..b'] }), { message: /invalid redact path "a\.\.b"/ });
  t.throws(() => createLogger({ redact: ['a,b'] }), { message: /invalid redact path "a,b": a comma/ });
  t.throws(() => createLogger({ redact: ['a[x'] }), { message: /invalid redact path "a\[x": an unclosed "\["/ });
  t.throws(() => createLogger({ redact: ['a["x]'] }), { message: /an unclosed "/ });
  t.throws(() => createLogger({ redact: ['a]'] }), { message: /a "\]" without its "\["/ });
  t.throws(() => createLogger({ redact: ['.'] }), { message: /no key/ });
  t.throws(() => createLogger({ redact: 'password' }), { message: /invalid option "redact"/ });
  t.throws(() => createLogger({ redact: { paths: ['a'], remove: 'yes' } }), { message: /invalid option "redact.remove"/ });
});

test("a wildcard under an Error censors its own message, stack and cause too (they are written); toJSON's results are not redacted", async (t) => {
  for (const engine of ENGINES) {
    const err = new Error('secret message', { cause: 'secret cause' });
    err.code = 'E1';
    const r = JSON.parse(await logged(engine, { redact: ['err.*'] }, (l) => l.error(err, 'failed')));
    t.deepEqual(r.err, { type: 'Error', message: '[Redacted]', stack: '[Redacted]', code: '[Redacted]', cause: '[Redacted]' }, engine);
    const named = JSON.parse(await logged(engine, { redact: ['err.message'] }, (l) => l.error(err, 'failed')));
    t.is(named.err.message, '[Redacted]');
    t.true(named.err.stack.startsWith('Error: secret message'), 'a named path censors that member only');
    const viaToJSON = JSON.parse(await logged(engine, { redact: ['a.secret'] }, (l) => l.info({ a: { toJSON: () => ({ secret: 'shown' }) } })));
    t.deepEqual(viaToJSON.a, { secret: 'shown' }, 'redaction sees own properties, not what toJSON makes');
  }
});

test('boxed primitives are their values on every path, as JSON.stringify writes them', async (t) => {
  for (const engine of ENGINES) {
    const circular = { s: new String('str'), n: new Number(4), b: new Boolean(false) };
    circular.self = circular;
    const r = JSON.parse(await logged(engine, {}, (l) => l.info({ circular, plain: new String('p') })));
    t.deepEqual(r.circular, { s: 'str', n: 4, b: false, self: '[Circular]' }, engine);
    t.is(r.plain, 'p');
  }
});
