'use strict';
// Memory at rest: the RSS (and V8 heap) each idle root logger and each child costs, measured in
// a fresh process per contender: after one warm logger, ROOTS more root loggers (each has
// logged one record and been flushed), then CHILDREN children of one of them (each with one
// binding, kept alive); garbage collected before each reading. Medians of 3 processes.
//   node bench/memory.js [roots] [children]
const { spawnSync } = require('node:child_process');

const CONTENDERS = {
  'kakashi-native': () => {
    const { createLogger } = require('..');
    return () => createLogger({ engine: 'native', destination: '/dev/null' });
  },
  'kakashi-js': () => {
    const { createLogger } = require('..');
    return () => createLogger({ engine: 'js', destination: '/dev/null' });
  },
  pino: () => {
    const pino = require('pino');
    return () => pino(pino.destination('/dev/null'));
  },
};

function reading() {
  global.gc();
  global.gc();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
}

async function child(name, roots, children) {
  const make = CONTENDERS[name]();
  const keep = [make()];
  keep[0].info('warm');
  await new Promise((r) => setTimeout(r, 200));
  const before = reading();
  for (let i = 0; i < roots; i++) {
    const log = make();
    log.info({ i }, 'one record');
    keep.push(log);
  }
  await Promise.all(keep.map((l) => (typeof l.flush === 'function' ? new Promise((r) => (l.flush.length > 0 ? l.flush(r) : Promise.resolve(l.flush()).then(r))) : undefined)));
  await new Promise((r) => setTimeout(r, 300));
  const afterRoots = reading();
  const kids = [];
  for (let i = 0; i < children; i++) kids.push(keep[0].child({ reqId: `req-${i}` }));
  const afterChildren = reading();
  process.stdout.write(
    JSON.stringify({
      root: (afterRoots.rss - before.rss) / roots,
      rootHeap: (afterRoots.heapUsed - before.heapUsed) / roots,
      child: (afterChildren.rss - afterRoots.rss) / children,
      childHeap: (afterChildren.heapUsed - afterRoots.heapUsed) / children,
      kept: keep.length + kids.length,
    }),
  );
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (b) => (b / 1024).toFixed(1);

function main() {
  const [roots = 100, children = 10_000] = process.argv.slice(2).map(Number);
  console.log(`## memory at rest: ${roots} idle root loggers, ${children.toLocaleString('en')} children, KB each (RSS; V8 heap), median of 3 processes\n`);
  console.log('| contender | per root logger | per child |');
  console.log('|---|---:|---:|');
  for (const name of Object.keys(CONTENDERS)) {
    const runs = [];
    for (let rep = 0; rep < 3; rep++) {
      const r = spawnSync(process.execPath, ['--expose-gc', __filename, '--child', name, String(roots), String(children)], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`${name}: ${r.stderr}`);
      runs.push(JSON.parse(r.stdout));
    }
    const m = (k) => median(runs.map((x) => x[k]));
    console.log(`| ${name} | ${kb(m('root'))} (${kb(m('rootHeap'))}) | ${kb(m('child'))} (${kb(m('childHeap'))}) |`);
  }
}

if (process.argv[2] === '--child') child(process.argv[3], Number(process.argv[4]), Number(process.argv[5]));
else main();
