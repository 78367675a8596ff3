// pino's transports run by Kakashi: the module in a worker thread fed the lines the Rust writer
// formatted, with pino's PINO_CONFIG handshake. Real transports (pino-roll, pino-socket to a TCP
// server, pino-loki to an HTTP server that records what it gets) receive every record, their
// last batch included, when the process calls process.exit(); a worker that dies mid-stream is
// restarted, said once, and what it held counted. The children have a generous exitTimeout:
// what is checked is that everything arrives, and a shared CI runner can take longer than the
// default 2 s to start a worker.
import test from 'ava';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { createLogger } from '../index.mjs';
import { ROOT, tempDir } from './helpers.mjs';

const FIXTURES = join(ROOT, '__test__', 'fixtures');
const require = createRequire(import.meta.url);

/** Runs `code` (with `k`, Kakashi, and `pino`, kakashi/pino, in scope) in a child process. */
function run(code) {
  const source = `import k from ${JSON.stringify(join(ROOT, 'index.mjs'))};\nimport pino from ${JSON.stringify(join(ROOT, 'pino.mjs'))};\n${code}`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', source], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) => child.once('close', (status) => (clearTimeout(timer), resolve({ status, stdout, stderr }))));
}

const lines = (file) => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

test('pino-roll: 20,000 records, then process.exit(): all in the file, in order', async (t) => {
  const dir = tempDir();
  const file = join(dir, 'app');
  const r = await run(`
    const log = k.createLogger({ name: 'roll', exitTimeout: 30000, destination: { transport: 'pino-roll', options: { file: ${JSON.stringify(file)}, mkdir: true } } });
    for (let i = 0; i < 20000; i++) log.info({ i }, 'rolled');
    process.exit(0);
  `);
  t.is(r.status, 0, r.stderr);
  const files = readdirSync(dir).filter((f) => f.startsWith('app'));
  t.deepEqual(files, ['app.1.log']);
  const records = lines(join(dir, files[0]));
  t.deepEqual(records.map((x) => x.i), [...Array(20000).keys()]);
  t.is(records[0].name, 'roll');
  t.is(records[0].msg, 'rolled');
});

test('pino-socket over TCP, through kakashi/pino\'s transport option: every record arrives by process.exit()', async (t) => {
  const got = [];
  const server = createServer((s) => {
    let buf = '';
    s.on('data', (d) => {
      buf += d;
      const parts = buf.split('\n');
      buf = parts.pop();
      for (const p of parts) got.push(JSON.parse(p));
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  try {
    const r = await run(`
      const log = pino({ exitTimeout: 30000, transport: { target: 'pino-socket', options: { address: '127.0.0.1', port: ${server.address().port}, mode: 'tcp' } } });
      for (let i = 0; i < 5000; i++) log.info({ i }, 'sock');
      process.exit(0);
    `);
    t.is(r.status, 0, r.stderr);
    for (let i = 0; i < 500 && got.length < 5000; i++) await new Promise((res) => setTimeout(res, 20));
    t.deepEqual(got.map((x) => x.i), [...Array(5000).keys()]);
  } finally {
    server.close();
  }
});

test('pino-loki batching for 60 s: its last batch reaches the server on process.exit()', async (t) => {
  const pushed = [];
  const server = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (req.url === '/loki/api/v1/push') pushed.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  try {
    const started = Date.now();
    const r = await run(`
      const transport = pino.transport({ target: 'pino-loki', options: { host: 'http://127.0.0.1:${server.address().port}', batching: { interval: 60 }, labels: { app: 'loki-test' } } });
      const log = pino({ exitTimeout: 30000 }, transport);
      for (let i = 0; i < 3000; i++) log.info({ i }, 'loki');
      process.exit(0);
    `);
    t.is(r.status, 0, r.stderr);
    t.true(Date.now() - started < 30_000, 'not waiting out the batch interval');
    const values = pushed.flatMap((p) => p.streams.flatMap((s) => s.values.map(([, line]) => JSON.parse(line))));
    t.deepEqual(values.map((v) => v.i).sort((a, b) => a - b), [...Array(3000).keys()]);
    t.is(pushed[0].streams[0].stream.app, 'loki-test');
  } finally {
    server.close();
  }
});

test('a transport built with pino-abstract-transport gets pino\'s PINO_CONFIG: levels, messageKey, errorKey', async (t) => {
  const file = join(tempDir(), 'config.out');
  const r = await run(`
    const log = k.createLogger({ exitTimeout: 30000, customLevels: { notice: 35 }, messageKey: 'message', errorKey: 'error', destination: { transport: ${JSON.stringify(join(FIXTURES, 'transport-config.mjs'))}, options: { file: ${JSON.stringify(file)} } } });
    log.notice('hello');
    process.exit(0);
  `);
  t.is(r.status, 0, r.stderr);
  const [config, record] = lines(file);
  t.is(config.levels.values.notice, 35);
  t.is(config.levels.labels[35], 'notice');
  t.is(config.messageKey, 'message');
  t.is(config.errorKey, 'error');
  t.is(record.message, 'hello');
  t.is(record.level, 35);
});

test('a transport worker that dies mid-stream is restarted and said once; what it held is counted, nothing else is lost', async (t) => {
  const dir = tempDir();
  const file = join(dir, 'out.ndjson');
  const N = 20_000;
  const r = await run(`
    const log = k.createLogger({ destination: { transport: ${JSON.stringify(join(FIXTURES, 'transport-crash.cjs'))}, options: { file: ${JSON.stringify(file)}, marker: ${JSON.stringify(join(dir, 'crashed'))}, crashAt: 5000 } } });
    for (let i = 0; i < ${N}; i++) {
      log.info({ i }, 'c');
      if (i % 1000 === 999) await new Promise((r) => setTimeout(r, 5));
    }
    await log.close();
    process.stdout.write(JSON.stringify(log.getStats()));
  `);
  t.is(r.status, 0, r.stderr);
  t.true(existsSync(join(dir, 'crashed')), 'the worker crashed once');
  t.is(r.stderr.match(/worker exited with code 1; restarted/g)?.length, 1, r.stderr);
  const stats = JSON.parse(r.stdout);
  const seen = new Set(lines(file).map((x) => x.i));
  t.true(stats.dropped > 0, 'the request the worker held is counted');
  t.is(stats.written + stats.dropped, N, 'every record is written or counted');
  t.true(seen.size >= stats.written, 'every record counted as written is in the file');
  t.false(seen.has(5000), 'the record the worker died on was not taken');
  t.true(seen.has(N - 1), 'records after the restart arrive');
  const missing = [...Array(N).keys()].filter((i) => !seen.has(i)).length;
  t.true(missing <= stats.dropped, `${missing} missing, ${stats.dropped} counted`);
});

test('pino.transport({ targets }): each target its own worker, with its level', async (t) => {
  const dir = tempDir();
  const config = join(dir, 'warn.out');
  const r = await run(`
    const transport = pino.transport({ targets: [
      { target: 'pino-roll', options: { file: ${JSON.stringify(join(dir, 'all'))} }, level: 'info' },
      { target: ${JSON.stringify(join(FIXTURES, 'transport-config.mjs'))}, options: { file: ${JSON.stringify(config)} }, level: 'warn' },
    ] });
    const log = pino({ exitTimeout: 30000 }, transport);
    for (let i = 0; i < 100; i++) (i % 10 === 0 ? log.warn : log.info).call(log, { i }, 'm');
    process.exit(0);
  `);
  t.is(r.status, 0, r.stderr);
  t.is(lines(join(dir, 'all.1.log')).length, 100);
  t.deepEqual(lines(config).slice(1).map((x) => x.i), [0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
});

test("pino.transport()'s stream, as pino's ThreadStream: 'ready', flushSync(), end() then 'close'; a program that only logs ends on its own", async (t) => {
  const dir = tempDir();
  const r = await run(`
    const events = [];
    const transport = pino.transport({ target: 'pino-roll', options: { file: ${JSON.stringify(join(dir, 'app'))} } });
    const file = pino.transport({ target: 'pino/file', options: { destination: ${JSON.stringify(join(dir, 'plain.log'))} } });
    const log = pino(transport);
    pino(file).info('plain');
    file.on('ready', () => events.push('file ready'));
    transport.on('ready', () => {
      events.push('ready');
      for (let i = 0; i < 1000; i++) log.info({ i }, 'r');
      transport.flushSync();
      transport.on('close', () => {
        events.push('close');
        process.stdout.write(JSON.stringify(events));
      });
      transport.end();
    });
  `);
  t.is(r.status, 0, r.stderr);
  t.deepEqual(JSON.parse(r.stdout), ['file ready', 'ready', 'close']);
  t.deepEqual(lines(join(dir, 'app.1.log')).map((x) => x.i), [...Array(1000).keys()]);
  t.is(lines(join(dir, 'plain.log'))[0].msg, 'plain');
  // Nothing but logging: the process ends once the worker is ready and the records are out.
  const started = Date.now();
  const quiet = await run(`
    const log = pino(pino.transport({ target: 'pino-roll', options: { file: ${JSON.stringify(join(dir, 'quiet'))} } }));
    for (let i = 0; i < 10; i++) log.info({ i }, 'q');
  `);
  t.is(quiet.status, 0, quiet.stderr);
  t.true(Date.now() - started < 8000, 'it did not wait out a worker');
  t.deepEqual(lines(join(dir, 'quiet.1.log')).map((x) => x.i), [...Array(10).keys()]);
});

test("pino-pretty with options of its own (translateTime, ignore, singleLine) is pino-pretty itself, as pino's output; with colorize alone, Kakashi's pretty format", async (t) => {
  const body = (entry) => `
    import pino from ${JSON.stringify(entry)};
    const l = pino({ transport: { target: 'pino-pretty', options: { colorize: false, translateTime: 'HH:MM', ignore: 'pid,hostname', singleLine: true } } });
    l.info({ user: { id: 1 } }, 'hello');
    l.error(new Error('boom'), 'failed');
  `;
  const out = async (entry) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', body(entry)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const [code] = await once(child, 'close');
    t.is(code, 0);
    // (The minute may turn between the two runs; a stack's lines name the program.)
    return stdout.replace(/^\[\d\d:\d\d\]/gm, '[time]').split('\n').filter((l) => !/^\s+at /.test(l)).join('\n');
  };
  const kakashi = await out(join(ROOT, 'pino.mjs'));
  t.is(kakashi, await out(require.resolve('pino')));
  t.regex(kakashi, /^\[time\] INFO: hello \{"user":\{"id":1\}\}$/m);
  const own = await run(`
    const l = pino({ transport: { target: 'pino-pretty', options: { colorize: false } } });
    l.info('plain');
  `);
  t.regex(own.stdout, /^\d\d:\d\d:\d\d\.\d{3} INFO {2}plain/m, 'the writer\'s pretty format');
});

test('transport options are checked at construction', (t) => {
  t.throws(() => createLogger({ destination: { transport: 'no-such-transport-module' } }), { message: /"destination\.transport".*npm install it/ });
  t.throws(() => createLogger({ engine: 'js', destination: { transport: 'pino-roll' } }), { message: /native engine's shipper thread/ });
  t.throws(() => createLogger({ destination: { transport: 'pino-roll', options: { file: 'x', onWrite: () => {} } } }), { message: /transport worker could not start/ });
});
