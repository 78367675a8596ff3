'use strict';
// A real service under load: Fastify 5 and Express 5 hello-world routes on loopback, each
// request logging what the framework logs by default (Fastify: "incoming request" and "request
// completed" from a per-request child; Express: pino-http's, or kakashi/http's, one record per
// request) plus one `req.log.info` with 4 fields. The server runs in its own process with its
// stdout to /dev/null; autocannon drives it from this one (fixed connections and duration);
// on Linux with 2+ cores the server is pinned to core 1 and this process to core 0 (`taskset`).
// Contenders are interleaved per repetition; medians. cost = 1 − req/s ÷ req/s without a logger;
// `floor`, a logger that writes nothing, shows what the framework's own logging work costs.
// Then (Linux) each contender again at one fixed rate every contender sustains, counting the
// CPU time the server's threads used per request: at saturation a slower server also leaves
// the load generator idle, and waking it for each response costs the server's core more, so
// the throughput cost overstates a logger's own work; CPU per request at a fixed load does not.
//   node bench/service.js [seconds] [repetitions] [connections]
const { execFileSync, spawn } = require('node:child_process');
const { once } = require('node:events');
const { join } = require('node:path');

const FIELDS = { a: 1, b: 'two', c: true, d: 3.14 };

/**
 * A logger that writes nothing: what the framework's own per-request logging work costs (a
 * child per request, the serializers' reads of the request and reply) with no logger behind it.
 */
function floorLogger() {
  const noop = () => {};
  const log = { level: 'info', fatal: noop, error: noop, warn: noop, info: noop, debug: noop, trace: noop, silent: noop, child: () => log };
  return log;
}

/** The logger a server is given, by contender. */
function logger(contender) {
  switch (contender) {
    case 'floor':
      return floorLogger();
    case 'pino':
      return require('pino')();
    case 'pino-async':
      return require('pino')(require('pino').destination({ dest: 1, sync: false, minLength: 4096 }));
    case 'kakashi-native':
    case 'kakashi-native-no-context':
    case 'kakashi-js':
      return require('../dist/pino-entry.js')({ engine: contender === 'kakashi-js' ? 'js' : 'native' });
    default:
      return undefined;
  }
}

async function fastifyServer(contender) {
  const log = logger(contender);
  const app = require('fastify')(log ? { loggerInstance: log } : { logger: false });
  app.get('/', async (request) => {
    request.log.info(FIELDS, 'handled');
    return { hello: 'world' };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app.server.address().port;
}

async function expressServer(contender) {
  const log = logger(contender);
  const app = require('express')();
  // (floor: kakashi/http's own work — request id, context, finish listener — into no logger.)
  if (contender.startsWith('pino')) app.use(require('pino-http')({ logger: log }));
  // kakashi/http's default runs each request in an AsyncLocalStorage context carrying its reqId;
  // `-no-context` leaves it out, as pino-http has none (only req.log carries the id).
  else if (log) app.use(require('../dist/http.js').httpLogger(log, { context: !contender.endsWith('-no-context') }));
  app.get('/', (req, res) => {
    req.log?.info(FIELDS, 'handled');
    res.json({ hello: 'world' });
  });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server.address().port;
}

const FRAMEWORKS = { fastify: fastifyServer, express: expressServer };
const CONTENDERS = ['none', 'floor', 'pino', 'pino-async', 'kakashi-native', 'kakashi-js'];
/** Per framework: Express also runs kakashi/http without its request context. */
const RUNS = { fastify: CONTENDERS, express: [...CONTENDERS, 'kakashi-native-no-context'] };

async function serve(framework, contender) {
  const port = await FRAMEWORKS[framework](contender);
  process.send({ port });
}

/**
 * The server on its own core, the load generator on another (Linux, `taskset`, ≥ 2 cores): runs
 * vary far less than when the scheduler mixes them, and a logger's threads (Kakashi's writer)
 * share the server's core, as they would a service's.
 */
let PIN = false;

/** Pins this process (the load generator) to core 0; whether it could. */
function pinLoadGenerator() {
  if (process.platform !== 'linux' || require('node:os').availableParallelism() < 2) return false;
  try {
    execFileSync('taskset', ['-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Runs `measure(url, pid)` against a fresh server process (pinned when PIN), then stops it. */
async function withServer(framework, contender, measure) {
  const args = [__filename, '--server', framework, contender];
  const server = PIN
    ? spawn('taskset', ['-c', '1', process.execPath, ...args], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
    : spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  try {
    const [{ port }] = await once(server, 'message');
    return await measure(`http://127.0.0.1:${port}/`, server.pid);
  } finally {
    server.kill('SIGTERM');
    await once(server, 'exit');
  }
}

/** autocannon's run, refused if any answer was not a 2xx. */
async function drive(framework, contender, options) {
  const r = await require('autocannon')(options);
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${framework} ${contender}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
  return r;
}

function load(framework, contender, seconds, connections) {
  return withServer(framework, contender, async (url) => {
    // A second of warm-up (JIT, connection set-up), then the measured run.
    await drive(framework, contender, { url, connections, duration: 1 });
    const r = await drive(framework, contender, { url, connections, duration: seconds });
    return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 };
  });
}

/** CPU time so far of each of `pid`'s threads, ns by thread name (`main` for the JS thread); Linux. */
function threadCpu(pid) {
  const fs = require('node:fs');
  const out = {};
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const name = tid === String(pid) ? 'main' : fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      const ns = Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      out[name] = (out[name] ?? 0) + ns;
    } catch {
      // The thread ended meanwhile.
    }
  }
  return out;
}

/** The server at `rate` requests/s: CPU µs per request, all threads and the JS thread's. */
function cpuLoad(framework, contender, seconds, connections, rate) {
  return withServer(framework, contender, async (url, pid) => {
    const options = { url, connections, overallRate: rate };
    await drive(framework, contender, { ...options, duration: 1 });
    const before = threadCpu(pid);
    const r = await drive(framework, contender, { ...options, duration: seconds });
    const after = threadCpu(pid);
    const used = (name) => (after[name] - (before[name] ?? 0)) / 1000 / r.requests.total;
    return { all: Object.keys(after).reduce((sum, name) => sum + used(name), 0), main: used('main'), rps: r.requests.average };
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const [seconds = 5, reps = 3, connections = 32] = process.argv.slice(2).map(Number);
  PIN = pinLoadGenerator();
  const out = [];
  const json = {};
  for (const framework of Object.keys(FRAMEWORKS)) {
    const contenders = RUNS[framework];
    const runs = Object.fromEntries(contenders.map((c) => [c, []]));
    for (let rep = 0; rep < reps; rep++) for (const c of contenders) runs[c].push(await load(framework, c, seconds, connections));
    const m = Object.fromEntries(contenders.map((c) => [c, { rps: median(runs[c].map((r) => r.rps)), p50: median(runs[c].map((r) => r.p50)), p99: median(runs[c].map((r) => r.p99)) }]));
    json[framework] = { medians: m, runs };
    const express = framework === 'express' ? ' (pino with pino-http, Kakashi with kakashi/http)' : '';
    const pinned = PIN ? ', server pinned to core 1 and load generator to core 0' : '';
    out.push(`## service: ${framework}${express}, ${connections} connections, ${seconds} s, median of ${reps}${pinned}\n`);
    out.push('| contender | req/s | p50 ms | p99 ms | cost (1 − req/s ÷ no logger) | ÷ pino\'s cost |');
    out.push('|---|---:|---:|---:|---:|---:|');
    const cost = (c) => 1 - m[c].rps / m.none.rps;
    for (const c of contenders) {
      const share = c === 'none' ? '' : (cost(c) / cost('pino')).toFixed(2);
      out.push(`| ${c} | ${Math.round(m[c].rps).toLocaleString('en')} | ${m[c].p50} | ${m[c].p99} | ${c === 'none' ? '' : `${(100 * cost(c)).toFixed(1)}%`} | ${share} |`);
    }
    out.push('');
    if (process.platform === 'linux') {
      // A rate every contender sustains: 60% of the slowest one's saturated throughput.
      const rate = Math.floor((0.6 * Math.min(...contenders.map((c) => m[c].rps))) / 100) * 100;
      const cpu = Object.fromEntries(contenders.map((c) => [c, []]));
      for (let rep = 0; rep < reps; rep++) for (const c of contenders) cpu[c].push(await cpuLoad(framework, c, seconds, connections, rate));
      const mc = Object.fromEntries(contenders.map((c) => [c, { all: median(cpu[c].map((r) => r.all)), main: median(cpu[c].map((r) => r.main)), rps: median(cpu[c].map((r) => r.rps)) }]));
      json[framework].cpu = { rate, medians: mc, runs: cpu };
      out.push(`## service: ${framework} at ${rate.toLocaleString('en')} req/s, CPU time per request of the server's threads (µs), median of ${reps}\n`);
      out.push("| contender | req/s | all threads | over no logger | ÷ pino's | JS thread | over no logger | ÷ pino's |");
      out.push('|---|---:|---:|---:|---:|---:|---:|---:|');
      const over = (c, k) => mc[c][k] - mc.none[k];
      for (const c of contenders) {
        const cells = ['all', 'main'].map((k) => (c === 'none' ? `${mc[c][k].toFixed(1)} | | ` : `${mc[c][k].toFixed(1)} | ${over(c, k).toFixed(1)} | ${(over(c, k) / over('pino', k)).toFixed(2)}`));
        out.push(`| ${c} | ${Math.round(mc[c].rps).toLocaleString('en')} | ${cells.join(' | ')} |`);
      }
      out.push('');
    }
  }
  const text = out.join('\n');
  const dir = join(__dirname, 'results');
  require('node:fs').mkdirSync(dir, { recursive: true });
  require('node:fs').writeFileSync(join(dir, 'service.json'), JSON.stringify({ seconds, reps, connections, pinned: PIN, ...json }, null, 2) + '\n');
  require('node:fs').writeFileSync(join(dir, 'service.md'), text + '\n');
  console.log(text);
}

if (process.argv[2] === '--server') serve(process.argv[3], process.argv[4]);
else main().catch((e) => {
  console.error(e);
  process.exit(1);
});
