// Picking an engine: native when the addon loads, else the JS engine (with one warning);
// an explicit 'native' that cannot load is an error, not a silent downgrade.

import type { Resolved } from '../options';
import type { Engine } from './engine';
import { warnOnce } from './engine';
import { JsEngine } from './js';
import { NativeEngine } from './native';
import { loadNative } from './native-binding';

export function createEngine(o: Resolved): Engine {
  let binding = o.engine === 'js' ? undefined : loadNative();
  if (binding instanceof Error) {
    if (o.engine === 'native') throw new Error(`kakashi: engine "native" is unavailable: ${binding.message}`);
    warnOnce('engine', `native engine unavailable, using the JS engine (${binding.message})`);
    binding = undefined;
  }
  try {
    return binding ? new NativeEngine(binding, o) : new JsEngine(o);
  } catch (e) {
    throw new Error(`kakashi: cannot open destination ${o.destinationText}: ${reason(e)}`);
  }
}

function reason(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.replace(/^cannot open [^:]*: /, '');
}
