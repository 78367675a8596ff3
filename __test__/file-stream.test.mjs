// A file stream as a logger's one destination (engines/file-stream.ts): the native writer takes
// its descriptor once the stream is open and idle; what was logged or written before stays
// first, the stream's end() and destroy() stop the writer first, and it never writes to a
// descriptor the stream closed.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { createLogger } from '../index.mjs';
import { ROOT, readRecords, tempDir } from './helpers.mjs';

const require = createRequire(import.meta.url);
const kpino = require('../dist/pino-entry.js');
const { createWriteStream, readFileSync, openSync, closeSync } = fs;

const settle = (ms) => new Promise((r) => setTimeout(r, ms));
/** Until `stream` has opened and the logger's engine has taken it over (or 20 s). */
async function nativeOnce(log) {
  for (let i = 0; i < 2000 && log.engine !== 'native'; i++) await settle(10);
}

test('a file stream: lines logged before it opens, and a header written to it, come first; the native writer writes the rest, the same bytes as the JS engine', async (t) => {
  const dir = tempDir();
  const run = async (engine) => {
    const path = join(dir, `${engine}.log`);
    const dest = createWriteStream(path);
    dest.write('header\n');
    const log = kpino({ engine, base: null, timestamp: false }, dest);
    const child = log.child({ reqId: 7 });
    for (let i = 0; i < 100; i++) (i % 2 ? log : child).info({ i, s: 'é"\n' }, 'before open');
    const engineBefore = log.engine;
    if (engine === 'js') await settle(20);
    else await nativeOnce(log);
    const engineAfter = log.engine;
    for (let i = 0; i < 100; i++) (i % 2 ? log : child).info({ i, s: 'é"\n' }, 'after');
    dest.end();
    await once(dest, 'finish');
    return { text: readFileSync(path, 'utf8'), engineBefore, engineAfter, stats: log.getStats() };
  };
  const js = await run('js');
  const auto = await run('auto');
  t.is(js.engineAfter, 'js');
  t.is(auto.engineBefore, 'js', 'until the stream is open, the JS engine writes through it');
  t.is(auto.engineAfter, 'native', 'then the native writer takes its descriptor');
  t.is(auto.text, js.text);
  t.true(auto.text.startsWith('header\n'));
  t.is(auto.text.split('\n').length, 202);
  t.like(auto.stats, { enqueued: 200, written: 200, dropped: 0, queued: 0 });
  t.is(auto.stats.bytesWritten, Buffer.byteLength(auto.text) - 'header\n'.length);
});

test('a file stream ended right after logging gets every line before its finish; later records never reach the descriptor\'s next owner', async (t) => {
  const dir = tempDir();
  const path = join(dir, 'ended.log');
  const dest = createWriteStream(path);
  dest.on('error', () => {});
  const log = createLogger({ destination: dest, flushInterval: 10_000 });
  await nativeOnce(log);
  t.is(log.engine, 'native');
  const fd = dest.fd;
  for (let i = 0; i < 5000; i++) log.info({ i }, 'held by the writer');
  dest.end();
  await once(dest, 'close');
  // The next file opened takes the same descriptor number.
  // Files opened until one takes the stream's descriptor number (other tests hold lower ones).
  const opened = [];
  for (let i = 0; i < 64 && opened.at(-1)?.fd !== fd; i++) opened.push({ path: join(dir, `other-${i}.log`), fd: openSync(join(dir, `other-${i}.log`), 'w') });
  try {
    t.is(opened.at(-1).fd, fd, 'the descriptor number was reused');
    log.info('after the end');
    await log.flush();
    await settle(50);
  } finally {
    for (const o of opened) closeSync(o.fd);
  }
  t.is(readFileSync(opened.at(-1).path, 'utf8'), '', 'nothing was written to the reused descriptor');
  const records = readRecords(t, path);
  t.is(records.length, 5000);
  t.deepEqual(records.map((r) => r.i), [...Array(5000).keys()]);
  t.is(log.engine, 'js');
});

test('a file stream destroyed: what the native writer held is written first, and it writes no more', async (t) => {
  const path = join(tempDir(), 'destroyed.log');
  const dest = createWriteStream(path);
  dest.on('error', () => {});
  const log = createLogger({ destination: dest, flushInterval: 10_000 });
  await nativeOnce(log);
  for (let i = 0; i < 100; i++) log.info({ i }, 'x');
  dest.destroy();
  await once(dest, 'close');
  t.is(readRecords(t, path).length, 100);
  t.is(log.engine, 'js');
  t.like(log.getStats(), { enqueued: 100, written: 100 });
});

test('file streams the native writer cannot write for stay with the JS engine: a start position, a custom fs, a FIFO; engine "js"', async (t) => {
  const dir = tempDir();
  const start = join(dir, 'start.log');
  fs.writeFileSync(start, 'x'.repeat(10));
  const custom = { ...fs, write: (...args) => fs.write(...args) };
  const fifo = join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  const reader = fs.createReadStream(fifo);
  const read = [];
  reader.on('data', (d) => read.push(d));
  const readerEnded = once(reader, 'end');
  const cases = [
    ['start', () => createWriteStream(start, { flags: 'r+', start: 2 }), {}],
    ['fs', () => createWriteStream(join(dir, 'fs.log'), { fs: custom }), {}],
    ['fifo', () => createWriteStream(fifo), {}],
    ['engine js', () => createWriteStream(join(dir, 'js.log')), { engine: 'js' }],
  ];
  for (const [name, open, options] of cases) {
    const dest = open();
    const log = createLogger({ destination: dest, ...options });
    await once(dest, 'open');
    await settle(30);
    t.is(log.engine, 'js', name);
    log.info('kept');
    dest.end();
    await once(dest, 'finish');
  }
  await readerEnded;
  t.is(JSON.parse(Buffer.concat(read).toString()).msg, 'kept');
  t.is(readFileSync(start, 'utf8').slice(0, 2), 'xx');
  t.is(JSON.parse(readFileSync(start, 'utf8').slice(2).split('\n')[0]).msg, 'kept');
});

test('engine "native" takes a file stream; other streams it still refuses', (t) => {
  const dest = createWriteStream(join(tempDir(), 'native.log'));
  t.notThrows(() => createLogger({ engine: 'native', destination: dest }));
  dest.end();
  const { Writable } = require('node:stream');
  t.throws(() => createLogger({ engine: 'native', destination: new Writable({ write: (c, e, cb) => cb() }) }), { message: /cannot write to a stream/ });
});

test('a file stream at exit: the loop running dry, or process.exit() with a record from an exit listener, loses nothing', (t) => {
  const dir = tempDir();
  const entry = JSON.stringify(join(ROOT, 'dist', 'pino-entry.js'));
  for (const [how, tail, expected] of [
    ['the loop runs dry', `setTimeout(() => { for (let i = 0; i < 500; i++) l.info({ i }, 'y'); }, 100);`, 800],
    ['process.exit()', `setTimeout(() => { process.on('exit', () => l.info('late')); for (let i = 0; i < 150; i++) l.info({ i }, 'y'); if (l.engine !== 'native') throw new Error(l.engine); process.exit(0); }, 100);`, 451],
  ]) {
    const path = join(dir, `${how}.log`);
    const script = `const fs = require('fs'); const pino = require(${entry}); const dest = fs.createWriteStream(${JSON.stringify(path)});
      const l = pino({ flushInterval: 10000 }, dest); for (let i = 0; i < 300; i++) l.info({ i }, 'x'); ${tail}`;
    execFileSync(process.execPath, ['-e', script]);
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    t.is(lines.length, expected, how);
    if (expected === 451) t.is(JSON.parse(lines[450]).msg, 'late', 'the exit listener\'s record is written too');
  }
});
