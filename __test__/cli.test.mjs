// `kakashi pretty`: spawned for real, fed Kakashi's and pino's NDJSON from a file and from stdin.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';

import { createLogger } from '../index.mjs';
import { ROOT, tempDir } from './helpers.mjs';

const CLI = join(ROOT, 'dist', 'cli.js');

function cli(args, input) {
  const env = { ...process.env };
  delete env.NO_COLOR;
  return spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', env });
}

function records(log) {
  const child = log.child({ reqId: 'r-1' });
  child.info({ a: 1, nested: { x: 'y z' } }, 'hello');
  child.warn('careful \u001b[2J\nnext');
  log.error({ err: { type: 'Error', message: 'boom' } }, 'failed');
  log.debug('quiet');
}

test("prints Kakashi's NDJSON exactly as the writer's pretty format would", async (t) => {
  const dir = tempDir();
  const base = { name: 'app', level: 'debug' };
  const json = createLogger({ ...base, destination: join(dir, 'app.log') });
  const pretty = createLogger({ ...base, destination: join(dir, 'app.pretty'), format: 'pretty', colors: false });
  records(json);
  records(pretty);
  await Promise.all([json.close(), pretty.close()]);
  const r = cli(['pretty', join(dir, 'app.log')]);
  t.is(r.status, 0, r.stderr);
  // The two loggers read the clock a moment apart: times are masked.
  const mask = (s) => s.replace(/^\d\d:\d\d:\d\d\.\d{3} /gm, '<clock> ');
  t.is(mask(r.stdout), mask(readFileSync(join(dir, 'app.pretty'), 'utf8')));
  t.is(r.stdout.split('\n').length, 5);
});

test('fields named like the metadata (name, pid, hostname, level, v, msg) print exactly as the pretty format prints them', async (t) => {
  const dir = tempDir();
  const base = { name: 'app', timestamp: false };
  const json = createLogger({ ...base, destination: join(dir, 'app.log') });
  const pretty = createLogger({ ...base, destination: join(dir, 'app.pretty'), format: 'pretty', colors: false });
  // (A field named like a base binding right after the bindings would read as one: JSON keeps no boundary.)
  for (const log of [json, pretty]) log.child({ name: 'bound' }).info({ a: 1, name: 'field', pid: 'p', hostname: 'h', level: 'x', v: 2, msg: 'inner' }, 'outer');
  await Promise.all([json.close(), pretty.close()]);
  const r = cli(['pretty', join(dir, 'app.log')]);
  t.is(r.stdout, readFileSync(join(dir, 'app.pretty'), 'utf8'));
  t.is(r.stdout, 'INFO  bound: outer a=1 name=field pid=p hostname=h level=x v=2 msg=inner\n');
});

test("reads pino's lines from stdin; --level filters; other lines pass through unchanged; --color colours", async (t) => {
  const dir = tempDir();
  const path = join(dir, 'pino.log');
  const log = pino({ level: 'debug', name: 'svc' }, pino.destination({ dest: path, sync: true }));
  records(log);
  const text = readFileSync(path, 'utf8') + 'plain text line\n{"not":"closed"\n';
  const all = cli(['pretty'], text);
  t.is(all.status, 0, all.stderr);
  const lines = all.stdout.split('\n');
  t.regex(lines[0], /^\d\d:\d\d:\d\d\.\d{3} INFO  svc: hello reqId=r-1 a=1 nested=\{"x":"y z"\}$/);
  t.regex(lines[1], /WARN  svc: careful \\u001b\[2J\\nnext reqId=r-1$/);
  t.is(lines[4], 'plain text line');
  const odd = cli(['pretty'], '{ "level": 50, "msg": "spaced" }\n{"time":1e20,"msg":"far future"}\n{"msg":"after"}\n');
  t.is(odd.stdout, 'ERROR spaced\nINFO  far future\nINFO  after\n', odd.stderr);
  t.is(lines[5], '{"not":"closed"');

  const warn = cli(['pretty', '--level', 'warn'], text);
  t.is(warn.stdout.split('\n').filter((l) => /^\d\d:/.test(l)).length, 2, 'warn and error only');
  t.true(warn.stdout.includes('plain text line'));

  const coloured = cli(['pretty', '--color', '-'], text);
  t.true(coloured.stdout.includes('\u001b[32mINFO \u001b[39m svc: hello'));
});

test('bad arguments and missing files fail with a clear message and no stack trace', (t) => {
  const unknown = cli(['prety']);
  t.is(unknown.status, 2);
  t.regex(unknown.stderr, /unknown command "prety"\nusage: kakashi pretty/);
  const level = cli(['pretty', '--level', 'loud']);
  t.is(level.status, 2);
  t.regex(level.stderr, /unknown level "loud" \(--level\)/);
  const missing = cli(['pretty', join(tempDir(), 'none.log')]);
  t.is(missing.status, 1);
  t.regex(missing.stderr, /^kakashi: cannot read .*none\.log: ENOENT/);
  t.false(missing.stderr.includes('    at '));
});
