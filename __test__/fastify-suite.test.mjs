// Fastify's own logger tests, shipped in its package, run with Kakashi in pino's place: Fastify
// and the tests `require('pino')` and get kakashi/pino (fixtures/pino-is-kakashi.cjs). Every
// test must pass, in three Fastify 5 releases. (Fastify 4 and 5.0 write theirs for tap; our own
// fastify.test.mjs runs those releases.)
import test from 'ava';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { ROOT } from './helpers.mjs';

const require = createRequire(import.meta.url);
const PRELOAD = join(ROOT, '__test__', 'fixtures', 'pino-is-kakashi.cjs');
const FILES = ['logger/instantiation', 'logger/logging', 'logger/options', 'logger/request', 'logger/response', 'child-logger-factory', 'encapsulated-child-logger-factory'];

/** node --test of one file with the preload: its exit code and node:test's summary counts. */
function runSuiteFile(file) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--require', PRELOAD, '--test', '--test-reporter=tap', file], { cwd: dirname(file), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(out)?.[1] ?? NaN);
      resolve({ code, pass: count('pass'), fail: count('fail'), cancelled: count('cancelled'), out });
    });
  });
}

for (const pkg of ['fastify', 'fastify5121', 'fastify56']) {
  const dir = dirname(require.resolve(`${pkg}/package.json`));
  const version = require(`${pkg}/package.json`).version;
  test.serial(`Fastify ${version}'s own logger tests pass with kakashi/pino as pino`, async (t) => {
    t.timeout(600_000);
    for (const name of FILES) {
      const file = join(dir, 'test', `${name}.test.js`);
      if (!existsSync(file)) continue; // (a release without this file)
      const r = await runSuiteFile(file);
      t.is(r.fail, 0, `${name}: ${r.out.slice(-3000)}`);
      t.is(r.cancelled, 0, `${name}: cancelled tests`);
      t.true(r.pass > 0, `${name}: tests ran`);
      t.is(r.code, 0, `${name}: exit code`);
    }
  });
}
