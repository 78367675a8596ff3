// `npm run soak -- --minutes 10 [--engine js] [--rate 5000]`: the main thread and 2 workers log
// at a steady rate to one file; every second it samples RSS, open descriptors and event-loop
// lag. It fails (exit 1) if memory keeps growing past its bound, descriptors leak, or a single
// record is missing, torn or out of order in the file afterwards.
import { once } from 'node:events';
import { createReadStream, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

import { createLogger } from '../index.mjs';

const THREADS = 3; // the main thread and 2 workers
const RSS_BOUND_MB = 64; // growth allowed after the first tenth of the run (warm-up)

/**
 * Logs `rate` records/s until told to stop, paced by the clock: every 10 ms it logs what is due
 * since the start (timers that fire late on a loaded machine are caught up, a tenth of a second
 * at most at once); resolves to the count.
 */
function logSteadily(log, thread, rate, stopped) {
  let i = 0;
  const started = Date.now();
  const most = Math.max(1, Math.round(rate / 10));
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (stopped()) {
        clearInterval(timer);
        resolve(i);
        return;
      }
      const due = Math.min(Math.floor(((Date.now() - started) * rate) / 1000), i + most);
      while (i < due) log.info({ thread, i: i++ }, 'soak');
    }, 10);
  });
}

if (!isMainThread) {
  const { engine, path, rate, thread } = workerData;
  const log = createLogger({ engine, destination: path });
  let stop = false;
  parentPort.once('message', () => (stop = true));
  parentPort.postMessage('started');
  const count = await logSteadily(log, thread, rate, () => stop);
  await log.close();
  parentPort.postMessage(count);
} else {
  const arg = (name, fallback) => {
    const at = process.argv.indexOf(`--${name}`);
    return at === -1 ? fallback : process.argv[at + 1];
  };
  const seconds = Number(arg('seconds', Number(arg('minutes', 10)) * 60));
  const engine = arg('engine', 'native');
  const rate = Number(arg('rate', 5000));
  const dir = mkdtempSync(join(tmpdir(), 'kakashi-soak-'));
  const path = join(dir, 'soak.log');
  const fds = () => (process.platform === 'linux' ? readdirSync('/proc/self/fd').length : 0);

  const log = createLogger({ engine, destination: path });
  const workers = [1, 2].map((thread) => new Worker(new URL(import.meta.url), { workerData: { engine, path, rate, thread } }));
  // Each worker says 'started' once its logger is open, then its count when told to stop.
  const workerCounts = workers.map((w) => once(w, 'message').then(() => once(w, 'message')).then(([n]) => n));
  let stop = false;
  const mainCount = logSteadily(log, 0, rate, () => stop);
  // The samples begin once every thread's logger is open (a loaded machine starts workers late):
  // descriptors and memory are compared from there.
  await Promise.all(workers.map((w) => once(w, 'message')));

  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const samples = [];
  const started = Date.now();
  const failures = [];
  await new Promise((resolve) => {
    const tick = setInterval(() => {
      const s = { t: Math.round((Date.now() - started) / 1000), rssMB: process.memoryUsage.rss() / 2 ** 20, fds: fds(), lagP99Ms: lag.percentile(99) / 1e6 };
      samples.push(s);
      lag.reset();
      process.stderr.write(`\r[soak ${engine}] ${s.t}/${seconds}s rss ${s.rssMB.toFixed(1)} MB, fds ${s.fds}, lag p99 ${s.lagP99Ms.toFixed(1)} ms   `);
      if (s.t >= seconds) {
        clearInterval(tick);
        resolve();
      }
    }, 1000);
  });
  stop = true;
  workers.forEach((w) => w.postMessage('stop'));
  const counts = [await mainCount, ...(await Promise.all(workerCounts))];
  await log.close();
  process.stderr.write('\n');

  // Memory and descriptors: after warm-up (the first tenth), nothing may keep growing.
  const warm = samples[Math.max(0, Math.floor(samples.length / 10) - 1)];
  const peak = samples.slice(samples.indexOf(warm)).reduce((m, s) => Math.max(m, s.rssMB), 0);
  if (peak - warm.rssMB > RSS_BOUND_MB) failures.push(`RSS grew by ${(peak - warm.rssMB).toFixed(1)} MB after warm-up (bound ${RSS_BOUND_MB} MB)`);
  const lastFds = samples[samples.length - 1].fds;
  if (lastFds > warm.fds) failures.push(`open descriptors grew from ${warm.fds} to ${lastFds}`);

  // Every record, whole and in its thread's order.
  const next = new Array(THREADS).fill(0);
  let lines = 0;
  for await (const line of createInterface({ input: createReadStream(path) })) {
    lines++;
    let r;
    try {
      r = JSON.parse(line);
    } catch {
      failures.push(`line ${lines} does not parse`);
      break;
    }
    if (r.i !== next[r.thread]) {
      failures.push(`thread ${r.thread}: expected record ${next[r.thread]}, found ${r.i}`);
      break;
    }
    next[r.thread]++;
  }
  counts.forEach((n, thread) => {
    if (next[thread] !== n) failures.push(`thread ${thread}: logged ${n}, found ${next[thread]}`);
  });
  rmSync(dir, { recursive: true, force: true });
  const summary = {
    engine,
    seconds,
    records: counts.reduce((a, b) => a + b, 0),
    rssWarmMB: +warm.rssMB.toFixed(1),
    rssPeakMB: +peak.toFixed(1),
    fds: lastFds,
    lagP99MaxMs: +Math.max(...samples.map((s) => s.lagP99Ms)).toFixed(1),
    failures,
  };
  console.log(JSON.stringify(summary));
  process.exitCode = failures.length ? 1 : 0;
}
