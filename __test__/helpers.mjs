import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

/**
 * A shipping logger's stats once `n` records are accounted for (written or dropped), or as
 * they are after 30 s: a receiver can have stored a request before its answer reached the
 * shipper that counts it.
 */
export async function statsSettled(log, n) {
  for (const until = Date.now() + 30_000; ; await new Promise((r) => setTimeout(r, 20))) {
    const stats = log.getStats();
    if (stats.written + stats.dropped >= n || Date.now() > until) return stats;
  }
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

/**
 * A test CA and a server certificate it signed for 127.0.0.1 and localhost (openssl), as PEM
 * files in `dir`: for receivers that speak TLS on loopback.
 */
export function testCertificates(dir) {
  const f = (name) => join(dir, name);
  const openssl = (...args) => {
    const r = spawnSync('openssl', args, { encoding: 'utf8' });
    if (r.error || r.status !== 0) throw new Error(`openssl ${args[0]}: ${r.error?.message ?? r.stderr}`);
  };
  writeFileSync(f('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n');
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', '/CN=kakashi test CA', '-keyout', f('ca.key'), '-out', f('ca.pem'));
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', f('server.key'), '-out', f('server.csr'));
  openssl('x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', f('server.ext'), '-out', f('server.pem'));
  return { ca: f('ca.pem'), cert: f('server.pem'), key: f('server.key') };
}
