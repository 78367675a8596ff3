// The JS engine's way to several targets: one JsEngine per target, each formatting the record
// in its own format (the native engine instead hands one captured batch to every writer).

import type { Stats } from '../../index';
import { combineStats, type Engine } from './engine';
import type { JsEngine } from './js';

export class TeeEngine implements Engine {
  readonly name = 'js';
  private enqueued = 0;

  constructor(private readonly targets: JsEngine[]) {}

  write(...record: Parameters<Engine['write']>): void {
    this.enqueued++;
    for (const t of this.targets) t.write(...record);
  }

  async flush(): Promise<void> {
    await Promise.all(this.targets.map((t) => t.flush()));
  }

  flushSync(): void {
    for (const t of this.targets) t.flushSync();
  }

  reopen(): void {
    for (const t of this.targets) t.reopen();
  }

  async close(): Promise<void> {
    await Promise.all(this.targets.map((t) => t.close()));
  }

  stats(): Stats {
    return combineStats(this.enqueued, this.targets.map((t) => t.targetStats()));
  }
}
