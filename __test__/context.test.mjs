// Request context across async boundaries, and the http middleware with real Express and
// node:http servers and real requests.
import test from 'ava';
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { clearRequestContext, createLogger, getContext, setRequestContext, setUserContext, withContext } from '../index.mjs';
import { httpLogger } from '../http.mjs';
import { ENGINES, readRecords, tempDir } from './helpers.mjs';

const require = createRequire(import.meta.url);

for (const engine of ENGINES) {
  test(`${engine}: concurrent overlapping contexts never mix, across await, timers and promises`, async (t) => {
    const path = join(tempDir(), 'ctx.log');
    const log = createLogger({ engine, destination: path, base: null, timestamp: false });
    const request = (id, delays) =>
      withContext({ reqId: id }, async () => {
        log.info({ step: 0 }, 'start');
        for (const [k, ms] of delays.entries()) {
          await sleep(ms);
          log.info({ step: k + 1 }, 'after await');
        }
        await new Promise((resolve) => setTimeout(() => (log.info('in a timer'), resolve()), 3));
        await Promise.resolve().then(() => log.info('in a then'));
        withContext({ userId: `u-${id}` }, () => log.info('nested'));
      });
    await Promise.all(Array.from({ length: 20 }, (_, i) => request(`r${i}`, [(i * 7) % 5, (i * 3) % 4, 1])));
    log.info('outside');
    await log.close();
    const records = readRecords(t, path);
    t.is(records.length, 20 * 7 + 1);
    for (const r of records.slice(0, -1)) t.regex(r.reqId, /^r\d+$/);
    const nested = records.filter((r) => r.msg === 'nested');
    t.true(nested.every((r) => r.userId === `u-${r.reqId}`), 'nested contexts add to their parent');
    t.false('reqId' in records[records.length - 1], 'nothing leaks outside');
    // Context members come after bindings and before the call's fields.
    t.deepEqual(Object.keys(records[0]), ['level', 'reqId', 'step', 'msg']);
  });

  test(`${engine}: set*Context for code that cannot wrap, and clearRequestContext`, async (t) => {
    const path = join(tempDir(), 'set.log');
    const log = createLogger({ engine, destination: path, base: null, timestamp: false });
    // As a request handler would: in an async execution of its own (set*Context changes the
    // context of the execution it is called in, and of what that execution starts afterwards).
    await new Promise((resolve) =>
      setImmediate(async () => {
        setRequestContext({ reqId: 'abc', ip: '10.0.0.1' });
        setUserContext({ userId: 42 });
        t.deepEqual(getContext(), { reqId: 'abc', ip: '10.0.0.1', userId: 42 });
        await sleep(1);
        log.info('with');
        clearRequestContext();
        log.info('without');
        resolve();
      }),
    );
    await log.close();
    t.is(
      (await import('node:fs')).readFileSync(path, 'utf8'),
      '{"level":30,"reqId":"abc","ip":"10.0.0.1","userId":42,"msg":"with"}\n{"level":30,"msg":"without"}\n',
    );
  });

  for (const pkg of ['express', 'express4']) test(`${engine}: httpLogger with Express ${require(`${pkg}/package.json`).version}: one record per request, reqId taken or made, echoed, in context`, async (t) => {
    const express = require(pkg);
    const path = join(tempDir(), 'express.log');
    const log = createLogger({ engine, destination: path, base: null });
    const app = express();
    // (slowMs well above what a first request takes on a loaded CI runner.)
    app.use(httpLogger(log, { slowMs: 1000 }));
    app.get('/ok', (req, res) => {
      log.info('inside the handler'); // the context carries reqId even on the root logger
      req.log.info({ user: 'ann' }, 'via req.log');
      res.json({ ok: true });
    });
    app.get('/slow', async (req, res) => {
      await sleep(1100);
      res.send('slow');
    });
    app.get('/boom', (req, res) => res.status(503).send('down'));
    // A client that goes away before the response is sent: the record says so.
    let closed;
    const abortedClosed = new Promise((resolve) => (closed = resolve));
    app.get('/abort', (req, res) => {
      res.on('close', closed);
      res.write('part of it');
    });
    app.get('/throws', () => {
      throw new Error('thrown in a handler');
    });
    app.use((err, req, res, next) => {
      req.log.error(err, 'handler failed');
      res.status(500).send('failed');
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${server.address().port}`;
    const given = await fetch(`${base}/ok`, { headers: { 'x-request-id': 'given-1' } });
    t.is(given.headers.get('x-request-id'), 'given-1');
    await given.text();
    const made = await fetch(`${base}/ok`);
    const madeId = made.headers.get('x-request-id');
    t.regex(madeId, /^[0-9a-f-]{36}$/);
    await made.text();
    await (await fetch(`${base}/slow`, { headers: { 'x-correlation-id': 'corr-2' } })).text();
    await (await fetch(`${base}/boom`)).text();
    t.is((await fetch(`${base}/throws`)).status, 500);
    const leaving = new AbortController();
    await fetch(`${base}/abort`, { signal: leaving.signal });
    leaving.abort();
    await abortedClosed;
    server.close();
    await log.close();
    const records = readRecords(t, path);
    const done = records.filter((r) => r.res);
    t.deepEqual(done.map((r) => [r.level, r.msg, r.res.statusCode]), [
      [30, 'request completed', 200],
      [30, 'request completed', 200],
      [40, 'slow request', 200],
      [50, 'request failed', 503],
      [50, 'request failed', 500],
      [40, 'request aborted', 200],
    ]);
    const failed = records.find((r) => r.msg === 'handler failed');
    t.is(failed.err.message, 'thrown in a handler');
    t.is(failed.reqId, done[4].reqId);
    t.deepEqual(done.map((r) => r.reqId).slice(0, 3), ['given-1', madeId, 'corr-2']);
    t.true(done.every((r) => r.req.method === 'GET' && typeof r.responseTime === 'number' && r.req.remoteAddress === '127.0.0.1'));
    t.is(done[2].req.url, '/slow');
    t.true(done[2].responseTime >= 1000);
    const inside = records.filter((r) => r.msg === 'inside the handler');
    t.deepEqual(inside.map((r) => r.reqId), ['given-1', madeId]);
    t.deepEqual(records.filter((r) => r.msg === 'via req.log').map((r) => [r.reqId, r.user]), [['given-1', 'ann'], [madeId, 'ann']]);
  });

  test(`${engine}: httpLogger with context: false: req.log carries the reqId, other loggers do not`, async (t) => {
    const express = require('express');
    const path = join(tempDir(), 'nocontext.log');
    const log = createLogger({ engine, destination: path, base: null });
    const app = express();
    app.use(httpLogger(log, { context: false }));
    app.get('/', (req, res) => {
      log.info('root');
      req.log.info('child');
      res.send('ok');
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    await (await fetch(`http://127.0.0.1:${server.address().port}/`, { headers: { 'x-request-id': 'id-1' } })).text();
    server.close();
    await log.close();
    const byMsg = Object.fromEntries(readRecords(t, path).map((r) => [r.msg, r.reqId]));
    t.deepEqual(byMsg, { root: undefined, child: 'id-1', 'request completed': 'id-1' });
  });

  test(`${engine}: httpLogger around a node:http handler, x-forwarded-for only with trustProxy`, async (t) => {
    const path = join(tempDir(), 'http.log');
    const log = createLogger({ engine, destination: path, base: null });
    const plain = httpLogger(log);
    const proxied = httpLogger(log, { trustProxy: true });
    const server = createServer((req, res) => {
      const handle = req.url === '/proxied' ? proxied : plain;
      handle(req, res, () => res.end('hi'));
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${server.address().port}`;
    for (const url of ['/plain', '/proxied']) await (await fetch(`${base}${url}`, { headers: { 'x-forwarded-for': '203.0.113.9, 10.0.0.1' } })).text();
    server.close();
    await log.close();
    const done = readRecords(t, path).filter((r) => r.res);
    t.deepEqual(done.map((r) => [r.req.url, r.req.remoteAddress]), [['/plain', '127.0.0.1'], ['/proxied', '203.0.113.9']]);
  });
}

test('context fields go through each logger’s redaction and serializers, each logger its own', async (t) => {
  for (const engine of ENGINES) {
    const dir = tempDir();
    const redacting = createLogger({ engine, destination: join(dir, 'a.log'), base: null, timestamp: false, redact: ['token'] });
    const serializing = createLogger({ engine, destination: join(dir, 'b.log'), base: null, timestamp: false, serializers: { user: (u) => u.id } });
    withContext({ token: 'secret', user: { id: 7, name: 'ann' } }, () => {
      for (let i = 0; i < 2; i++) {
        redacting.info('r');
        serializing.info('s');
      }
    });
    await Promise.all([redacting.close(), serializing.close()]);
    const a = readRecords(t, join(dir, 'a.log'));
    const b = readRecords(t, join(dir, 'b.log'));
    t.deepEqual(a, [{ level: 30, token: '[Redacted]', user: { id: 7, name: 'ann' }, msg: 'r' }, { level: 30, token: '[Redacted]', user: { id: 7, name: 'ann' }, msg: 'r' }]);
    t.deepEqual(b, [{ level: 30, token: 'secret', user: 7, msg: 's' }, { level: 30, token: 'secret', user: 7, msg: 's' }]);
  }
});
