'use strict';
// Per-call cost on the JS thread, measured with tinybench: one contender per process (the
// benchmark runs one scenario per process too), writing to /dev/null, each task a loop of
// 1,000 calls (so the timer's own cost is amortized).
//   node bench/micro.js <contender> <scenario,scenario> <ms per task>
const { Bench } = require('tinybench');

const { contenders } = require('./contenders');
const { scenarios } = require('./scenarios');

const CALLS = 1000;

async function main() {
  const [name, list, ms] = process.argv.slice(2);
  const bench = new Bench({ time: Number(ms), warmupTime: Math.min(200, Number(ms)) });
  const opened = [];
  for (const scenarioName of list.split(',')) {
    const scenario = scenarios[scenarioName];
    if (scenario.needs && !contenders[name].supports?.includes(scenario.needs)) continue;
    const target = contenders[name].open('/dev/null', scenario);
    opened.push(target);
    const { log } = target;
    const run = scenario.run;
    let i = 0;
    bench.add(scenarioName, () => {
      for (let k = 0; k < CALLS; k++) run(log, i++);
    });
  }
  await bench.run();
  const out = {};
  for (const task of bench.tasks) {
    const r = task.result;
    out[task.name] = r && r.latency ? { nsPerCall: (r.latency.p50 * 1e6) / CALLS, samples: r.latency.samplesCount ?? null } : { error: r?.error?.message ?? r?.state };
  }
  for (const t of opened) await t.close();
  process.stdout.write(JSON.stringify(out));
}

main();
