import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ENGINES = ['native', 'js'];

export function tempDir(prefix = 'kakashi-test-') {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Lines of an NDJSON file, each parsed; fails the test on a line that does not parse. */
export function readRecords(t, path) {
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  t.is(lines.pop(), '', 'the file ends with a newline');
  return lines.map((line, i) => {
    try {
      return JSON.parse(line);
    } catch (e) {
      t.fail(`line ${i + 1} does not parse: ${e.message}: ${line.slice(0, 200)}`);
      return undefined;
    }
  });
}

/** Runs a fixture script in a fresh Node process. */
export function runFixture(name, args = [], options = {}) {
  const r = spawnSync(process.execPath, [join(ROOT, '__test__', 'fixtures', name), ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    ...options,
  });
  if (r.error) throw r.error;
  return r;
}
