// setup(preset) and getLogger(name), each case in a fresh process (they configure the process).
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ROOT, tempDir } from './helpers.mjs';

function run(body, env = {}) {
  const cwd = tempDir();
  const clean = { ...process.env };
  for (const k of ['KAKASHI_LEVEL', 'KAKASHI_FORMAT', 'KAKASHI_ENGINE', 'NO_COLOR']) delete clean[k];
  const script = `const k = require(${JSON.stringify(join(ROOT, 'dist', 'index.js'))}); (async () => { ${body} })();`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd, encoding: 'utf8', maxBuffer: 64 << 20, env: { ...clean, ...env } });
  return { ...r, cwd };
}

test('production: json at info on stdout; getLogger(name) is a named child, the same instance each time', (t) => {
  const r = run(`const root = k.setup('production', { timestamp: false, base: null });
    k.getLogger('db').info('connected'); k.getLogger('db').debug('hidden');
    process.stderr.write(String(k.getLogger('db') === k.getLogger('db')) + String(k.getLogger() === root));
    await root.flush();`);
  t.is(r.stdout, '{"level":30,"name":"db","msg":"connected"}\n');
  t.is(r.stderr, 'truetrue');
});

test('development: pretty at debug; testing: json at debug into test_logs/app.log', (t) => {
  const dev = run(`const l = k.setup('development', { timestamp: false }); l.debug({ a: 1 }, 'dbg'); await l.flush();`);
  t.is(dev.stdout, 'DEBUG dbg a=1\n', 'stdout is a pipe: no colour');
  const testing = run(`const l = k.setup('testing', { base: null }); k.getLogger('t').debug('kept'); await l.close();`);
  t.regex(readFileSync(join(testing.cwd, 'test_logs', 'app.log'), 'utf8'), /^\{"level":20,"time":\d+,"name":"t","msg":"kept"\}\n$/);
});

test('high_throughput: larger buffer and flush interval; nothing lost on exit', (t) => {
  const r = run(`const l = k.setup('high_throughput', { base: null, timestamp: false }); for (let i = 0; i < 50000; i++) l.info({ i });`);
  t.is(r.stdout.split('\n').length - 1, 50000);
});

test('environment variables win over the preset, overrides over both; bad values name the variable', (t) => {
  const env = run(`const l = k.setup('production', { timestamp: false, base: null }); l.debug('d'); await l.flush();`, { KAKASHI_LEVEL: 'debug', KAKASHI_FORMAT: 'logfmt' });
  t.is(env.stdout, 'level=debug msg=d\n');
  const over = run(`const l = k.setup('development', { level: 'warn', format: 'json', timestamp: false, base: null }); l.info('no'); l.warn('w'); await l.flush();`, { KAKASHI_LEVEL: 'trace' });
  t.is(over.stdout, '{"level":40,"msg":"w"}\n');
  const bad = run(`k.setup('production')`, { KAKASHI_LEVEL: 'loud' });
  t.regex(bad.stderr, /unknown level "loud" \(environment variable KAKASHI_LEVEL\)/);
  const targets = run(`const l = k.setup('production', { targets: [{ destination: 'stdout', format: 'logfmt' }], timestamp: false, base: null }); l.info('t'); await l.flush();`);
  t.is(targets.stdout, 'level=info msg=t\n', targets.stderr);
  const preset = run(`try { k.setup('fast') } catch (e) { process.stdout.write(e.message) }`);
  t.is(preset.stdout, 'kakashi: unknown preset "fast"; expected one of production, development, testing, high_throughput');
});
