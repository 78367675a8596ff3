// Several destinations from one logger, each with its own format and level, on both engines.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { createLogger } from '../index.mjs';
import { ENGINES, tempDir } from './helpers.mjs';

for (const engine of ENGINES) {
  test(`${engine}: each record goes to every target whose level it meets, in that target's format`, async (t) => {
    const dir = tempDir();
    const log = createLogger({
      engine,
      base: null,
      timestamp: false,
      targets: [
        { destination: join(dir, 'dev.log'), format: 'pretty', level: 'debug' },
        { destination: { path: join(dir, 'logs', 'app.log'), mkdir: true }, level: 'info' },
        { destination: join(dir, 'error.log'), format: 'logfmt', level: 'error' },
      ],
    });
    t.is(log.level, 'debug', "the logger's level defaults to the lowest target's");
    log.trace('t');
    log.debug('d');
    log.child({ c: 1 }).info({ a: 1 }, 'i');
    log.warn('w');
    log.error('e');
    log.fatal('f');
    await log.close();
    t.is(readFileSync(join(dir, 'dev.log'), 'utf8'), 'DEBUG d\nINFO  i c=1 a=1\nWARN  w\nERROR e\nFATAL f\n');
    t.is(
      readFileSync(join(dir, 'logs', 'app.log'), 'utf8'),
      '{"level":30,"c":1,"a":1,"msg":"i"}\n{"level":40,"msg":"w"}\n{"level":50,"msg":"e"}\n{"level":60,"msg":"f"}\n',
    );
    t.is(readFileSync(join(dir, 'error.log'), 'utf8'), 'level=error msg=e\nlevel=fatal msg=f\n');
    const s = log.getStats();
    // trace is below every target: never captured. Each figure counts a record once per target.
    t.deepEqual(
      s.targets.map((x) => [x.enqueued, x.written, x.filtered, x.dropped, x.queued]),
      [
        [5, 5, 0, 0, 0],
        [5, 4, 1, 0, 0],
        [5, 2, 3, 0, 0],
      ],
    );
    t.deepEqual([s.enqueued, s.written, s.filtered, s.dropped, s.queued], [15, 11, 4, 0, 0]);
    t.is(s.enqueued, s.written + s.dropped + s.filtered + s.queued);
    t.true(s.targets[1].destination.includes('app.log'));
  });

  test(`${engine}: a silent target writes nothing; a target without a level leaves the logger at info; lazy fields run once per record`, async (t) => {
    const dir = tempDir();
    let calls = 0;
    const log = createLogger({
      engine,
      base: null,
      timestamp: false,
      targets: [{ destination: join(dir, 'all.log') }, { destination: join(dir, 'none.log'), level: 'silent' }, { destination: join(dir, 'logfmt.log'), format: 'logfmt' }],
    });
    t.is(log.level, 'info');
    log.debug('hidden');
    log.error({ n: () => ++calls }, 'e');
    await log.close();
    t.is(readFileSync(join(dir, 'all.log'), 'utf8'), '{"level":50,"n":1,"msg":"e"}\n');
    t.is(readFileSync(join(dir, 'none.log'), 'utf8'), '');
    t.is(readFileSync(join(dir, 'logfmt.log'), 'utf8'), 'level=error msg=e n=1\n');
    t.is(calls, 1);
  });

  test(`${engine}: target mistakes fail at createLogger, naming the target`, (t) => {
    const dir = tempDir();
    t.throws(() => createLogger({ engine, destination: 'stdout', targets: [{ destination: 'stderr' }] }), { message: /"destination".*left out when "targets" is given/ });
    t.throws(() => createLogger({ engine, targets: [] }), { message: /invalid option "targets"/ });
    t.throws(() => createLogger({ engine, targets: [{ destination: 'stdout', format: 'xml' }] }), { message: /targets\[0\]\.format/ });
    t.throws(() => createLogger({ engine, targets: [{ destination: 'stdout', level: 'loud' }] }), { message: /unknown level "loud" \(option "targets\[0\]\.level"\)/ });
    t.throws(() => createLogger({ engine, targets: [{ destination: 'stdout' }, { destination: dir }] }), { message: new RegExp(`cannot open .*${dir.replace(/[/\\]/g, '.')}`) });
  });
}
