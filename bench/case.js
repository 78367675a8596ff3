'use strict';
// One measurement in a fresh process: a contender, a scenario, N records.
//   node bench/case.js <contender> <scenario> <n> <out-file|stdout> <result-file>
// Measures the JS-thread cost of the logging loop, the end-to-end time until close() has
// resolved and the file holds N lines, the process's CPU time (all threads) and peak RSS growth.
// Then checks that every line parses; a case whose count or parse fails reports an error.

const { closeSync, openSync, readFileSync, readSync, rmSync, writeFileSync } = require('node:fs');
const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');

const { contenders } = require('./contenders');
const { scenarios } = require('./scenarios');

const WARMUP = 10_000;

/**
 * CPU time of this thread alone, in ns (Linux: /proc/self/task/<tid>/stat, 10 ms ticks), or
 * null. Unlike wall time it leaves out time the thread spent waiting for a core that the
 * writer threads held: on 2 cores, the JS thread's own work per record.
 */
function threadCpuNs() {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 1e7;
  } catch {
    return null;
  }
}

function loop(log, run, n) {
  for (let i = 0; i < n; i++) run(log, i);
}

async function warmUp(contender, scenario) {
  const w = contender.open('/dev/null', scenario);
  loop(w.log, scenario.run, WARMUP);
  await w.close();
}

/** Newlines in a file, read in 1 MiB chunks. */
function countLines(path) {
  let fd;
  try {
    fd = openSync(path, 'r');
  } catch {
    return 0;
  }
  const buf = Buffer.allocUnsafe(1 << 20);
  let lines = 0;
  for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) {
    for (let at = buf.indexOf(10, 0); at !== -1 && at < n; at = buf.indexOf(10, at + 1)) lines++;
  }
  closeSync(fd);
  return lines;
}

async function waitForLines(path, expected, deadlineMs = 60_000) {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const lines = countLines(path);
    if (lines >= expected || Date.now() > until) return lines;
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Every line is complete, and JSON unless the scenario writes another format. */
function verify(path, expected, json) {
  const text = readFileSync(path, 'utf8');
  let valid = 0;
  let start = 0;
  for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
    if (json) JSON.parse(text.slice(start, end));
    valid++;
    start = end + 1;
  }
  if (start !== text.length) throw new Error('the file does not end with a newline');
  if (valid !== expected) throw new Error(`expected ${expected} lines, found ${valid}`);
}

async function measureThread(contenderName, scenarioName, n, out) {
  const contender = contenders[contenderName];
  const scenario = scenarios[scenarioName];
  await warmUp(contender, scenario);
  const target = contender.open(out, scenario);
  global.gc?.();
  const baseline = { rss: process.memoryUsage.rss(), cpu: process.cpuUsage() };
  const cpu0 = threadCpuNs();
  const t0 = process.hrtime.bigint();
  loop(target.log, scenario.run, n);
  const t1 = process.hrtime.bigint();
  const cpu1 = threadCpuNs();
  await target.close();
  return { t0, t1, baseline, threadCpuNs: cpu0 === null ? null : cpu1 - cpu0 };
}

async function main() {
  const [contenderName, scenarioName, nText, out, resultFile] = process.argv.slice(2);
  if (out !== 'stdout') rmSync(out, { force: true });
  const n = Number(nText);
  const scenario = scenarios[scenarioName];
  const contender = contenders[contenderName];
  const threads = scenario.threads ?? 1;
  // `lines`: records per call (0: none written).
  const logged = n * threads * (scenario.lines ?? 1);
  const expected = contender.noIo || out === 'stdout' ? 0 : logged;
  let jsNs;
  let jsCpuNs = null;
  let start;
  let baseline;
  if (threads === 1) {
    const r = await measureThread(contenderName, scenarioName, n, out);
    jsNs = Number(r.t1 - r.t0) / n;
    jsCpuNs = r.threadCpuNs === null ? null : r.threadCpuNs / n;
    start = r.t0;
    baseline = r.baseline;
  } else {
    // Workers warm up, then start together; the clock runs from the start signal.
    const workers = Array.from({ length: threads }, () => new Worker(__filename, { workerData: { contenderName, scenarioName, n, out } }));
    await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
    baseline = { rss: process.memoryUsage.rss(), cpu: process.cpuUsage() };
    start = process.hrtime.bigint();
    const done = workers.map((w) => new Promise((resolve) => w.once('message', resolve)));
    workers.forEach((w) => w.postMessage('go'));
    const results = await Promise.all(done);
    jsNs = results.reduce((sum, r) => sum + r.loopNs, 0) / (n * threads);
  }
  if (expected > 0) await waitForLines(out, expected);
  const end = process.hrtime.bigint();
  // CPU of every thread of the process, from the start of the measured loop (after warm-up).
  const cpu = process.cpuUsage(baseline.cpu);
  const result = {
    contender: contenderName,
    scenario: scenarioName,
    n: n * threads,
    jsNs,
    jsCpuNs,
    e2eMs: Number(end - start) / 1e6,
    // For stdout, the end is when close() resolved: every line handed to the pipe, whose reader
    // (the benchmark's own process) counts and parses them.
    recordsPerSec: contender.noIo || logged === 0 ? null : logged / (Number(end - start) / 1e9),
    cpuMs: (cpu.user + cpu.system) / 1000,
    // Peak RSS (the process's high-water mark) above RSS before the loop.
    rssGrowthMB: Math.max(0, process.resourceUsage().maxRSS * 1024 - baseline.rss) / 2 ** 20,
  };
  try {
    if (out !== 'stdout' && !contender.noIo) verify(out, expected, !scenario.format);
  } catch (e) {
    result.error = e.message;
  }
  writeFileSync(resultFile, JSON.stringify(result));
}

if (isMainThread) {
  main().catch((e) => {
    const resultFile = process.argv[6];
    writeFileSync(resultFile, JSON.stringify({ error: e.stack || String(e) }));
  });
} else {
  const { contenderName, scenarioName, n, out } = workerData;
  const contender = contenders[contenderName];
  const scenario = scenarios[scenarioName];
  (async () => {
    await warmUp(contender, scenario);
    const target = contender.open(out, scenario);
    parentPort.postMessage('ready');
    await new Promise((resolve) => parentPort.once('message', resolve));
    const t0 = process.hrtime.bigint();
    loop(target.log, scenario.run, n);
    const loopNs = Number(process.hrtime.bigint() - t0);
    await target.close();
    parentPort.postMessage({ loopNs });
  })();
}
