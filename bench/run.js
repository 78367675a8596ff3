'use strict';
// `npm run bench [-- --quick] [--only scenario,scenario] [--contenders a,b]`
// Every (contender, scenario) runs in a fresh process; repetitions are interleaved (round-robin)
// so drift on a shared machine hits everyone alike; medians are reported.
// Writes bench/results/latest.{md,json,svg}.

const { execFileSync, spawn } = require('node:child_process');
const { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { cpus, tmpdir, totalmem } = require('node:os');
const { join } = require('node:path');

const { contenders } = require('./contenders');
const { scenarios } = require('./scenarios');
const { renderMarkdown, renderSvg, summarize } = require('./report');

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const pick = (flag) => {
  const i = args.indexOf(flag);
  return i === -1 ? undefined : args[i + 1].split(',');
};
const REPS = quick ? 1 : 3;
const N = quick ? 50_000 : 200_000;
const WORKER_N = quick ? 25_000 : 100_000;
const MICRO_SCENARIOS = ['disabled', 'basic', 'fields', 'redact'];
const MICRO_MS = quick ? 150 : 200;
const scenarioNames = pick('--only') ?? Object.keys(scenarios);
const contenderNames = pick('--contenders') ?? Object.keys(contenders);

function applicable(contender, scenario) {
  const c = contenders[contender];
  const s = scenarios[scenario];
  // A disabled call writes nothing: its cost is the tinybench micro benchmark's job. The empty
  // call floor only means something beside the smallest records.
  if (s.lines === 0 || (contender === 'floor-empty' && !['basic', 'fields'].includes(scenario))) return false;
  if (s.needs && !c.supports?.includes(s.needs)) return false;
  return !(c.noIo && (s.destination === 'stdout' || s.threads));
}

/**
 * Records per case. The benchmark must finish in 10 minutes on 2 cores. Kakashi and pino async
 * (the reference of every ratio) always log N. winston and bunyan, 5–20× slower than the rest,
 * log a quarter of N (winston an eighth), and so do pino's sync and default destinations in the
 * heaviest scenarios (`long`: 400 MB; `error` and `deep`: a stack or a nested object per line).
 * Per-record figures stay comparable, and fewer records only flatter them (less buffering, less
 * GC). The report marks these cells.
 */
function recordsFor(contender, scenario) {
  const n = scenarios[scenario].threads ? WORKER_N : N;
  if (contender === 'winston') return n / 8;
  if (contender === 'bunyan') return n / 4;
  const heavy = ['long', 'error', 'deep'].includes(scenario);
  return heavy && ['pino-sync', 'pino-default'].includes(contender) ? n / 4 : n;
}

function runCase(contender, scenario, dir) {
  return new Promise((resolve) => {
    const s = scenarios[scenario];
    const n = recordsFor(contender, scenario);
    const out = s.destination === 'stdout' ? 'stdout' : join(dir, `${contender}-${scenario}.log`);
    const resultFile = join(dir, 'result.json');
    rmSync(resultFile, { force: true });
    const child = spawn(process.execPath, ['--expose-gc', join(__dirname, 'case.js'), contender, scenario, String(n), out, resultFile], {
      stdio: ['ignore', s.destination === 'stdout' ? 'pipe' : 'ignore', 'pipe'],
    });
    // The stdout scenario: this process is the reader at the other end of the pipe.
    let lines = 0;
    let bad = 0;
    let partial = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop();
      for (const line of parts) {
        lines++;
        try {
          JSON.parse(line);
        } catch {
          bad++;
        }
      }
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      let result;
      try {
        result = JSON.parse(readFileSync(resultFile, 'utf8'));
      } catch {
        result = { error: `no result (exit ${code}): ${stderr.slice(-500)}` };
      }
      result.contender = contender;
      result.scenario = scenario;
      if (s.destination === 'stdout' && !result.error) {
        const expected = contenders[contender].noIo ? 0 : n;
        if (lines !== expected || bad > 0 || partial !== '') result.error = `reader saw ${lines} lines (${bad} bad), expected ${expected}`;
      }
      if (out !== 'stdout') for (const t of s.targets ?? [{ suffix: '' }]) rmSync(out + t.suffix, { force: true });
      resolve(result);
    });
  });
}

/**
 * tinybench per-call costs, one process per contender and scenario (as for the cases: a
 * scenario measured after others in one process would inherit a JIT trained on their record
 * shapes), each repetition interleaved.
 */
function runMicro() {
  const results = {};
  const names = contenderNames.filter((c) => !['winston', 'bunyan'].includes(c) || !quick);
  for (let rep = 1; rep <= REPS; rep++) {
    for (const c of names) {
      for (const s of MICRO_SCENARIOS) {
        process.stderr.write(`\r[micro] rep ${rep}/${REPS} ${s.padEnd(8)} ${c.padEnd(16)}                `);
        let value = null;
        try {
          const out = JSON.parse(execFileSync(process.execPath, [join(__dirname, 'micro.js'), c, s, String(MICRO_MS)], { encoding: 'utf8' }));
          value = out[s]?.nsPerCall ?? null;
        } catch {
          // recorded as no figure
        }
        if (value !== null || !scenarios[s].needs || contenders[c].supports?.includes(scenarios[s].needs)) ((results[s] ??= {})[c] ??= []).push(value);
      }
    }
  }
  return results;
}

function machine() {
  const version = (cmd, a) => {
    try {
      return execFileSync(cmd, a, { encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  };
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    rustc: version('rustc', ['--version']),
    date: new Date().toISOString(),
  };
}

/** One writer thread alone (the Rust example format_speed): the next bottleneck after the JS thread. */
function writerAlone() {
  const runs = [['json', 'fields'], ['logfmt', 'fields'], ['pretty', 'fields'], ['json', 'request']];
  const rows = runs.map(([f, records]) => {
    const line = execFileSync('cargo', ['run', '--release', '-q', '-p', 'kakashi-core', '--example', 'format_speed', f, records], { cwd: join(__dirname, '..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const r = JSON.parse(line);
    const rate = (ns) => `${(1e3 / ns).toFixed(2)} M`;
    return `| ${f} | ${records} | ${r.formatNs} | ${rate(r.formatNs)} | ${r.writeNs} | ${rate(r.writeNs)} | ${r.bytesPerLine} |`;
  });
  return [
    "## One writer thread alone: the `fields` record in batches of 292, and a request's three records as Fastify logs them (`request`: a child's reqId, `{ req }`, 4 fields, `{ res, responseTime }`) in batches of 300 (cargo run --release -p kakashi-core --example format_speed <format> <records>)\n",
    '| format | records | format, ns per record | records/s | format + write to /dev/null, ns per record | records/s | bytes per line |',
    '|---|---|---:|---:|---:|---:|---:|',
    ...rows,
    '',
  ].join('\n');
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'kakashi-bench-'));
  const cases = [];
  for (const scenario of scenarioNames) for (const contender of contenderNames) if (applicable(contender, scenario)) cases.push([contender, scenario]);
  const total = cases.length * REPS;
  const results = [];
  const started = Date.now();
  let done = 0;
  for (let rep = 1; rep <= REPS; rep++) {
    for (const [contender, scenario] of cases) {
      done++;
      const elapsed = Math.round((Date.now() - started) / 1000);
      process.stderr.write(`\r[${done}/${total}] rep ${rep}/${REPS} ${scenario.padEnd(8)} ${contender.padEnd(16)} ${elapsed}s   `);
      results.push(await runCase(contender, scenario, dir));
    }
  }
  rmSync(dir, { recursive: true, force: true });
  const micro = runMicro();
  process.stderr.write('\n');

  const info = { ...machine(), quick, reps: REPS, n: N, workerN: WORKER_N, microMs: MICRO_MS, seconds: Math.round((Date.now() - started) / 1000) };
  const summary = summarize(results, micro);
  const outDir = join(__dirname, 'results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'latest.json'), JSON.stringify({ info, summary, runs: results, micro }, null, 2) + '\n');
  const md = renderMarkdown(summary, info);
  writeFileSync(join(outDir, 'latest.md'), md);
  writeFileSync(join(outDir, 'latest.svg'), renderSvg(summary, info));
  // Shipping (bench/ship.js), memory at rest (bench/memory.js), the writer alone and pino's own
  // suite (bench/pino-suite.js), unless --only or --contenders narrowed the run.
  if (pick('--only') === undefined && pick('--contenders') === undefined) {
    const ship = execFileSync(process.execPath, [join(__dirname, 'ship.js'), quick ? '20000' : '50000', quick ? '1' : '3'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const memory = execFileSync(process.execPath, [join(__dirname, 'memory.js'), '1000', '10000'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const pinoSuite = execFileSync(process.execPath, [join(__dirname, 'pino-suite.js')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const all = [md, ship, memory, writerAlone(), pinoSuite].join('\n');
    writeFileSync(join(outDir, 'latest.md'), all);
    process.stdout.write(all);
  } else process.stdout.write(md);
  const errors = results.filter((r) => r.error);
  if (errors.length > 0) {
    for (const e of errors) process.stderr.write(`error: ${e.contender} ${e.scenario}: ${e.error}\n`);
    process.exitCode = 1;
  }
}

main();
