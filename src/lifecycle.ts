// Nothing lost on an orderly exit: every live engine is flushed synchronously on `exit`
// (process.exit(), the loop running dry, an uncaughtException handler that exits, the end of a
// worker thread) and on `beforeExit`. One listener each per thread, however many loggers.

import { type Engine, warnOnce } from './engines/engine';

const live = new Set<Engine>();
let installed = false;

function flushAll(): void {
  for (const engine of live) {
    try {
      engine.flushSync();
    } catch {
      // One broken destination must not keep the others from flushing.
    }
  }
}

/** At exit: what is pending is written (each destination within its exitTimeout), then every later record at once. */
function exitAll(): void {
  for (const engine of live) {
    try {
      if (!engine.exit()) {
        const { queued } = engine.stats();
        if (queued > 0) warnOnce('exit', `${queued} records could not be written before exit: the destination took no writes within exitTimeout`);
      }
    } catch {
      // One broken destination must not keep the others from flushing.
    }
  }
}

export function track(engine: Engine): void {
  live.add(engine);
  if (installed) return;
  installed = true;
  process.on('beforeExit', flushAll);
  process.on('exit', exitAll);
}

export function untrack(engine: Engine): void {
  live.delete(engine);
}
