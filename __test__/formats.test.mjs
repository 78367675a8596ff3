// Output formats and record keys: json (with ISO times, level labels, custom keys, formatters),
// logfmt and pretty — the same bytes from both engines, one line per record whatever the input,
// colour only where it belongs; and the per-record hooks (mixin, formatters.log, .bindings).
import test from 'ava';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { createLogger } from '../index.mjs';
import { ENGINES, ROOT, tempDir } from './helpers.mjs';

const ISO = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.(\d{3}|\d{9})Z/g;
const CLOCK = /^\d\d:\d\d:\d\d\.\d{3} /gm;

async function logged(engine, options, calls) {
  const path = join(tempDir(), `${engine}.log`);
  const log = createLogger({ engine, destination: path, ...options });
  calls(log);
  await log.close();
  return readFileSync(path, 'utf8');
}

/** Both engines' output, checked identical once times (which differ by run) are masked. */
async function both(t, options, calls) {
  const out = {};
  for (const engine of ENGINES) out[engine] = await logged(engine, options, calls);
  const mask = (s) => s.replace(ISO, '<iso>').replace(CLOCK, '<clock> ').replace(/"time":\d+/g, '"time":<ms>');
  t.is(mask(out.native), mask(out.js), 'both engines wrote the same bytes');
  return out.native;
}

const boom = new Error('boom');
boom.stack = 'Error: boom\n    at here';

function sample(log) {
  const child = log.child({ region: 'eu west', user: { id: 7 } });
  child.info({ a: 1, b: 'two words', c: true, d: null, big: 12n, nested: { x: [1, 'y'] } }, 'hello %s', 'world');
  child.warn('line one\nline two \u001b[31mred\u001b[0m \u2028 \ud800');
  log.error(boom);
  log.debug({ 'k=v': '', 'sp ace': 'q"uote\\' });
}

test('json: ISO time, level labels under a custom key, formatters.level', async (t) => {
  const iso = await both(t, { timestamp: 'iso', base: null, name: 'app' }, (l) => l.info('hi'));
  t.regex(iso, /^\{"level":30,"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z","name":"app","msg":"hi"\}\n$/);
  const iso2 = JSON.parse(iso);
  t.true(Math.abs(Date.parse(iso2.time) - Date.now()) < 60_000);

  const labels = await both(t, { timestamp: false, base: null, levelKey: 'severity', levelLabels: true }, (l) => l.warn('w'));
  t.is(labels, '{"severity":"warn","msg":"w"}\n');

  const formatted = await both(
    t,
    { timestamp: false, base: null, formatters: { level: (label, number) => ({ severity: label.toUpperCase(), n: number }) } },
    (l) => l.error('e'),
  );
  t.is(formatted, '{"severity":"ERROR","n":50,"msg":"e"}\n');
});

test('logfmt: level, time, message first; values quoted and escaped as logfmt needs', async (t) => {
  const text = await both(t, { format: 'logfmt', base: { pid: 1 }, name: 'app', level: 'debug' }, sample);
  const lines = text.split('\n');
  t.is(lines.pop(), '');
  t.is(lines.length, 4);
  t.is(
    lines[0],
    'level=info time=<iso> msg="hello world" pid=1 name=app region="eu west" user="{\\"id\\":7}" a=1 b="two words" c=true d=null big=12 nested="{\\"x\\":[1,\\"y\\"]}"'.replace(
      '<iso>',
      lines[0].match(ISO)[0],
    ),
  );
  t.true(lines[1].includes(' msg="line one\\nline two \\u001b[31mred\\u001b[0m \\u2028 \\ud800" '), lines[1]);
  t.regex(lines[2], /^level=error time=\S+ msg=boom pid=1 name=app err="\{\\"type\\":\\"Error\\",\\"message\\":\\"boom\\",\\"stack\\":\\"Error: boom\\\\n/);
  t.true(lines[3].endsWith(' "k=v"="" "sp ace"="q\\"uote\\\\"'), lines[3]);
});

test('pretty: clock, level, name, message, then fields; controls escaped; colour only when asked', async (t) => {
  const text = await both(t, { format: 'pretty', name: 'app', level: 'debug' }, sample);
  const lines = text.split('\n');
  t.is(lines.pop(), '');
  t.is(lines.length, 4);
  t.regex(lines[0], /^\d\d:\d\d:\d\d\.\d{3} INFO  app: hello world region="eu west" user=\{"id":7\} a=1 b="two words" c=true d=null big=12 nested=\{"x":\[1,"y"\]\}$/);
  t.true(lines[1].endsWith('WARN  app: line one\\nline two \\u001b[31mred\\u001b[0m \\u2028 \\ud800 region="eu west" user={"id":7}'), lines[1]);
  t.regex(lines[2], /ERROR app: boom err=\{"type":"Error","message":"boom","stack":"Error: boom\\n/);
  t.false(text.includes('\u001b'), 'no raw escape byte: colour is off for a file, and user data is escaped');
  t.false(text.includes('pid='), 'pretty leaves out pid and hostname');

  const coloured = await both(t, { format: 'pretty', colors: true, base: null, timestamp: false }, (l) => l.error({ a: 1 }, 'm'));
  t.is(coloured, '\u001b[31mERROR\u001b[39m m \u001b[2ma=\u001b[22m1\n');
});

test('objects whose JSON is a string (Date, URL) are written as that string in logfmt and pretty', async (t) => {
  const call = (l) => l.info({ at: new Date(0), u: new URL('http://x/a b') });
  t.is(await both(t, { format: 'logfmt', timestamp: false, base: null }, call), 'level=info at=1970-01-01T00:00:00.000Z u=http://x/a%20b\n');
  t.is(await both(t, { format: 'pretty', timestamp: false, base: null }, call), 'INFO  at=1970-01-01T00:00:00.000Z u=http://x/a%20b\n');
});

test('KAKASHI_FORMAT chooses the format; an invalid value names the variable', (t) => {
  const script = `import('${join(ROOT, 'index.mjs')}').then(async ({ createLogger }) => { const l = createLogger({ timestamp: false, base: null }); l.info({ a: 1 }, 'hi'); await l.close(); })`;
  const run = (value) => spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, KAKASHI_FORMAT: value } });
  t.is(run('logfmt').stdout, 'level=info msg=hi a=1\n');
  t.is(run('pretty').stdout, 'INFO  hi a=1\n', 'stdout is a pipe here: no colour');
  const bad = run('yaml');
  t.not(bad.status, 0);
  t.regex(bad.stderr, /invalid environment variable KAKASHI_FORMAT: "yaml"; expected json, logfmt or pretty/);
  t.throws(() => createLogger({ format: 'xml' }), { message: /invalid option "format": "xml"/ });
  t.throws(() => createLogger({ timestamp: 'seconds' }), { message: /invalid option "timestamp"/ });
});

test('pretty on a terminal is coloured, unless NO_COLOR is set', (t) => {
  // A real pseudo-terminal (Python's pty module) as the child's stdout.
  const script = `import('${join(ROOT, 'index.mjs')}').then(async ({ createLogger }) => { const l = createLogger({ format: 'pretty', timestamp: false, base: null }); l.warn('hi'); await l.close(); })`;
  const viaPty = (env) => spawnSync('python3', ['-c', 'import pty, sys; pty.spawn(sys.argv[1:])', process.execPath, '-e', script], { encoding: 'utf8', env });
  const env = { ...process.env };
  delete env.NO_COLOR;
  const coloured = viaPty(env);
  t.is(coloured.status, 0, coloured.stderr);
  t.true(coloured.stdout.includes('\u001b[33mWARN \u001b[39m hi'), JSON.stringify(coloured.stdout));
  const plain = viaPty({ ...env, NO_COLOR: '1' });
  t.is(plain.stdout.replace(/\r/g, ''), 'WARN  hi\n');
});

test('a line cannot be forged or split in any format: both engines agree on arbitrary text', async (t) => {
  const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
  const text = fc.oneof(fc.string(), fc.string({ unit: anyUnit }), fc.string({ unit: 'grapheme' }));
  const record = fc.record({ msg: text, fields: fc.dictionary(text, fc.oneof(text, fc.double(), fc.array(text, { maxLength: 2 })), { maxKeys: 4 }) });
  const samples = fc.sample(record, { numRuns: 2000 });
  for (const format of ['logfmt', 'pretty']) {
    const out = await both(t, { format, colors: false, timestamp: false, base: null }, (l) => {
      for (const r of samples) l.info(r.fields, r.msg);
    });
    const lines = out.split('\n');
    t.is(lines.pop(), '');
    t.is(lines.length, samples.length, `${format}: one line per record`);
    t.false(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(out.replace(/\n/g, '')), `${format}: no raw control character`);
  }
});

test("mixin adds fields per record (the record wins); formatters.log and the root's formatters.bindings reshape", async (t) => {
  let calls = 0;
  const out = await both(
    t,
    {
      timestamp: false,
      base: { pid: 1 },
      mixin: (fields, level) => (calls++, { mixed: level, a: 'from mixin' }),
      formatters: {
        log: (fields) => ({ ...fields, logged: true }),
        bindings: (b) => ({ ...b, shaped: true }),
      },
    },
    (l) => {
      l.info({ a: 'own' }, 'one');
      l.child({ c: 1 }).warn('two');
      l.debug('disabled: no mixin call');
    },
  );
  t.is(
    out,
    '{"level":30,"pid":1,"shaped":true,"mixed":30,"a":"own","logged":true,"msg":"one"}\n' +
      // formatters.bindings reshapes the root's bindings only, as pino's.
      '{"level":40,"pid":1,"shaped":true,"c":1,"mixed":40,"a":"from mixin","logged":true,"msg":"two"}\n',
  );
  t.is(calls, 4, 'two records per engine');

  const thrown = await both(t, { timestamp: false, base: null, mixin: () => { throw new Error('no'); } }, (l) => l.info({ a: 1 }, 'kept'));
  t.is(thrown, '{"level":30,"fields":"[Throws]","msg":"kept"}\n');
});

test('custom levels in every format: JSON by number, logfmt and pretty by label; per-target levels by name', async (t) => {
  const options = { base: null, timestamp: false, customLevels: { audit: 35, notice: 45 }, level: 'audit' };
  const calls = (l) => {
    l.audit({ a: 1 }, 'audited');
    l.info('below audit: not written');
    l.notice('noticed');
    l.error('err');
  };
  t.is(await both(t, options, calls), '{"level":35,"a":1,"msg":"audited"}\n{"level":45,"msg":"noticed"}\n{"level":50,"msg":"err"}\n');
  t.is(await both(t, { ...options, format: 'logfmt' }, calls), 'level=audit msg=audited a=1\nlevel=notice msg=noticed\nlevel=error msg=err\n');
  t.is(await both(t, { ...options, format: 'pretty', colors: true }, calls), 'AUDIT audited \u001b[2ma=\u001b[22m1\nNOTICE noticed\n\u001b[31mERROR\u001b[39m err\n');
  t.is(await both(t, { ...options, levelLabels: true, formatters: { level: (label, n) => ({ sev: label, n }) } }, calls), '{"sev":"audit","n":35,"a":1,"msg":"audited"}\n{"sev":"notice","n":45,"msg":"noticed"}\n{"sev":"error","n":50,"msg":"err"}\n');
  for (const engine of ENGINES) {
    const dir = tempDir();
    const l = createLogger({ engine, ...options, targets: [{ destination: join(dir, 'all.log') }, { destination: join(dir, 'notice.log'), level: 'notice', format: 'logfmt' }] });
    calls(l);
    await l.close();
    t.is(readFileSync(join(dir, 'notice.log'), 'utf8'), 'level=notice msg=noticed\nlevel=error msg=err\n', `${engine}: a target at a custom level`);
    t.is(readFileSync(join(dir, 'all.log'), 'utf8').split('\n').length, 4);
  }
});

test('time forms (epoch, unix, iso, none, a custom function), crlf and nestedKey in every format, both engines alike', async (t) => {
  const { stdTimeFunctions } = await import('../index.mjs');
  const calls = (l) => l.info({ a: 1 }, 'm');
  const time = async (timestamp, format) => both(t, { base: null, timestamp, format }, calls);
  t.regex(await time(stdTimeFunctions.epochTime), /^\{"level":30,"time":\d{13},"a":1,"msg":"m"\}\n$/);
  t.regex(await time(stdTimeFunctions.unixTime), /^\{"level":30,"time":\d{10},"a":1,"msg":"m"\}\n$/);
  t.regex(await time('unix'), /^\{"level":30,"time":\d{10},"a":1,"msg":"m"\}\n$/);
  t.regex(await time(stdTimeFunctions.isoTime), /^\{"level":30,"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z","a":1,"msg":"m"\}\n$/);
  t.is(await time(stdTimeFunctions.nullTime), '{"level":30,"a":1,"msg":"m"}\n');
  t.is(await time(() => ',"t":"custom"'), '{"level":30,"t":"custom","a":1,"msg":"m"}\n');
  t.is(await time(() => ',"t":"custom"', 'logfmt'), 'level=info t=custom msg=m a=1\n');
  t.is(await time(() => ',"t":"custom"', 'pretty'), 't=custom INFO  m a=1\n');
  t.is(await time(() => { throw new Error('no'); }), '{"level":30,"a":1,"msg":"m"}\n', 'a throwing time function writes no time');
  t.regex(await time(stdTimeFunctions.isoTimeNano), /^\{"level":30,"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z","a":1,"msg":"m"\}\n$/);
  t.is(await both(t, { base: null, timestamp: false, crlf: true }, calls), '{"level":30,"a":1,"msg":"m"}\r\n');
  t.is(await both(t, { base: null, timestamp: false, crlf: true, format: 'logfmt' }, calls), 'level=info msg=m a=1\r\n');
  t.is(await both(t, { base: null, timestamp: false, nestedKey: 'payload' }, (l) => l.child({ c: 1 }).info({ a: 1, b: { x: 2 } }, 'm')), '{"level":30,"c":1,"payload":{"a":1,"b":{"x":2}},"msg":"m"}\n');
  t.is(await both(t, { base: null, timestamp: false, nestedKey: 'payload', format: 'logfmt' }, calls), 'level=info msg=m payload="{\\"a\\":1}"\n');
  t.is(await both(t, { base: null, timestamp: false }, (l) => l.info({ a: 1 }, 42)), '{"level":30,"a":1,"msg":42}\n', 'a number message is a number');
  // Children's bindings as values (BOUND) and printf's deferred objects (a message template), in every format.
  const kids = (l) => {
    const c = l.child({ reqId: 'r"1', n: 2, o: { x: [1, 'a\n'] } });
    c.info('hello %j and %s', { a: 1, s: 'q"\n', u: undefined }, { b: [1] });
    c.child({ deep: true }).warn({ f: 1 }, 'grandchild %o', [1, null, 'x']);
    l.info('root %j', { z: 0 });
  };
  t.is(
    await both(t, { base: { pid: 1 }, timestamp: false }, kids),
    '{"level":30,"pid":1,"reqId":"r\\"1","n":2,"o":{"x":[1,"a\\n"]},"msg":"hello {\\"a\\":1,\\"s\\":\\"q\\\\\\"\\\\n\\"} and {\\"b\\":[1]}"}\n' +
      '{"level":40,"pid":1,"reqId":"r\\"1","n":2,"o":{"x":[1,"a\\n"]},"deep":true,"f":1,"msg":"grandchild [1,null,\\"x\\"]"}\n' +
      '{"level":30,"pid":1,"msg":"root {\\"z\\":0}"}\n',
  );
  t.is(await both(t, { base: { pid: 1 }, timestamp: false, format: 'logfmt' }, kids).then((s) => s.split('\n').length), 4);
  t.is(await both(t, { base: { pid: 1 }, timestamp: false, format: 'pretty', colors: false }, kids).then((s) => s.split('\n').length), 4);
});
