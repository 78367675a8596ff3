// A pino transport's worker thread: loads the module as pino's worker does (its default export
// builds the stream from the options), then writes each request of lines the shipper feeds it
// and acknowledges it once the stream took it (at once, or at 'drain'); at the end of the feed
// it ends the stream and says when the transport closed (its last batch sent).

import { parentPort, workerData as data } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';

import { loadNative } from '../engines/native-binding';
import { READY, type TransportWorkerData } from './transport';

interface Writable {
  write(chunk: string): boolean;
  end(): void;
  once(event: 'drain', f: () => void): void;
  on(event: string, f: (...args: unknown[]) => void): void;
}

// TypeScript turns import() into require() for CommonJS: this stays an import, for ES modules.
const importModule = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<unknown>;

async function main(): Promise<void> {
  const { id, target, options } = (data as TransportWorkerData).kakashi;
  const binding = loadNative();
  if (binding instanceof Error) throw binding;
  let build = await importModule(target.startsWith('file://') ? target : pathToFileURL(target).href);
  // A default export, possibly nested once more by a transpiler (as pino unwraps it).
  for (let i = 0; i < 2 && typeof build === 'object' && build !== null; i++) build = (build as { default?: unknown }).default;
  if (typeof build !== 'function') throw new Error(`${target} does not export a function that builds a transport stream`);
  const stream = (await build(options)) as Writable;
  stream.on('error', (e) => {
    process.stderr.write(`kakashi: transport ${target}: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
  stream.on('close', () => binding.transportClosed(id));
  binding.transportAttach(id, (seq, lines) => {
    if (lines === null) return stream.end();
    if (stream.write(lines)) binding.transportAck(id, seq);
    else stream.once('drain', () => binding.transportAck(id, seq));
  });
  // What pino's ThreadStream says as 'ready': the stream is built and takes lines.
  parentPort?.postMessage({ code: READY });
}

main().catch((e: unknown) => {
  process.stderr.write(`kakashi: transport worker failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
