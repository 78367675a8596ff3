// A pino transport's worker thread, from the main thread's side: started with the transport's
// module and options and pino's handshake (levels, messageKey, errorKey), restarted when it
// dies (said once; what it held is counted by the shipper), left to end when the logger closes.

import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

import { warnOnce } from '../engines/engine';
import type { NativeBinding } from '../engines/native-binding';
import type { ResolvedTransport } from '../options/network';

/** What pino's `PINO_CONFIG` message carries. */
export interface PinoConfig {
  levels: { values: Record<string, number>; labels: Record<number, string> };
  messageKey: string;
  errorKey: string;
}

/** What the worker is given (pino-abstract-transport reads `workerData.workerData`). */
export interface TransportWorkerData {
  kakashi: { id: number; target: string; options: unknown };
  workerData: { pinoWillSendConfig: true };
}

/** The worker's message once its transport's stream is built. */
export const READY = 'KAKASHI_TRANSPORT_READY';

/** How long a worker whose stream is not built yet keeps the process alive, at most. */
const READY_WAIT_MS = 10_000;

/** At most this many restarts within `RESTART_WINDOW` ms; then the transport stays down. */
const RESTARTS = 5;
const RESTART_WINDOW = 60_000;

export class TransportWorker {
  private stopping = false;
  private readonly restarts: number[] = [];
  private built!: (built: boolean) => void;
  /** Whether the first worker built its transport's stream: once it has, or has exited without. */
  readonly ready = new Promise<boolean>((resolve) => (this.built = resolve));

  constructor(
    private readonly binding: NativeBinding,
    private readonly spec: ResolvedTransport,
    private readonly config: PinoConfig,
  ) {
    this.spawn();
  }

  /** The logger is closing: the worker ends once its transport has closed. */
  stop(): void {
    this.stopping = true;
  }

  private spawn(): void {
    const workerData: TransportWorkerData = { kakashi: { id: this.spec.id, target: this.spec.target, options: this.spec.options }, workerData: { pinoWillSendConfig: true } };
    const worker = new Worker(join(__dirname, 'transport-worker.js'), { workerData });
    // Until its stream is built the worker keeps the process alive, as pino's does (a program
    // that logs and ends still gets 'ready'), for READY_WAIT_MS at most; from then on the
    // process may exit while a transport runs: close() and exit wait for it, bounded.
    const release = (built: boolean): void => {
      clearTimeout(waited);
      worker.unref();
      this.built(built);
    };
    const waited = setTimeout(() => release(false), READY_WAIT_MS);
    waited.unref();
    worker.on('message', (m: { code?: unknown }) => m?.code === READY && release(true));
    worker.postMessage({ code: 'PINO_CONFIG', config: this.config });
    let failure = '';
    worker.on('error', (e) => (failure = `: ${e instanceof Error ? e.message : String(e)}`));
    worker.on('exit', (code) => {
      release(false);
      const why = `exited with code ${code}${failure}`;
      // Also when stopping: a close waiting for this worker stops waiting.
      this.binding.transportGone(this.spec.id, why);
      if (this.stopping) return;
      const now = Date.now();
      while (this.restarts.length > 0 && now - this.restarts[0] > RESTART_WINDOW) this.restarts.shift();
      if (this.restarts.length >= RESTARTS) {
        warnOnce(`transport-down:${this.spec.name}`, `the ${this.spec.name} worker ${why}, ${RESTARTS} times within a minute: not restarted; its records are counted as dropped`);
        return;
      }
      warnOnce(`transport:${this.spec.name}`, `the ${this.spec.name} worker ${why}; restarted (what it had not taken is counted in getStats().dropped)`);
      this.restarts.push(now);
      try {
        this.spawn();
      } catch (e) {
        warnOnce(`transport-down:${this.spec.name}`, `the ${this.spec.name} worker could not be restarted (${e instanceof Error ? e.message : String(e)}); its records are counted as dropped`);
      }
    });
  }
}
