'use strict';
// pino's own benchmark suite (node_modules/pino/benchmarks: fastbench, 10,000 rounds of 10 calls
// with a setImmediate between, to /dev/null), run as pino ships it, then run again with
// Kakashi in pino's place: the same files, unmodified, in a copy of the package whose `../`
// (what every bench file requires as pino) is kakashi/pino. pino's destinations map to Kakashi's
// (pino.destination() → the native writer; a file stream → the native writer once the file is open).
// Reported: the second of fastbench's two runs, ms per 100,000 calls, for pino's own functions,
// medians of interleaved repetitions (single runs of this suite move by ±30% here).
//   node bench/pino-suite.js [--reps=3] [bench ...]
const { execFileSync } = require('node:child_process');
const { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const BENCHES = ['basic', 'object', 'deep-object', 'multi-arg', 'long-string', 'child', 'child-child', 'child-creation'];

/** A package folder holding pino's benchmarks, whose `../` is `entry`. */
function suite(at, entry) {
  mkdirSync(at, { recursive: true });
  cpSync(join(ROOT, 'node_modules', 'pino', 'benchmarks'), join(at, 'benchmarks'), { recursive: true });
  // The bench files' other loggers (bunyan, winston, bole, loglevel), from this repo's install.
  symlinkSync(join(ROOT, 'node_modules'), join(at, 'node_modules'));
  writeFileSync(join(at, 'package.json'), JSON.stringify({ name: 'pino', main: 'index.js' }));
  writeFileSync(join(at, 'index.js'), `module.exports = require(${JSON.stringify(entry)});\n`);
}

/**
 * Ours, beside pino's files: what the deep benches' object costs to JSON.stringify alone, in
 * fastbench's pattern (10 calls, then setImmediate) — the floor of any logger that stringifies it
 * on the JS thread, as `%j` of a nested object does (multi-arg's deep, built as that file builds
 * it) and pino's deep-object does.
 */
const FLOOR = `'use strict'
const bench = require('fastbench')
const manifest = () => JSON.parse(JSON.stringify(require('../package.json')))
const deep = manifest()
deep.deep = manifest()
deep.deep.deep = JSON.parse(JSON.stringify(deep))
deep.deep.deep.deep = JSON.parse(JSON.stringify(deep))
const deepObj = Object.assign(manifest(), { level: 'info' })
const run = bench([
  function floorStringifyInterpolateDeep (cb) { for (let i = 0; i < 10; i++) JSON.stringify(deep); setImmediate(cb) },
  function floorStringifyDeepObj (cb) { for (let i = 0; i < 10; i++) JSON.stringify(deepObj); setImmediate(cb) }
], 10000)
run(run)
`;

/** fastbench's lines (`benchPino*10000: 61.849ms`) of the second run: name → ms per round set. */
function times(dir, bench) {
  const out = execFileSync(process.execPath, [join(dir, 'benchmarks', `${bench}.bench.js`)], { cwd: join(dir, 'benchmarks'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 600_000 });
  const seen = new Map();
  for (const line of out.split('\n')) {
    // fastbench prints `61.849ms`, or `1.234s` past a second.
    const m = /^(\w+)\*(\d+): ([\d.]+)(ms|s)$/.exec(line.trim());
    // Each function runs twice: the second, warmed, figure stays.
    if (m) seen.set(m[1], Number(m[3]) * (m[4] === 's' ? 1000 : 1));
  }
  return seen;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main() {
  const args = process.argv.slice(2);
  const repsArg = args.find((a) => a.startsWith('--reps='));
  const reps = repsArg === undefined ? 3 : Number(repsArg.slice('--reps='.length));
  if (!Number.isInteger(reps) || reps < 1) throw new Error(`--reps: a whole number from 1 up, not ${repsArg}`);
  const named = args.filter((a) => !a.startsWith('--'));
  const benches = named.length > 0 ? named : BENCHES;
  const base = mkdtempSync(join(tmpdir(), 'kakashi-pino-suite-'));
  try {
    suite(join(base, 'pino'), join(ROOT, 'node_modules', 'pino'));
    suite(join(base, 'kakashi'), join(ROOT, 'dist', 'pino-entry.js'));
    // bench → function → { pino: ms[], kakashi: ms[] }, repetitions interleaved: a slow spell of
    // the machine lands on both.
    const runs = new Map();
    const floors = new Map();
    writeFileSync(join(base, 'pino', 'benchmarks', 'kakashi-floor.bench.js'), FLOOR);
    for (let rep = 0; rep < reps; rep++) {
      for (const [name, ms] of times(join(base, 'pino'), 'kakashi-floor')) floors.set(name, [...(floors.get(name) ?? []), ms]);
      for (const bench of benches) {
        const pino = times(join(base, 'pino'), bench);
        const kakashi = times(join(base, 'kakashi'), bench);
        if (!runs.has(bench)) runs.set(bench, new Map());
        for (const [name, ms] of pino) {
          if (!name.startsWith('benchPino') || !kakashi.has(name)) continue;
          const row = runs.get(bench).get(name) ?? { pino: [], kakashi: [] };
          row.pino.push(ms);
          row.kakashi.push(kakashi.get(name));
          runs.get(bench).set(name, row);
        }
      }
    }
    const rows = [];
    for (const [bench, fns] of runs) {
      for (const [name, { pino, kakashi }] of fns) {
        const ratios = pino.map((p, i) => p / kakashi[i]);
        const range = reps > 1 ? ` (${Math.min(...ratios).toFixed(1)}–${Math.max(...ratios).toFixed(1)})` : '';
        rows.push(`| ${bench} | ${name} | ${median(pino).toFixed(1)} | ${median(kakashi).toFixed(1)} | ${median(ratios).toFixed(1)}×${range} |`);
      }
    }
    console.log(`## pino's benchmark suite, pino's functions with pino and with Kakashi in its place (fastbench, ms per 100,000 calls, second run; medians of ${reps} interleaved repetitions)\n`);
    console.log('| bench | function | pino | Kakashi | pino ÷ Kakashi (range) |');
    console.log('|---|---|---:|---:|---:|');
    console.log(rows.join('\n'));
    const pinoOf = (bench, fn) => runs.get(bench)?.get(fn)?.pino;
    const floorRows = [
      ['multi-arg', 'benchPinoInterpolateDeep', 'floorStringifyInterpolateDeep'],
      ['deep-object', 'benchPinoDeepObj', 'floorStringifyDeepObj'],
    ].filter(([bench, fn, floor]) => pinoOf(bench, fn) !== undefined && floors.has(floor));
    if (floorRows.length > 0) {
      console.log("\n`JSON.stringify` of the bench's object alone, in the same pattern: no logger that stringifies it on the JS thread is faster (ms per 100,000 calls, medians)\n");
      console.log('| bench | JSON.stringify alone | pino | pino ÷ JSON.stringify (the ceiling) |');
      console.log('|---|---:|---:|---:|');
      for (const [bench, fn, floor] of floorRows) {
        const f = median(floors.get(floor));
        const p = median(pinoOf(bench, fn));
        console.log(`| ${bench} (${fn}) | ${f.toFixed(1)} | ${p.toFixed(1)} | ${(p / f).toFixed(1)}× |`);
      }
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

main();
