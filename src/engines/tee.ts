// The JS engine's way to several targets: one JsEngine per target, each formatting the record
// in its own format (the native engine instead hands one captured batch to every writer).

import type { Stats } from '../../index';
import { type Bindings, bindingsText } from '../bindings';
import { messageText } from '../capture/template';
import type { FieldRedactor } from '../redact';
import { combineStats, type Engine } from './engine';
import type { JsEngine } from './js';

export class TeeEngine implements Engine {
  readonly name = 'js';
  constructor(private readonly targets: JsEngine[]) {}

  /** The record is read once (lazy fields called once, one clock reading), then each target formats it. */
  write(level: number, bindings: string | undefined, fields: object | undefined, msg: unknown, redact: FieldRedactor | undefined, owner: Bindings): void {
    bindings ??= bindingsText(owner);
    msg = messageText(msg);
    const first = this.targets[0];
    const wanted = this.targets.some((t) => t.takes(level));
    const time = wanted ? first.readTime() : undefined;
    const [members, message] = wanted ? first.record(fields, redact, msg) : ['', undefined];
    for (const t of this.targets) t.append(level, time, bindings, members, message);
  }

  async flush(): Promise<void> {
    await Promise.all(this.targets.map((t) => t.flush()));
  }

  flushSync(): boolean {
    let all = true;
    for (const t of this.targets) all = t.flushSync() && all;
    return all;
  }

  exit(): boolean {
    let all = true;
    for (const t of this.targets) all = t.exit() && all;
    return all;
  }

  reopen(): void {
    for (const t of this.targets) t.reopen();
  }

  async close(): Promise<void> {
    await Promise.all(this.targets.map((t) => t.close()));
  }

  stats(): Stats {
    return combineStats(this.targets.map((t) => t.targetStats()));
  }
}
