'use strict';
// Scenario `ship`: the 4 fields shipped over OTLP/HTTP protobuf into the real OpenTelemetry
// Collector (cmd/otelcol), Kakashi's native shipper beside pino with pino-opentelemetry-transport
// (its worker thread and the OpenTelemetry SDK's batch processor, its queue raised so that nothing
// is dropped: sdk-logs 0.220 ignores OTEL_BLRP_* and drops silently past 2,048 queued records), in
// the same run: the logging thread's CPU per call, and records/s from the loop's start until
// the collector has written the last record it will get. One fresh process and one fresh
// collector per (contender, repetition), repetitions interleaved, medians.
//   node bench/ship.js [records] [repetitions]
const { spawn } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const CONTENDERS = {
  'kakashi-native': (url) => {
    const { createLogger } = require('..');
    const log = createLogger({ name: 'bench', destination: { otlp: { url, spill: false } } });
    return { log, close: () => log.close() };
  },
  'pino-otel-transport': (url) => {
    process.env.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT = url;
    const pino = require('pino');
    const transport = pino.transport({
      target: 'pino-opentelemetry-transport',
      options: { loggerName: 'bench', logRecordProcessorOptions: { recordProcessorType: 'batch', processorConfig: { maxQueueSize: 1_000_000 } } },
    });
    const log = pino({ name: 'bench' }, transport);
    // The transport's worker is unref'd: a timer keeps the process until it has closed.
    const keep = setInterval(() => {}, 1000);
    const closed = new Promise((resolve) => transport.once('close', resolve));
    return { log, close: () => (transport.end(), closed.then(() => clearInterval(keep))) };
  },
};

const cpuNs = () => Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]);

/** Records logged before the measured loop (they are shipped and counted too). */
const WARM = 5000;

async function child(name, url, n) {
  const { log, close } = CONTENDERS[name](url);
  for (let j = 0; j < WARM; j++) log.info({ a: j, b: 'two', c: true, d: 3.14 }, 'warm-up');
  await new Promise((r) => setTimeout(r, 100));
  const start = Date.now();
  let cpu = 0;
  // In slices of 1,000 records with a turn of the event loop between, as a service logs.
  for (let i = 0; i < n; i += 1000) {
    const before = cpuNs();
    for (let j = i; j < Math.min(n, i + 1000); j++) log.info({ a: j, b: 'two', c: true, d: 3.14 }, 'hello world');
    cpu += cpuNs() - before;
    await new Promise((r) => setImmediate(r));
  }
  await close();
  process.stdout.write(JSON.stringify({ start, nsPerCall: cpu / n }));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const [n = 50_000, reps = 3] = process.argv.slice(2).map(Number);
  const otelcol = await import('../cmd/otelcol/run.mjs');
  otelcol.buildCollector();
  const results = Object.fromEntries(Object.keys(CONTENDERS).map((k) => [k, { ns: [], rate: [], arrived: [] }]));
  for (let rep = 0; rep < reps; rep++) {
    for (const name of Object.keys(CONTENDERS)) {
      const dir = mkdtempSync(join(tmpdir(), 'kakashi-ship-'));
      const port = await otelcol.freePort();
      const out = join(dir, 'out.json');
      const collector = await otelcol.startCollector({ port, out, dir });
      try {
        const proc = spawn(process.execPath, [__filename, '--child', name, `http://127.0.0.1:${port}/v1/logs`, String(n)], { stdio: ['ignore', 'pipe', 'inherit'] });
        let stdout = '';
        proc.stdout.on('data', (d) => (stdout += d));
        await new Promise((r) => proc.once('exit', r));
        const { start, nsPerCall } = JSON.parse(stdout);
        // Until every record is there, or nothing more has come for 3 s (what was dropped never will).
        let count = 0;
        let last = Date.now();
        let arrivedAt = Date.now();
        while (count < n + WARM && Date.now() - last < 3000) {
          await new Promise((r) => setTimeout(r, 20));
          const now = otelcol.countLogs(out);
          if (now > count) [count, last, arrivedAt] = [now, Date.now(), Date.now()];
        }
        results[name].ns.push(nsPerCall);
        results[name].rate.push(n / ((arrivedAt - start) / 1000));
        results[name].arrived.push(count);
      } finally {
        await collector.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  console.log(`## ship: ${n.toLocaleString('en')} records of 4 fields into the OpenTelemetry Collector (OTLP/HTTP protobuf), median of ${reps}\n`);
  console.log('| contender | JS-thread CPU, ns per call | records/s, loop start to last arrival | records that arrived (with the warm-up\'s) |');
  console.log('|---|---:|---:|---:|');
  for (const [name, r] of Object.entries(results)) {
    const arrived = median(r.arrived);
    // A rate is only a rate of delivery when everything was delivered.
    const rate = arrived === n + WARM ? Math.round(median(r.rate)).toLocaleString('en') : '— (records lost)';
    console.log(`| ${name} | ${Math.round(median(r.ns))} | ${rate} | ${arrived.toLocaleString('en')} of ${(n + WARM).toLocaleString('en')} |`);
  }
}

if (process.argv[2] === '--child') child(process.argv[3], process.argv[4], Number(process.argv[5]));
else main().catch((e) => {
  console.error(e);
  process.exit(1);
});
