'use strict';
// pino's own benchmark suite (node_modules/pino/benchmarks: fastbench, 10,000 rounds of 10 calls
// with a setImmediate between, to /dev/null), run as pino ships it, then run again with
// Kakashi in pino's place: the same files, unmodified, in a copy of the package whose `../`
// (what every bench file requires as pino) is kakashi/pino. pino's destinations map to Kakashi's
// (pino.destination() → the native writer; a Node stream → the JS engine's stream path).
// Reported: the second of fastbench's two runs, ms per 100,000 calls, for pino's own functions.
//   node bench/pino-suite.js [bench ...]
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

/** fastbench's lines (`benchPino*10000: 61.849ms`) of the second run: name → ms per round set. */
function times(dir, bench) {
  const out = execFileSync(process.execPath, [join(dir, 'benchmarks', `${bench}.bench.js`)], { cwd: join(dir, 'benchmarks'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 600_000 });
  const seen = new Map();
  for (const line of out.split('\n')) {
    const m = /^(\w+)\*(\d+): ([\d.]+)ms$/.exec(line.trim());
    // Each function runs twice: the second, warmed, figure stays.
    if (m) seen.set(m[1], Number(m[3]));
  }
  return seen;
}

function main() {
  const benches = process.argv.slice(2).length > 0 ? process.argv.slice(2) : BENCHES;
  const base = mkdtempSync(join(tmpdir(), 'kakashi-pino-suite-'));
  try {
    suite(join(base, 'pino'), join(ROOT, 'node_modules', 'pino'));
    suite(join(base, 'kakashi'), join(ROOT, 'dist', 'pino-entry.js'));
    const rows = [];
    for (const bench of benches) {
      const pino = times(join(base, 'pino'), bench);
      const kakashi = times(join(base, 'kakashi'), bench);
      for (const [name, ms] of pino) {
        if (!name.startsWith('benchPino')) continue;
        const k = kakashi.get(name);
        rows.push(`| ${bench} | ${name} | ${ms.toFixed(1)} | ${k === undefined ? '—' : k.toFixed(1)} | ${k === undefined ? '' : (ms / k).toFixed(1) + '×'} |`);
      }
    }
    console.log("## pino's benchmark suite, pino's functions with pino and with Kakashi in its place (fastbench, ms per 100,000 calls, second run)\n");
    console.log('| bench | function | pino | Kakashi | pino ÷ Kakashi |');
    console.log('|---|---|---:|---:|---:|');
    console.log(rows.join('\n'));
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

main();
