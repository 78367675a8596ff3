// The 30-second version of `npm run soak`: main thread + 2 workers logging steadily; no memory
// growth past the bound, no descriptor leak, not one record lost, torn or out of order.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { ENGINES, ROOT } from './helpers.mjs';

for (const engine of ENGINES) {
  test(`${engine}: 30-second soak`, (t) => {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'soak.mjs'), '--seconds', '30', '--engine', engine], { encoding: 'utf8', timeout: 120_000 });
    t.is(r.status, 0, r.stdout + r.stderr.slice(-2000));
    const summary = JSON.parse(r.stdout.trim().split('\n').pop());
    t.deepEqual(summary.failures, []);
    t.true(summary.records > 30 * 3 * 4000, `${summary.records} records`);
  });
}
