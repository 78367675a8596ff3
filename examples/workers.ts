// Worker threads and the main thread logging to one file: one writer thread serves them all,
// so lines never interleave, and every record is kept when a worker ends.
//   npm run example -- workers      (writes logs/workers.log, then prints a summary)
import { readFileSync } from 'node:fs';
import { isMainThread, threadId, Worker } from 'node:worker_threads';
import { createLogger } from 'kakashi';

const FILE = process.env.LOG_FILE ?? 'logs/workers.log';
const log = createLogger({ name: isMainThread ? 'main' : 'worker', destination: { path: FILE, mkdir: true } });

if (isMainThread) {
  const workers = [1, 2].map(() => new Worker(__filename));
  for (let i = 0; i < 1000; i++) log.info({ i }, 'from main');
  Promise.all(workers.map((w) => new Promise((resolve) => w.on('exit', resolve)))).then(async () => {
    await log.close();
    const lines = readFileSync(FILE, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const byName = lines.reduce<Record<string, number>>((n, r) => ((n[r.name] = (n[r.name] ?? 0) + 1), n), {});
    console.log(`${lines.length} records in ${FILE}:`, byName);
  });
} else {
  for (let i = 0; i < 5000; i++) log.info({ i, thread: threadId }, 'from a worker');
  // No flush needed: the worker's records are handed over when it ends.
}
