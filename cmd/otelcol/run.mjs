// Building and running this collector (the collector's OTLP receiver and contrib's file
// exporter, v0.161.0) for the OTLP tests and the `ship` benchmark: built from Go modules into
// target/otelcol, started on a loopback port, stopped by signal; its output read back.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { startReceiver } from '../receiver.mjs';

export { freePort } from '../receiver.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const BIN = join(ROOT, 'target', 'otelcol', 'kakashi-otelcol');

/** Builds the collector (Go's build cache makes a rebuild of unchanged sources quick). */
export function buildCollector() {
  execFileSync('go', ['build', '-o', BIN, '.'], { cwd: join(ROOT, 'cmd', 'otelcol'), stdio: ['ignore', 'ignore', 'inherit'], timeout: 900_000 });
  return BIN;
}

/**
 * Starts the collector: OTLP/HTTP on `port` (https with `tls: { cert, key }`, PEM files), every
 * logs request written to `out` as one line of OTLP JSON. Resolves once the port accepts
 * connections (30 s at most).
 */
export async function startCollector({ port, out, dir, tls }) {
  const config = join(dir, `otelcol-${port}-${Date.now()}.yaml`);
  writeFileSync(
    config,
    [
      'receivers:',
      '  otlp:',
      '    protocols:',
      '      http:',
      `        endpoint: 127.0.0.1:${port}`,
      ...(tls ? ['        tls:', `          cert_file: ${JSON.stringify(tls.cert)}`, `          key_file: ${JSON.stringify(tls.key)}`] : []),
      'exporters:',
      '  file:',
      `    path: ${JSON.stringify(out)}`,
      'service:',
      '  telemetry:',
      '    logs: { level: warn }',
      '    metrics: { level: none }',
      '  pipelines:',
      '    logs: { receivers: [otlp], exporters: [file] }',
      '',
    ].join('\n'),
  );
  // SIGTERM: the collector finishes the requests it has and exits (10 s at most, then SIGKILL).
  const { stop } = await startReceiver({ name: 'the collector', bin: BIN, args: ['--config', config], ports: [port], startMs: 30_000, stopMs: 10_000 });
  return { port, out, stop };
}

/** An OTLP AnyValue (as the file exporter writes it in JSON) as a plain value. */
export function plain(v) {
  if (v === undefined || v === null) return null;
  if ('stringValue' in v) return v.stringValue;
  if ('intValue' in v) return Number(v.intValue);
  if ('doubleValue' in v) return v.doubleValue;
  if ('boolValue' in v) return v.boolValue;
  if ('arrayValue' in v) return (v.arrayValue.values ?? []).map(plain);
  if ('kvlistValue' in v) return attrs(v.kvlistValue.values);
  return null;
}

/** OTLP attributes as an object. */
export function attrs(list = []) {
  return Object.fromEntries(list.map((a) => [a.key, plain(a.value)]));
}

/** Every log record in the exporter's files, in order, each with its resource's attributes. */
export function readLogs(...files) {
  const records = [];
  for (const file of files) {
    if (!existsSync(file)) continue;
    const lines = readFileSync(file, 'utf8').split('\n');
    // The last piece is empty, or a line the exporter is still writing.
    lines.pop();
    for (const line of lines) {
      for (const rl of JSON.parse(line).resourceLogs ?? []) {
        const resource = attrs(rl.resource?.attributes);
        for (const sl of rl.scopeLogs ?? []) {
          for (const r of sl.logRecords ?? []) records.push({ ...r, resource, scope: sl.scope, attributes: attrs(r.attributes), body: plain(r.body) });
        }
      }
    }
  }
  return records;
}

/** How many log records the files hold, counted without decoding them (for a benchmark's polling). */
export function countLogs(file) {
  if (!existsSync(file)) return 0;
  const text = readFileSync(file, 'utf8');
  let n = 0;
  for (let at = text.indexOf('"observedTimeUnixNano"'); at !== -1; at = text.indexOf('"observedTimeUnixNano"', at + 1)) n++;
  return n;
}

/** Waits until the files hold `count` records (or `ms` pass); the records. */
export async function waitForLogs(count, ms, ...files) {
  const deadline = Date.now() + ms;
  let records = readLogs(...files);
  while (records.length < count && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    records = readLogs(...files);
  }
  return records;
}
