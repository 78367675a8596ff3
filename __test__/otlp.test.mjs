// OTLP against the real OpenTelemetry Collector (cmd/otelcol, built from Go modules): what
// arrives is decoded from the exporter's OTLP JSON, not grepped. Records arrive once each and
// in order across a collector restart; a process that exits while the collector is down leaves
// its records in the spill and the next process sends them; a 4xx is counted, not retried.
import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { createLogger } from '../index.mjs';
import { buildCollector, countLogs, freePort, readLogs, startCollector, waitForLogs } from '../cmd/otelcol/run.mjs';
import { ROOT, statsSettled, tempDir, testCertificates } from './helpers.mjs';

test.before(() => {
  buildCollector();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function run(code, env = {}) {
  const source = `import k from ${JSON.stringify(join(ROOT, 'index.mjs'))};\n${code}`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', source], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });
  if (r.error) throw r.error;
  return r;
}

/** Runs `code`, which makes `log`, in a child process; then its stats, and what it said on stderr. */
function statsAfter(t, code) {
  const r = run(`${code}\nprocess.stdout.write(JSON.stringify(log.getStats()));\nprocess.exit(0);`);
  t.is(r.status, 0, r.stderr);
  return { stats: JSON.parse(r.stdout), stderr: r.stderr };
}

function segments(dir) {
  let n = 0;
  for (const slot of readdirSync(dir)) n += readdirSync(join(dir, slot)).filter((f) => f.endsWith('.req')).length;
  return n;
}

test.serial('100,000 records arrive once each and in order, mapped, across a collector stopped for 5 s mid-stream', async (t) => {
  t.timeout(170_000);
  const dir = tempDir();
  const port = await freePort();
  const outs = [join(dir, 'first.json'), join(dir, 'second.json')];
  let collector = await startCollector({ port, out: outs[0], dir });
  const log = createLogger({
    name: 'checkout',
    level: 'trace',
    destination: { otlp: { url: `http://127.0.0.1:${port}/v1/logs`, resource: { 'deployment.environment': 'test' }, spill: { dir: join(dir, 'spill') } } },
  });
  const N = 100_000;
  const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
  const child = log.child({ component: 'cart' });
  try {
    for (let i = 0; i < N; i++) {
      const level = LEVELS[i % 6];
      if (i % 1000 === 7) child[level]({ i, trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', span_id: '00f067aa0ba902b7', trace_flags: '01', order: { id: i, items: [1, 2] } }, 'with trace');
      else child[level]({ i }, 'record %d', i);
      if (i % 2000 === 1999) await sleep(1);
      if (i === 40_000) {
        await collector.stop();
        // 5 s away, while what was queued goes to the spill (the JS thread never waits on it).
        for (const stoppedAt = Date.now(); Date.now() - stoppedAt < 5000; ) await sleep(25);
        collector = await startCollector({ port, out: outs[1], dir });
      }
    }
    await log.flush();
    const records = await waitForLogs(N, 90_000, ...outs);
    const seen = records.map((r) => r.attributes.i);
    t.is(records.length, N, 'every record arrived, none twice');
    t.deepEqual(seen, Array.from({ length: N }, (_, i) => i), 'in order');
    // The collector can write a request out before its answer has reached the shipper.
    const stats = await statsSettled(log, N);
    t.is(stats.written, N);
    t.is(stats.dropped, 0);
    t.true(stats.retries > 0, 'sends were retried while the collector was down');
    t.true(stats.spilled > 0, 'records waited in the spill');
    const sev = { trace: 1, debug: 5, info: 9, warn: 13, error: 17, fatal: 21 };
    for (const i of [0, 1, 2, 3, 4, 5, 40_001, 99_999]) {
      const r = records[i];
      t.is(r.severityText, LEVELS[i % 6]);
      t.is(r.severityNumber, sev[LEVELS[i % 6]]);
      t.is(r.body, `record ${i}`);
      t.is(r.attributes.component, 'cart');
      t.deepEqual(r.resource['service.name'], 'checkout');
      t.is(r.resource['process.pid'], process.pid);
      t.is(typeof r.resource['host.name'], 'string');
      t.is(r.resource['deployment.environment'], 'test');
      t.true(BigInt(r.observedTimeUnixNano) >= BigInt(r.timeUnixNano));
      t.true(Math.abs(Number(BigInt(r.timeUnixNano) / 1_000_000n) - Date.now()) < 600_000);
      t.is(r.traceId ?? '', '');
    }
    const traced = records[7];
    t.is(traced.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
    t.is(traced.spanId, '00f067aa0ba902b7');
    t.is(traced.flags, 1);
    t.deepEqual(traced.attributes.order, { id: 7, items: [1, 2] });
    t.false('trace_id' in traced.attributes || 'pid' in traced.attributes || 'name' in traced.attributes);
    t.is(records[0].scope.name, 'kakashi');
  } finally {
    await log.close();
    await collector.stop();
  }
});

test.serial('a process that exits while the collector is down leaves its records in the spill; the next process sends them first', async (t) => {
  t.timeout(120_000);
  const dir = tempDir();
  const port = await freePort();
  const spill = join(dir, 'spill');
  const code = (from, n, exitTimeout = 2000) => `
    const log = k.createLogger({ exitTimeout: ${exitTimeout}, destination: { otlp: { url: 'http://127.0.0.1:${port}/v1/logs', spill: { dir: ${JSON.stringify(spill)} } } } });
    for (let i = ${from}; i < ${from + n}; i++) log.info({ i }, 'r');
    process.on('exit', () => process.stderr.write('STATS ' + JSON.stringify(log.getStats()) + '\\n'));
  `;
  const first = run(code(0, 3000));
  t.is(first.status, 0, first.stderr);
  t.regex(first.stderr, /receiver is unreachable/, 'the failure is said once on stderr');
  t.true(segments(spill) > 0, 'segments were left in the spill');
  const out = join(dir, 'out.json');
  const collector = await startCollector({ port, out, dir });
  try {
    // (As long as it takes to send the spill: a loaded runner can take longer than 2 s.)
    const second = run(code(3000, 10, 30_000));
    t.is(second.status, 0, second.stderr);
    const records = await waitForLogs(3010, 30_000, out);
    t.deepEqual(records.map((r) => r.attributes.i), Array.from({ length: 3010 }, (_, i) => i));
    t.is(segments(spill), 0, 'the spill is empty once sent');
  } finally {
    await collector.stop();
  }
});

test.serial('a receiver that refuses (4xx) is reported once and counted, never retried forever', async (t) => {
  t.timeout(60_000);
  const dir = tempDir();
  const port = await freePort();
  const collector = await startCollector({ port, out: join(dir, 'out.json'), dir });
  try {
    const { stats, stderr } = statsAfter(t, `
      const log = k.createLogger({ destination: { otlp: { url: 'http://127.0.0.1:${port}/no/such/path', spill: false, batchSize: 10 } } });
      for (let i = 0; i < 50; i++) log.info({ i }, 'r');
      await log.flush();
    `);
    t.is(stats.dropped, 50);
    t.is(stats.written, 0);
    t.is(stats.retries, 0);
    t.true(stats.errors >= 1);
    t.is(stderr.match(/refused a request \(HTTP 404/g)?.length, 1, stderr);
    t.is(readLogs(join(dir, 'out.json')).length, 0);
  } finally {
    await collector.stop();
  }
});

test.serial('an outage then a refusal: each kind of trouble is said once, the refused records counted', async (t) => {
  t.timeout(60_000);
  const port = await freePort();
  const child = spawn(process.execPath, ['--input-type=module', '-e', `import k from ${JSON.stringify(join(ROOT, 'index.mjs'))};
    const log = k.createLogger({ destination: { otlp: { url: 'http://127.0.0.1:${port}/v1/logs', spill: false, batchSize: 10, flushInterval: 20 } } });
    for (let i = 0; i < 30; i++) log.info({ i }, 'r');
    process.stdin.once('data', async () => {
      for (let i = 0; i < 30; i++) log.info({ i }, 'r');
      await log.flush();
      process.stdout.write(JSON.stringify(log.getStats()));
      process.exit(0);
    });`], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((r) => child.once('close', r));
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(400, { 'content-type': 'text/plain' }).end('no thanks'));
  });
  try {
    for (let i = 0; i < 1200 && !/unreachable/.test(stderr); i++) await sleep(25);
    t.regex(stderr, /unreachable/, 'the outage is said');
    await new Promise((r) => server.listen(port, '127.0.0.1', r));
    child.stdin.write('go\n');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    t.is(await exited, 0, stderr);
    clearTimeout(timer);
    t.is(stderr.match(/unreachable/g).length, 1, stderr);
    t.is(stderr.match(/refused a request \(HTTP 400: no thanks\)/g)?.length, 1, stderr);
    const stats = JSON.parse(stdout);
    t.is(stats.dropped, 60, 'the records sent before and after the outage were refused, and counted');
    t.true(stats.retries > 0);
    t.is(stats.written, 0);
  } finally {
    server.close();
    child.kill('SIGKILL');
  }
});

test.serial('OTLP/HTTP JSON over https to a collector with a private CA: the same records as protobuf; without the CA, said once', async (t) => {
  t.timeout(60_000);
  const dir = tempDir();
  const pem = testCertificates(dir);
  const port = await freePort();
  const out = join(dir, 'out.json');
  const collector = await startCollector({ port, out, dir, tls: pem });
  const url = `https://127.0.0.1:${port}/v1/logs`;
  try {
    const N = 2000;
    for (const [protocol, compression] of [['json', 'gzip'], ['protobuf', 'none']]) {
      const log = createLogger({ name: 'api', destination: { otlp: { url, protocol, compression, tls: { ca: readFileSync(pem.ca) }, spill: false } } });
      for (let i = 0; i < N; i++) {
        if (i === 5) log.error({ err: new TypeError('boom'), ratio: 0.25, big: 2 ** 53, deep: { a: [1, 'x', { b: null }] }, trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', span_id: '00f067aa0ba902b7', trace_flags: '01' }, 'edge');
        else log.info({ i, protocol }, 'r');
      }
      await log.close();
    }
    const records = await waitForLogs(2 * N, 30_000, out);
    const by = (p) => records.filter((r) => r.attributes.protocol === p || (r.body === 'edge' && records.indexOf(r) < N === (p === 'json')));
    const [json, proto] = [by('json'), by('protobuf')];
    t.is(json.length, N);
    t.is(proto.length, N);
    for (const recs of [json, proto]) {
      const e = recs[5];
      t.is(e.severityNumber, 17);
      t.is(e.attributes['exception.type'], 'TypeError');
      t.is(e.attributes['exception.message'], 'boom');
      t.regex(e.attributes['exception.stacktrace'], /TypeError: boom\n\s+at /);
      t.is(e.attributes.ratio, 0.25);
      t.is(e.attributes.big, 2 ** 53);
      t.deepEqual(e.attributes.deep, { a: [1, 'x', { b: null }] });
      t.is(e.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
      t.is(e.spanId, '00f067aa0ba902b7');
      t.is(e.flags, 1);
      t.is(e.resource['service.name'], 'api');
      t.deepEqual(recs.filter((r) => r.body === 'r').map((r) => r.attributes.i), [...Array(N).keys()].filter((i) => i !== 5));
    }
    const { body, severityText, timeUnixNano, attributes } = json[7];
    t.deepEqual({ body, severityText, timeUnixNano: typeof timeUnixNano, i: attributes.i }, { body: 'r', severityText: 'info', timeUnixNano: 'string', i: 7 });
    // Mozilla's roots do not know the test CA: nothing is sent, and stderr says why, once.
    const r = run(`
      const log = k.createLogger({ destination: { otlp: { url: '${url}', spill: false, timeout: 2000 } } });
      for (let i = 0; i < 20; i++) log.info({ i }, 'r');
      setTimeout(() => process.exit(0), 1500);
    `);
    t.is(r.status, 0, r.stderr);
    t.is(r.stderr.match(/unreachable/g)?.length, 1, r.stderr);
    t.regex(r.stderr, /certificate|issuer|UnknownIssuer/i);
    t.is(countLogs(out), 2 * N);
  } finally {
    await collector.stop();
  }
});

test.serial('a receiver that stays away never blocks the service: past the buffer, records are dropped and counted unless onFull says block', async (t) => {
  t.timeout(60_000);
  const port = await freePort();
  const started = Date.now();
  const { stats } = statsAfter(t, `
    const log = k.createLogger({ bufferSize: 64 * 1024, destination: { otlp: { url: 'http://127.0.0.1:${port}/v1/logs', spill: false, timeout: 500 } } });
    for (let i = 0; i < 100000; i++) log.info({ i, pad: 'x'.repeat(40) }, 'r');
  `);
  t.true(stats.dropped > 50_000, `dropped ${stats.dropped}`);
  t.is(stats.written, 0);
  t.true(Date.now() - started < 30_000, 'the loop did not wait for the receiver');
});

test.serial('a receiver that is up but slower than a burst makes the burst wait: nothing is dropped', async (t) => {
  t.timeout(90_000);
  const dir = tempDir();
  const port = await freePort();
  const out = join(dir, 'out.json');
  const collector = await startCollector({ port, out, dir });
  try {
    const { stats } = statsAfter(t, `
      const log = k.createLogger({ bufferSize: 64 * 1024, exitTimeout: 30000, destination: { otlp: { url: 'http://127.0.0.1:${port}/v1/logs', spill: false } } });
      for (let i = 0; i < 30000; i++) log.info({ i, pad: 'x'.repeat(40) }, 'r');
      await log.flush();
    `);
    t.is(stats.dropped, 0);
    t.is(stats.written, 30000);
    t.is((await waitForLogs(30000, 30_000, out)).length, 30000);
  } finally {
    await collector.stop();
  }
});

test('OTLP options are checked at construction, naming the option', (t) => {
  const bad = [
    [{ otlp: 'localhost:4318' }, /destination\.otlp\.url/],
    [{ otlp: { url: 'http://127.0.0.1:4318/v1/logs', protocol: 'grpc' } }, /destination\.otlp\.protocol.*'protobuf' or 'json'/],
    [{ otlp: { url: 'https://127.0.0.1:4318/v1/logs', tls: { ca: 'not a pem' } } }, /destination\.otlp\.tls\.ca/],
    [{ otlp: { url: 'https://127.0.0.1:4318/v1/logs', tls: { ca: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' } } }, /ca:/],
    [{ otlp: { url: 'http://127.0.0.1:4318/v1/logs', tls: { ca: '-----BEGIN CERTIFICATE-----' } } }, /destination\.otlp\.tls.*only with https:\/\/ URLs/],
    [{ otlp: { url: 'http://127.0.0.1:4318/v1/logs', headers: { 'x-key': 'a\r\nb' } } }, /destination\.otlp\.headers\["x-key"\]/],
    [{ otlp: { url: 'http://127.0.0.1:4318/v1/logs', batchSize: 0 } }, /destination\.otlp\.batchSize/],
    [{ otlp: { url: 'http://127.0.0.1:4318/v1/logs', spill: { maxSize: 'lots' } } }, /destination\.otlp\.spill\.maxSize/],
  ];
  for (const [destination, message] of bad) t.throws(() => createLogger({ destination }), { message }, JSON.stringify(destination));
  t.throws(() => createLogger({ engine: 'js', destination: { otlp: 'http://127.0.0.1:4318/v1/logs' } }), { message: /native engine's shipper thread/ });
});
