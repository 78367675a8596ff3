// The logger's API surface: levels, configuration errors, stats, lifecycle, entry points.
import test from 'ava';
import pino from 'pino';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { createLogger, levels, stdSerializers } from '../index.mjs';
import { ENGINES, ROOT, readRecords, tempDir } from './helpers.mjs';

const require = createRequire(import.meta.url);

for (const engine of ENGINES) {
  test(`${engine}: levels, runtime changes, aliases and silent`, async (t) => {
    const path = join(tempDir(), 'levels.log');
    const l = createLogger({ engine, destination: path, level: 'warning' });
    t.is(l.engine, engine);
    t.is(l.level, 'warn');
    t.is(l.levelVal, 40);
    t.false(l.isLevelEnabled('info'));
    t.true(l.isLevelEnabled('critical'));
    l.info('dropped by level');
    l.warn('kept 1');
    l.level = 'debug';
    t.is(l.levelVal, 20);
    l.debug('kept 2');
    l.trace('dropped by level');
    const child = l.child({ c: 1 });
    t.is(child.level, 'debug', 'a child starts at its parent level');
    child.level = 'silent';
    t.is(child.level, 'silent');
    child.fatal('dropped: silent');
    l.info('kept 3');
    t.throws(() => { l.level = 'loud'; }, { message: /unknown level "loud" \(logger.level\)/ });
    await l.close();
    t.deepEqual(readRecords(t, path).map((r) => r.msg), ['kept 1', 'kept 2', 'kept 3']);
    t.deepEqual(levels.values, { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 });
    t.is(levels.labels[50], 'error');
  });

  test(`${engine}: a disabled level is a no-op method`, (t) => {
    const l = createLogger({ engine, destination: join(tempDir(), 'noop.log'), level: 'info' });
    t.is(l.debug, l.trace, 'disabled levels share the no-op');
    t.not(l.info, l.debug);
    t.is(l.debug.length, 0);
    return l.close();
  });

  test(`${engine}: bindings() and child()`, async (t) => {
    const path = join(tempDir(), 'child.log');
    const l = createLogger({ engine, destination: path, base: null, timestamp: false, name: 'svc' });
    const c = l.child({ a: 1 }).child({ b: 'two', a: 3 });
    // pino's: base and name (without pid and hostname), then every child's; a key bound again, the later.
    t.deepEqual(l.bindings(), { name: 'svc' });
    t.deepEqual(c.bindings(), { name: 'svc', a: 3, b: 'two' });
    c.info('x');
    await l.close();
    t.is(readFileSync(path, 'utf8'), '{"level":30,"name":"svc","a":1,"b":"two","a":3,"msg":"x"}\n');
  });

  test(`${engine}: getStats counts what was written; after close, calls are dropped and counted`, async (t) => {
    const path = join(tempDir(), 'stats.log');
    const l = createLogger({ engine, destination: path });
    for (let i = 0; i < 1000; i++) l.info({ i }, 'x');
    await l.flush();
    let s = l.getStats();
    t.is(s.enqueued, 1000);
    t.is(s.written, 1000);
    t.is(s.queued, 0);
    t.is(s.dropped, 0);
    t.is(s.errors, 0);
    t.is(s.bytesWritten, readFileSync(path).length);
    await l.close();
    t.notThrows(() => l.info('after close'));
    t.notThrows(() => l.child({ x: 1 }).error('after close'));
    s = l.getStats();
    t.is(s.dropped, 2);
    t.is(s.enqueued, 1002);
    t.is(s.written, 1000);
    t.is(readRecords(t, path).length, 1000);
    await t.notThrowsAsync(l.close(), 'closing twice is harmless');
  });

  test(`${engine}: flushSync and the flush interval get records out without close`, async (t) => {
    const path = join(tempDir(), 'flush.log');
    const l = createLogger({ engine, destination: path, flushInterval: 10 });
    l.info('one');
    l.flushSync();
    t.is(readRecords(t, path).length, 1);
    l.info('two');
    // The timer hands the record over on its own; poll, since a busy test process runs late.
    const deadline = Date.now() + 10_000;
    while (readFileSync(path, 'utf8').split('\n').length < 3 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    t.is(readRecords(t, path).length, 2, 'the timer handed the record over');
    await l.close();
  });

  test(`${engine}: configuration mistakes fail at createLogger, naming option and value`, (t) => {
    const dir = tempDir();
    const bad = [
      [{ level: 'verbose' }, /unknown level "verbose" \(option "level"\)/],
      [{ bufferSize: 10 }, /invalid option "bufferSize": 10/],
      [{ bufferSize: 'big' }, /invalid option "bufferSize": "big"/],
      [{ flushInterval: -1 }, /invalid option "flushInterval": -1/],
      [{ onFull: 'explode' }, /invalid option "onFull": "explode"/],
      [{ destination: '' }, /invalid option "destination": ""/],
      [{ destination: { nope: 1 } }, /invalid option "destination"/],
      [{ destination: -3 }, /invalid option "destination": -3/],
      [{ destination: dir }, new RegExp(`cannot open destination "${dir}": .*(directory|EISDIR)`, 'i')],
      [{ destination: join(dir, 'missing', 'x.log') }, /cannot open destination ".*missing.*": .*(No such file|ENOENT)/],
      [{ destination: 987654 }, /cannot open destination 987654/],
      [{ engine: 'turbo' }, /invalid option "engine": "turbo"/],
    ];
    for (const [options, message] of bad) {
      t.throws(() => createLogger({ engine, ...options }), { message }, JSON.stringify(options));
    }
  });

  test(`${engine}: a directory without write permission is a clear error`, (t) => {
    if (process.getuid?.() === 0) {
      // root ignores permissions; a read-only bind is not available here, so use /proc instead.
      t.throws(() => createLogger({ engine, destination: '/proc/kakashi-cannot-create.log' }), { message: /cannot open destination/ });
      return;
    }
    const dir = join(tempDir(), 'ro');
    mkdirSync(dir);
    chmodSync(dir, 0o500);
    t.throws(() => createLogger({ engine, destination: join(dir, 'x.log') }), { message: /cannot open destination .*(permission|EACCES)/i });
  });

  test(`${engine}: mkdir creates parent directories; append: false truncates`, async (t) => {
    const path = join(tempDir(), 'a', 'b', 'c.log');
    let l = createLogger({ engine, destination: { path, mkdir: true } });
    l.info('first');
    await l.close();
    l = createLogger({ engine, destination: { path, append: false } });
    l.info('second');
    await l.close();
    t.deepEqual(readRecords(t, path).map((r) => r.msg), ['second']);
  });

  test(`${engine}: environment variables set the defaults and are validated`, (t) => {
    const run = (env) =>
      spawnSync(process.execPath, ['-e', `const l = require(${JSON.stringify(ROOT)}).createLogger({ destination: 'stderr' }); console.log(l.level, l.engine)`], {
        env: { ...process.env, ...env },
        encoding: 'utf8',
      });
    const ok = run({ KAKASHI_LEVEL: 'debug', KAKASHI_ENGINE: engine });
    t.is(ok.stdout.trim(), `debug ${engine}`);
    const badLevel = run({ KAKASHI_LEVEL: 'chatty' });
    t.regex(badLevel.stderr, /unknown level "chatty" \(environment variable KAKASHI_LEVEL\)/);
    const badEngine = run({ KAKASHI_ENGINE: 'warp' });
    t.regex(badEngine.stderr, /invalid environment variable KAKASHI_ENGINE: "warp"/);
  });
}

test('the output renders with pino-pretty', async (t) => {
  const path = join(tempDir(), 'pretty.log');
  const l = createLogger({ destination: path, name: 'app' });
  l.warn({ user: 'ann' }, 'hello pretty');
  await l.close();
  const bin = require.resolve('pino-pretty/bin.js');
  const out = execFileSync(process.execPath, [bin, '--colorize', 'false'], { input: readFileSync(path) }).toString();
  t.regex(out, /^\[\d\d:\d\d:\d\d\.\d{3}\] WARN \(app\/\d+\): hello pretty\n/);
  t.regex(out, /user: "ann"/);
});

test('require() and import work from another folder, with types', (t) => {
  const dir = tempDir();
  writeFileSync(join(dir, 'package.json'), '{"name":"consumer","version":"1.0.0"}');
  mkdirSync(join(dir, 'node_modules'));
  // A link stands in for an installed copy of this repo.
  execFileSync('ln', ['-s', ROOT, join(dir, 'node_modules', 'kakashi')]);
  const cjs = execFileSync(process.execPath, ['-e', "const k = require('kakashi'); const l = k.createLogger({ destination: 'stderr' }); console.log(typeof k.createLogger, l.engine)"], { cwd: dir }).toString();
  t.is(cjs.trim(), 'function native');
  const esm = execFileSync(process.execPath, ['--input-type=module', '-e', "import { createLogger, levels } from 'kakashi'; import k from 'kakashi'; console.log(typeof createLogger, levels.values.info, k.createLogger === createLogger)"], { cwd: dir }).toString();
  t.is(esm.trim(), 'function 30 true');
  writeFileSync(
    join(dir, 'use.ts'),
    "import { createLogger, type Logger, type LoggerOptions } from 'kakashi';\n" +
      "const o: LoggerOptions = { level: 'warning', destination: { path: 'x.log', mkdir: true }, onFull: 'drop' };\n" +
      "const l: Logger = createLogger(o);\nl.info({ a: 1 }, 'm %s', 'x');\nl.child({ b: 2 }).error(new Error('e'));\nconst n: number = l.getStats().written + n2();\nfunction n2(): number { return l.levelVal; }\nvoid n;\n" +
      // Code written against pino's types: its type names, any object as bindings, typed serializers.
      "import { stdSerializers, type Bindings, type LevelWithSilent, type SerializedError, type TransportTargetOptions } from 'kakashi';\n" +
      "interface Ctx { reqId: string }\nconst ctx: Ctx = { reqId: 'r' };\nl.child(ctx).setBindings(ctx);\nconst id: string = l.bindings().reqId;\nconst b: Bindings = ctx;\n" +
      "const lv: LevelWithSilent = 'silent';\nconst se: SerializedError = stdSerializers.err(new Error('x'));\nconst m: string = se.message;\n" +
      "const r = createLogger({ redact: { paths: ['a'], censor: (value, path) => path.join('.') + String(value) } });\n" +
      "const tt: TransportTargetOptions = { target: 'pino/file', level: 'warn' };\nconst po: LoggerOptions = { transport: { targets: [tt] } };\nvoid [id, b, lv, m, r, po];\n" +
      "const audited = createLogger({ customLevels: { audit: 35 } });\naudited.child({}, { customLevels: { verbose: 5 } }).verbose('a child level');\naudited.child({ c: 1 }).audit('a parent level');\n",
  );
  // As pino's types are used where an application maps pino to Kakashi: the default export
  // callable from ES modules and CommonJS alike, and a namespace of pino's type names on it.
  writeFileSync(
    join(dir, 'pino-style.mts'),
    "import pino from 'kakashi';\nconst log: pino.Logger = pino({ level: 'info' } satisfies pino.LoggerOptions);\n" +
      "const d: pino.DestinationStream = pino.destination('/dev/null');\nconst l2: pino.Logger<'audit', true> = pino({ customLevels: { audit: 35 } });\n" +
      "const lv: pino.LevelWithSilent = 'silent';\nlog.child({ a: 1 }).info('x');\nvoid [d, l2, lv];\n",
  );
  writeFileSync(join(dir, 'pino-style.cts'), "import pino = require('kakashi');\nconst log: pino.Logger = pino(pino.destination(1));\nlog.info('x');\n");
  writeFileSync(
    join(dir, 'kakashi-pino.mts'),
    "import pino from 'kakashi/pino';\nimport { destination, type PinoOptions } from 'kakashi/pino';\nconst o: PinoOptions = { transport: { target: 'pino-pretty' } };\n" +
      "const log: pino.Logger = pino({ level: 'info' }, destination(1));\nconst m: pino.MultiStreamRes = pino.multistream([{ stream: destination(2), level: 'warn' }]);\nlog.info('x');\nvoid [o, m];\n",
  );
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '--strict', '--noEmit', '--module', 'nodenext', '--moduleResolution', 'nodenext', 'use.ts', 'pino-style.mts', 'pino-style.cts', 'kakashi-pino.mts'], { cwd: dir, encoding: 'utf8' });
  t.is(r.status, 0, r.stdout + r.stderr);
});

test('engine "native" that cannot load is an error; "auto" falls back with one warning', (t) => {
  const script = `
    const Module = require('module');
    const orig = Module._load;
    Module._load = function (req, ...rest) { if (req.endsWith('.node')) throw new Error('simulated missing addon'); return orig.call(this, req, ...rest); };
    const { createLogger } = require(${JSON.stringify(ROOT)});
    try { createLogger({ engine: 'native' }); } catch (e) { console.log('native:', e.message); }
    const a = createLogger({ engine: 'auto', destination: 'stdout' });
    const b = createLogger({ destination: 'stdout' });
    console.log('auto:', a.engine, b.engine);
  `;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  t.regex(r.stdout, /native: kakashi: engine "native" is unavailable: .*simulated missing addon/);
  t.regex(r.stdout, /auto: js js/);
  t.is(r.stderr.trim().split('\n').length, 1, `one warning line: ${r.stderr}`);
  t.regex(r.stderr, /native engine unavailable, using the JS engine/);
});

test('a Rust panic in the addon becomes a JavaScript error, not a crash; a release addon has no test-only entry', (t) => {
  const binding = require(join(ROOT, 'native', `kakashi.${process.platform}-${process.arch}-gnu.node`));
  // The release workflow's addon is built without the test-hooks feature (and says so here).
  if (process.env.KAKASHI_RELEASE_ADDON === '1') return t.is(binding.panicForTest, undefined);
  t.throws(() => binding.panicForTest(), { message: /deliberate panic/ });
});

for (const engine of ENGINES) {
  test(`${engine}: serializers, msgPrefix and child options, as pino takes them`, async (t) => {
    const path = join(tempDir(), 'ser.log');
    const log = createLogger({
      engine,
      destination: path,
      base: null,
      timestamp: false,
      msgPrefix: '[app] ',
      serializers: { user: (u) => u.id, bad: () => { throw new Error('no'); } },
    });
    log.info({ user: { id: 7, password: 'x' }, bad: 1, other: { user: 'nested is left alone' } }, 'one');
    const child = log.child({ user: { id: 8 } }, { level: 'warn', msgPrefix: '[db] ', serializers: { query: (q) => q.length } });
    t.is(child.level, 'warn');
    t.deepEqual(child.levels.values.info, 30);
    child.info('not logged: the child is at warn');
    child.warn({ query: 'select 1', user: { id: 9 } }, 'two');
    const fromChild = log.child({}, { serializers: { user: (u) => `user-${u.id}` } });
    fromChild.info({ user: { id: 3 } }, 'three');
    await log.close();
    t.is(
      readFileSync(path, 'utf8'),
      '{"level":30,"user":7,"bad":"[Throws]","other":{"user":"nested is left alone"},"msg":"[app] one"}\n' +
        '{"level":40,"user":8,"query":8,"user":9,"msg":"[app] [db] two"}\n' +
        '{"level":30,"user":"user-3","msg":"[app] three"}\n',
    );
  });
}

test('stdSerializers are pino\'s: req, res and err shaped as pino shapes them', (t) => {
  const req = { id: 'r1', method: 'GET', url: '/x', headers: { host: 'h' }, socket: { remoteAddress: '127.0.0.1', remotePort: 5000 } };
  t.deepEqual(JSON.parse(JSON.stringify(stdSerializers.req(req))), { id: 'r1', method: 'GET', url: '/x', headers: { host: 'h' }, remoteAddress: '127.0.0.1', remotePort: 5000 });
  t.deepEqual(JSON.parse(JSON.stringify(stdSerializers.res({ statusCode: 201, headersSent: true, getHeaders: () => ({ a: '1' }) }))), { statusCode: 201, headers: { a: '1' } });
  const err = new Error('boom', { cause: new Error('why') });
  err.stack = 'S';
  err.cause.stack = 'C';
  t.deepEqual(JSON.parse(JSON.stringify(stdSerializers.err(err))), { type: 'Error', message: 'boom: why', stack: 'S\ncaused by: C' });
  t.is(stdSerializers.err('not an error'), 'not an error');
  t.deepEqual(Object.keys(stdSerializers).sort(), Object.keys(pino.stdSerializers).sort());
});

test('messageKey and errorKey, the same on both engines', async (t) => {
  const out = [];
  for (const engine of ENGINES) {
    const path = join(tempDir(), `${engine}.log`);
    const log = createLogger({ engine, destination: path, base: null, timestamp: false, messageKey: 'message', errorKey: 'error' });
    const e = new Error('boom');
    e.stack = 'S';
    log.error(e);
    log.info({ error: e });
    log.info('plain');
    await log.close();
    out.push(readFileSync(path, 'utf8'));
  }
  t.is(out[0], out[1]);
  t.is(
    out[0],
    '{"level":50,"error":{"type":"Error","message":"boom","stack":"S"},"message":"boom"}\n' +
      '{"level":30,"error":{"type":"Error","message":"boom","stack":"S"},"message":"boom"}\n' +
      '{"level":30,"message":"plain"}\n',
  );
  t.throws(() => createLogger({ messageKey: '' }), { message: /invalid option "messageKey"/ });
});

test('setBindings, version and level-change, as pino has them', async (t) => {
  const path = join(tempDir(), 'pinoish.log');
  const log = createLogger({ destination: path, base: null, timestamp: false });
  const child = log.child({ a: 1 });
  child.setBindings({ b: 2, a: 3 });
  t.deepEqual(child.bindings(), { a: 3, b: 2 });
  child.info('x');
  const changes = [];
  log.on('level-change', (...args) => changes.push(args.slice(0, 4)));
  log.level = 'debug';
  log.level = 'error';
  await log.close();
  t.is(readFileSync(path, 'utf8'), '{"level":30,"a":1,"b":2,"a":3,"msg":"x"}\n');
  t.deepEqual(changes, [['debug', 20, 'info', 30], ['error', 50, 'debug', 20]]);
  t.is(log.version, JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
});

test('levels: by name or number everywhere; custom level mistakes fail at construction, naming the option', (t) => {
  const l = createLogger({ level: 40, destination: '/dev/null', customLevels: { audit: 35 } });
  t.is(l.level, 'warn');
  l.level = 35;
  t.is(l.level, 'audit');
  l.level = 'ERROR';
  t.is(l.levelVal, 50);
  t.true(l.isLevelEnabled(60));
  t.false(l.isLevelEnabled('audit'));
  t.false(l.isLevelEnabled('nope'), 'an unknown level is not enabled, and does not throw');
  t.false(l.isLevelEnabled('silent'));
  t.is(l.child({}, { level: '' }).level, 'error', 'a falsy child level keeps the parent\'s');
  t.is(l.child({}, { level: 20 }).level, 'debug');
  t.throws(() => { l.level = 55; }, { message: /unknown level 55 \(logger.level\)/ });
  t.throws(() => l.child({}, { level: 'nope' }), { message: /unknown level "nope" \(child\(\) option "level"\)/ });
  t.throws(() => createLogger({ customLevels: { child: 35 } }), { message: /invalid option "customLevels": "child"/ });
  t.throws(() => createLogger({ customLevels: { info: 35 } }), { message: /invalid option "customLevels.info": 35; expected a name not already a level/ });
  t.throws(() => createLogger({ customLevels: { big: 2 ** 27 } }), { message: /invalid option "customLevels.big"/ });
  t.throws(() => createLogger({ useOnlyCustomLevels: true }), { message: /invalid option "useOnlyCustomLevels"/ });
  t.throws(() => createLogger({ useOnlyCustomLevels: true, customLevels: { a: 1 } }), { message: /invalid option "level"/ });
  t.throws(() => createLogger({ levelComparison: 'asc' }), { message: /invalid option "levelComparison"/ });
  t.throws(() => createLogger({ timestamp: 'now' }), { message: /invalid option "timestamp"/ });
  t.throws(() => createLogger({ hooks: { logMethod: 1 } }), { message: /invalid option "hooks.logMethod"/ });
  t.throws(() => createLogger({ serializers: { a: 1 } }), { message: /invalid option "serializers.a"/ });
  t.notThrows(() => createLogger({ serializers: { a: null, b: undefined }, destination: '/dev/null' }));
  t.throws(() => l.child(), { message: /child\(bindings\) expects an object/ });
});

// The native engine reads each record's time from a clock a Rust thread keeps current
// (capture/clock.ts): it must say what Date.now() would, within the clock's tick (and a loaded
// machine's scheduling), never go backwards, wake after idling, and give way to a replaced
// Date.now (fake timers).
// Both read the shared clock (capture/clock.ts): the native engine, and the JS engine where
// 'auto' chose it for a stream with the addon at hand.
for (const [name, open] of [
  ['native', (path) => ({ log: createLogger({ engine: 'native', destination: path }), done: () => Promise.resolve() })],
  [
    'a stream under engine auto',
    (path) => {
      const stream = createWriteStream(path);
      return { log: createLogger({ destination: stream }), done: () => new Promise((resolve) => stream.end(resolve)) };
    },
  ],
]) {
  test(`${name}: record times follow Date.now(), stay in order, survive the clock parking, and follow a replaced Date.now`, async (t) => {
    const path = join(tempDir(), 'time.log');
    const { log, done } = open(path);
    const window = [];
    const burst = () => {
      const before = Date.now();
      for (let i = 0; i < 2000; i++) log.info({ i }, 'tick');
      window.push([before, Date.now()]);
    };
    burst();
    await new Promise((r) => setTimeout(r, 30));
    burst();
    // Idle for longer than the ticker's window: it parks; the next burst wakes it.
    await new Promise((r) => setTimeout(r, 1300));
    burst();
    const real = Date.now;
    Date.now = () => 42;
    try {
      log.info('faked');
    } finally {
      Date.now = real;
    }
    await log.close();
    await done();
    const records = readRecords(t, path);
    t.is(records.length, 6001);
    for (let b = 0; b < 3; b++) {
      const [before, after] = window[b];
      const times = records.slice(b * 2000, (b + 1) * 2000).map((r) => r.time);
      t.true(times.every((x, i) => i === 0 || x >= times[i - 1]), `burst ${b}: in order`);
      // A tick is 1 ms; a ticker kept from its core is caught within 256 reads (2 ms late at most then).
      t.true(times[0] >= before - 10 && times[times.length - 1] <= after, `burst ${b}: ${times[0]}..${times[times.length - 1]} within ${before}..${after}`);
    }
    t.true(records[2000].time >= records[1999].time + 25, 'the clock advanced across the pause');
    t.true(records[4000].time >= records[3999].time + 1200, 'woken after parking, with the time of the wake');
    t.is(records[6000].time, 42);
  });
}

test('a message logged over and over, across batches, child loggers and a record read field by field: every line has its own', async (t) => {
  for (const engine of ENGINES) {
    const path = join(tempDir(), 'again.log');
    const log = createLogger({ engine, destination: path, base: null, timestamp: false });
    const child = log.child({ c: 1 });
    const throwing = {
      get x() {
        throw new Error('no');
      },
    };
    const want = [];
    // Several batches' worth (a batch is handed over at about 400 records of this size).
    for (let i = 0; i < 3000; i++) {
      log.info({ i }, 'same');
      want.push(`{"level":30,"i":${i},"msg":"same"}`);
      if (i % 500 === 0) {
        child.info(throwing, 'same');
        want.push('{"level":30,"c":1,"x":"[Throws]","msg":"same"}');
      }
      if (i % 700 === 0) {
        log.warn(`same ${i}`.slice(0, 4));
        want.push('{"level":40,"msg":"same"}');
      }
    }
    await log.close();
    t.deepEqual(readFileSync(path, 'utf8').trimEnd().split('\n'), want, engine);
  }
});

for (const engine of ENGINES) {
  test(`${engine}: a record after a quiet spell reaches the file at once; one right behind it waits for flushInterval (or flush())`, async (t) => {
    const path = join(tempDir(), 'quiet.log');
    // A minute of flushInterval: only the quiet-spell rule can bring the first record in time.
    const log = createLogger({ engine, destination: path, flushInterval: 60_000, base: null, timestamp: false });
    const lines = () => {
      try {
        return readFileSync(path, 'utf8').split('\n').filter(Boolean).length;
      } catch {
        return 0;
      }
    };
    const until = async (n, ms) => {
      for (const end = Date.now() + ms; lines() < n && Date.now() < end; ) await new Promise((r) => setTimeout(r, 5));
      return lines();
    };
    log.info('first, after nothing');
    t.is(await until(1, 20_000), 1, 'handed over on the next turn, not after a minute');
    log.info('second, right behind it');
    t.is(await until(2, 300), 1, 'batched: it waits for the interval');
    await log.flush();
    t.is(lines(), 2);
    await log.close();
  });
}

test("createLogger refuses pino's transport option, naming its own form", (t) => {
  t.throws(() => createLogger({ transport: { target: 'pino-pretty' } }), { message: /invalid option "transport".*destination: \{ transport/ });
});
