// Nothing lost on an orderly exit: every live engine is flushed synchronously on `exit`
// (process.exit(), the loop running dry, an uncaughtException handler that exits, the end of a
// worker thread) and on `beforeExit`. One listener each per thread, however many loggers. The
// engines are held weakly (as pino's on-exit-leak-free holds its streams): a logger dropped
// without close() is collected. An engine with records still to write is held by its flush timer.

import { type Engine, warnOnce } from './engines/engine';

const live = new Set<WeakRef<Engine>>();
const refs = new WeakMap<Engine, WeakRef<Engine>>();
const collected = new FinalizationRegistry<WeakRef<Engine>>((ref) => live.delete(ref));
let installed = false;

function* engines(): Generator<Engine> {
  for (const ref of live) {
    const engine = ref.deref();
    if (engine !== undefined) yield engine;
  }
}

function flushAll(): void {
  for (const engine of engines()) {
    try {
      engine.flushSync();
    } catch {
      // One broken destination must not keep the others from flushing.
    }
  }
}

/** At exit: what is pending is written (each destination within its exitTimeout), then every later record at once. */
function exitAll(): void {
  for (const engine of engines()) {
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
  const ref = new WeakRef(engine);
  refs.set(engine, ref);
  live.add(ref);
  collected.register(engine, ref, ref);
  if (installed) return;
  installed = true;
  process.on('beforeExit', flushAll);
  process.on('exit', exitAll);
}

export function untrack(engine: Engine): void {
  const ref = refs.get(engine);
  if (ref === undefined) return;
  live.delete(ref);
  collected.unregister(ref);
}
