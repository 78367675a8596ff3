'use strict';
// Shipping scenarios, each contender in a fresh process per repetition, repetitions
// interleaved, medians: the logging thread's CPU per call, and records/s from the loop's start
// until the receiver has the last record it will get.
// - `ship`: the 4 fields over OTLP/HTTP protobuf into the real OpenTelemetry Collector
//   (cmd/otelcol), Kakashi's native shipper beside pino with pino-opentelemetry-transport (its
//   worker thread and the OpenTelemetry SDK's batch processor, its queue raised so that nothing
//   is dropped: sdk-logs 0.220 ignores OTEL_BLRP_* and drops silently past 2,048 queued records).
// - `transport`: the same records through the pino-roll transport into a file, Kakashi (the
//   module in a worker fed by the Rust writer) beside pino (the module in thread-stream's worker).
//   node bench/ship.js [records] [repetitions]
const { spawn } = require('node:child_process');
const { existsSync, mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

/** A pino logger on `transport`, and how to wait until the transport has closed. */
function pinoOn(transport) {
  const pino = require('pino');
  const log = pino({ name: 'bench' }, transport);
  // The transport's worker is unref'd: a timer keeps the process until it has closed.
  const keep = setInterval(() => {}, 1000);
  const closed = new Promise((resolve) => transport.once('close', resolve));
  return { log, close: () => (transport.end(), closed.then(() => clearInterval(keep))) };
}

function kakashiOn(destination) {
  const { createLogger } = require('..');
  const log = createLogger({ name: 'bench', destination });
  return { log, close: () => log.close() };
}

const rollFile = (at) => join(at, 'app');

const SCENARIOS = {
  ship: {
    title: 'records of 4 fields into the OpenTelemetry Collector (OTLP/HTTP protobuf)',
    async receiver() {
      const otelcol = await import('../cmd/otelcol/run.mjs');
      otelcol.buildCollector();
      return {
        async start(dir) {
          const port = await otelcol.freePort();
          const out = join(dir, 'out.json');
          const collector = await otelcol.startCollector({ port, out, dir });
          return { at: `http://127.0.0.1:${port}/v1/logs`, count: () => otelcol.countLogs(out), stop: () => collector.stop() };
        },
      };
    },
    contenders: {
      'kakashi-native': (url) => kakashiOn({ otlp: { url, spill: false } }),
      'pino-otel-transport': (url) => {
        process.env.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT = url;
        const pino = require('pino');
        return pinoOn(
          pino.transport({
            target: 'pino-opentelemetry-transport',
            options: { loggerName: 'bench', logRecordProcessorOptions: { recordProcessorType: 'batch', processorConfig: { maxQueueSize: 1_000_000 } } },
          }),
        );
      },
    },
  },
  transport: {
    title: 'records of 4 fields through the pino-roll transport into a file',
    async receiver() {
      const lines = (file) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').length - 1 : 0);
      return { start: async (dir) => ({ at: dir, count: () => lines(`${rollFile(dir)}.1.log`), stop: async () => {} }) };
    },
    contenders: {
      'kakashi-native': (dir) => kakashiOn({ transport: 'pino-roll', options: { file: rollFile(dir) } }),
      'pino-async': (dir) => pinoOn(require('pino').transport({ target: 'pino-roll', options: { file: rollFile(dir) } })),
    },
  },
};

const cpuNs = () => Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]);

/** Records logged before the measured loop (they are shipped and counted too). */
const WARM = 5000;

async function child(scenario, name, at, n) {
  const { log, close } = SCENARIOS[scenario].contenders[name](at);
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

async function measure(scenario, n, reps) {
  const { title, receiver, contenders } = SCENARIOS[scenario];
  const recv = await receiver();
  const results = Object.fromEntries(Object.keys(contenders).map((k) => [k, { ns: [], rate: [], arrived: [] }]));
  for (let rep = 0; rep < reps; rep++) {
    for (const name of Object.keys(contenders)) {
      const dir = mkdtempSync(join(tmpdir(), `kakashi-${scenario}-`));
      const r = await recv.start(dir);
      try {
        const proc = spawn(process.execPath, [__filename, '--child', scenario, name, r.at, String(n)], { stdio: ['ignore', 'pipe', 'inherit'] });
        let stdout = '';
        proc.stdout.on('data', (d) => (stdout += d));
        await new Promise((done) => proc.once('exit', done));
        const { start, nsPerCall } = JSON.parse(stdout);
        // Until every record is there, or nothing more has come for 3 s (what was dropped never will).
        let count = 0;
        let last = Date.now();
        let arrivedAt = Date.now();
        while (count < n + WARM && Date.now() - last < 3000) {
          const now = r.count();
          if (now > count) [count, last, arrivedAt] = [now, Date.now(), Date.now()];
          else await new Promise((done) => setTimeout(done, 20));
        }
        results[name].ns.push(nsPerCall);
        results[name].rate.push(n / ((arrivedAt - start) / 1000));
        results[name].arrived.push(count);
      } finally {
        await r.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  const out = [`## ${scenario}: ${n.toLocaleString('en')} ${title}, median of ${reps}\n`];
  out.push("| contender | JS-thread CPU, ns per call | records/s, loop start to last arrival | records that arrived (with the warm-up's) |");
  out.push('|---|---:|---:|---:|');
  for (const [name, r] of Object.entries(results)) {
    const arrived = median(r.arrived);
    // A rate is only a rate of delivery when everything was delivered.
    const rate = arrived === n + WARM ? Math.round(median(r.rate)).toLocaleString('en') : '— (records lost)';
    out.push(`| ${name} | ${Math.round(median(r.ns))} | ${rate} | ${arrived.toLocaleString('en')} of ${(n + WARM).toLocaleString('en')} |`);
  }
  return out.join('\n') + '\n';
}

async function main() {
  const [n = 50_000, reps = 3] = process.argv.slice(2).map(Number);
  const tables = [];
  for (const scenario of Object.keys(SCENARIOS)) tables.push(await measure(scenario, n, reps));
  console.log(tables.join('\n'));
}

if (process.argv[2] === '--child') child(process.argv[3], process.argv[4], process.argv[5], Number(process.argv[6]));
else main().catch((e) => {
  console.error(e);
  process.exit(1);
});
