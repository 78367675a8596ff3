// Picking an engine: native when the addon loads, else the JS engine (with one warning);
// an explicit 'native' that cannot load is an error, not a silent downgrade.

import { nativeStream, needsJsThread, type Resolved } from '../options';
import type { Engine } from './engine';
import { useSharedClock } from '../capture/clock';
import { warnOnce } from './engine';
import { JsEngine } from './js';
import { FileStreamEngine } from './file-stream';
import { NativeEngine } from './native';
import { loadNative } from './native-binding';
import { TeeEngine } from './tee';

export function createEngine(o: Resolved): Engine {
  const jsOnly = needsJsThread(o.targets, o.streamWrite);
  if (jsOnly && o.engine === 'native') {
    throw new Error('kakashi: engine "native" cannot write to a stream, a synchronous destination or through hooks.streamWrite (they need each line on the JS thread); use engine "auto" or "js"');
  }
  const network = o.targets.find((t) => t.destination.kind === 'otlp' || t.destination.kind === 'syslog' || t.destination.kind === 'transport');
  if (network && (jsOnly || o.engine === 'js')) {
    throw new Error(`kakashi: destination ${network.destinationText} is sent by the native engine's shipper thread; it cannot be combined with engine "js", a stream, a synchronous destination or hooks.streamWrite`);
  }
  let binding = o.engine === 'js' || jsOnly ? undefined : loadNative();
  if (binding instanceof Error) {
    if (o.engine === 'native' || network) throw new Error(`kakashi: engine "native" is unavailable: ${binding.message}`);
    warnOnce('engine', `native engine unavailable, using the JS engine (${binding.message})`);
    binding = undefined;
  }
  if (binding) {
    const stream = nativeStream(o.targets);
    if (stream !== undefined) return new FileStreamEngine(binding, o, stream);
    try {
      return new NativeEngine(binding, o);
    } catch (e) {
      // The writer names the destination it could not open.
      const m = e instanceof Error ? e.message : String(e);
      const target = o.targets.length === 1 ? o.targets[0].destinationText : undefined;
      throw new Error(target === undefined ? `kakashi: ${m}` : `kakashi: cannot open destination ${target}: ${m.replace(/^cannot open [^:]*: /, '')}`);
    }
  }
  // Lines the JS thread must write, with the addon at hand: their times come from its clock
  // (capture/clock.ts), as the native engine's do, rather than a Date.now() each.
  if (jsOnly && o.engine === 'auto' && o.time !== 'none' && typeof o.time !== 'function') {
    const clock = loadNative();
    if (!(clock instanceof Error)) useSharedClock(clock);
  }
  const engines: JsEngine[] = [];
  for (const t of o.targets) {
    try {
      engines.push(new JsEngine(o, t));
    } catch (e) {
      for (const opened of engines) void opened.close();
      throw new Error(`kakashi: cannot open destination ${t.destinationText}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return engines.length === 1 ? engines[0] : new TeeEngine(engines);
}
