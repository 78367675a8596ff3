// The examples in examples/, compiled with their tsconfig and run as the README says, against
// real servers and real requests.
import test from 'ava';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ROOT, tempDir } from './helpers.mjs';

test.before(() => {
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'examples')], { stdio: 'pipe' });
});

/** Starts an example server on a free port; resolves with its port and a way to read its records. */
async function start(name) {
  const child = spawn(process.execPath, [join(ROOT, 'examples', 'run.cjs'), name], {
    cwd: tempDir(),
    env: { ...process.env, PORT: '0', KAKASHI_LEVEL: 'debug', KAKASHI_FORMAT: 'json' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (err += d));
  const records = () => out.split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const deadline = Date.now() + 20_000;
  for (;;) {
    const listening = records().find((r) => /listening/i.test(r.msg ?? ''));
    if (listening) {
      const port = listening.port ?? Number(/:(\d+)/.exec(listening.msg)[1]);
      return { child, port, records, stderr: () => err };
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${name} did not start: ${err}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stop(t, server) {
  server.child.kill('SIGTERM');
  const [code] = await once(server.child, 'close');
  t.is(code, 0, server.stderr());
  t.is(server.records().at(-1).msg, 'shut down', 'SIGTERM flushes and closes the logger');
}

test('examples/fastify.ts: request records with reqId, request.log child, redaction, route log level', async (t) => {
  const server = await start('fastify');
  const res = await fetch(`http://127.0.0.1:${server.port}/orders/42`);
  t.deepEqual(await res.json(), { id: '42', status: 'shipped' });
  await fetch(`http://127.0.0.1:${server.port}/health`);
  await stop(t, server);
  const records = server.records();
  const incoming = records.find((r) => r.msg === 'incoming request');
  const loading = records.find((r) => r.msg === 'loading order');
  t.truthy(incoming.reqId);
  t.is(loading.reqId, incoming.reqId);
  t.is(loading.orderId, '42');
  t.deepEqual(loading.payment, { card: '[Redacted]', amount: 42 });
  // The whole number: its first digits alone can be a port, a pid or a time.
  t.false(JSON.stringify(records).includes('4111 1111 1111 1111'));
  t.false(records.some((r) => r.req?.url === '/health'), 'the health route logs at warn only');
});

test('examples/express.ts: one record per request, reqId echoed and carried into other loggers, 5xx at error', async (t) => {
  const server = await start('express');
  const res = await fetch(`http://127.0.0.1:${server.port}/users/7`, { headers: { 'x-request-id': 'req-abc' } });
  t.is(res.headers.get('x-request-id'), 'req-abc');
  t.is((await res.json()).context.reqId, 'req-abc');
  t.is((await fetch(`http://127.0.0.1:${server.port}/boom`)).status, 500);
  await stop(t, server);
  const records = server.records();
  t.is(records.find((r) => r.msg === 'query').reqId, 'req-abc');
  const done = records.filter((r) => r.res?.statusCode);
  t.deepEqual(done.map((r) => [r.req.url, r.res.statusCode, r.level]), [['/users/7', 200, 30], ['/boom', 500, 50]]);
  t.true(done.every((r) => typeof r.responseTime === 'number'));
});

test('examples/workers.ts: main thread and two workers, one file, every record whole', async (t) => {
  const dir = tempDir();
  const out = execFileSync(process.execPath, [join(ROOT, 'examples', 'run.cjs'), 'workers'], { cwd: dir, encoding: 'utf8' });
  t.is(out.trim(), "11000 records in logs/workers.log: { main: 1000, worker: 10000 }");
  const lines = readFileSync(join(dir, 'logs', 'workers.log'), 'utf8').trim().split('\n');
  t.is(lines.length, 11000);
});
