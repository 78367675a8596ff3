'use strict';
// The logging thread's own CPU time per call, precisely: a longer loop than the cases' (the
// scheduler counts a running thread's time in ticks, 10 ms on the benchmark's VM), one fresh
// process per (scenario, repetition), repetitions interleaved, best of the repetitions.
// Linux only. For the claims the case runner's N is too short to settle, e.g. that the number
// of targets does not change the JS thread's work:
//   node bench/thread-cpu.js [contender] [scenario,scenario] [records] [repetitions]
//   node bench/thread-cpu.js kakashi-native fields,multi-target 2000000 5
const { execFileSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const { contenders } = require('./contenders');
const { scenarios } = require('./scenarios');

function cpuNs() {
  return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]);
}

async function child(contenderName, scenarioName, n, dir) {
  const scenario = scenarios[scenarioName];
  const target = contenders[contenderName].open(join(dir, 'out.log'), scenario);
  for (let i = 0; i < 20_000; i++) scenario.run(target.log, i); // warm-up
  const before = cpuNs();
  for (let i = 0; i < n; i++) scenario.run(target.log, i);
  const ns = (cpuNs() - before) / n;
  await target.close();
  process.stdout.write(String(ns));
}

function main() {
  const [contender = 'kakashi-native', list = 'fields,multi-target', n = '2000000', reps = '5'] = process.argv.slice(2);
  const names = list.split(',');
  const best = {};
  for (let rep = 0; rep < Number(reps); rep++) {
    for (const s of names) {
      const dir = mkdtempSync(join(tmpdir(), 'kakashi-cpu-'));
      const out = execFileSync(process.execPath, [__filename, '--child', contender, s, n, dir], { encoding: 'utf8' });
      rmSync(dir, { recursive: true, force: true });
      best[s] = Math.min(best[s] ?? Infinity, Number(out));
    }
  }
  for (const s of names) console.log(`${s.padEnd(14)} ${best[s].toFixed(0)} ns of JS-thread CPU per call (best of ${reps}, ${n} calls each)`);
  if (names.length === 2) console.log(`${names[1]} ÷ ${names[0]}: ${(best[names[1]] / best[names[0]]).toFixed(3)}`);
}

if (process.argv[2] === '--child') child(process.argv[3], process.argv[4], Number(process.argv[5]), process.argv[6]);
else main();
