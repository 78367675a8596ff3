// File rotation for the JS engine: the twin of crates/kakashi-core/src/rotate.rs, with the same
// rules and names. Rotation happens between whole lines; a rotated file is gzipped by a zlib
// stream (on libuv's thread pool), its original removed only once the .gz is complete.

import * as fs from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream';
import { createGzip } from 'node:zlib';

import type { ResolvedRotate } from '../options';

export class Rotation {
  private written: number;
  private period: number;
  private lastStamp = 0;
  /** Compressions under way: `close()` waits for them. */
  private readonly compressing = new Set<Promise<void>>();

  constructor(
    private readonly rule: ResolvedRotate,
    private readonly path: string,
    currentLength: number,
  ) {
    this.written = currentLength;
    this.period = this.periodOf(Date.now());
  }

  private periodOf(now: number): number {
    return this.rule.intervalMs === undefined ? 0 : Math.floor(now / this.rule.intervalMs);
  }

  /**
   * Writes `data` (whole lines) with `write`, calling `reopen` after each rotation; a rotation
   * that fails leaves the rest in the current file and is reported through `warn`.
   */
  write(data: Buffer, write: (chunk: Buffer) => void, reopen: () => void, warn: (e: Error) => void): void {
    const now = Date.now();
    let failed = false;
    const rotate = (): void => {
      try {
        this.rotate(now);
        reopen();
      } catch (e) {
        failed = true;
        warn(e as Error);
      }
    };
    if (this.written > 0 && this.rule.intervalMs !== undefined && this.periodOf(now) !== this.period) rotate();
    let rest = data;
    while (rest.length > 0) {
      const n = failed ? rest.length : this.take(rest);
      write(rest.subarray(0, n));
      this.written += n;
      rest = rest.subarray(n);
      if (rest.length > 0) rotate();
    }
  }

  async settled(): Promise<void> {
    await Promise.all(this.compressing);
  }

  /** The file was opened again from outside (`reopen()`). */
  reset(length: number): void {
    this.written = length;
  }

  private take(buf: Buffer): number {
    const size = this.rule.size;
    if (size === undefined) return buf.length;
    const room = Math.max(0, size - this.written);
    if (buf.length <= room) return buf.length;
    const end = room === 0 ? -1 : buf.lastIndexOf(10, room - 1);
    if (end !== -1) return end + 1;
    if (this.written > 0) return 0;
    const first = buf.indexOf(10);
    return first === -1 ? buf.length : first + 1;
  }

  private rotate(now: number): void {
    const rotated = this.rotatedName(now);
    fs.renameSync(this.path, rotated);
    this.written = 0;
    this.period = this.periodOf(now);
    if (this.rule.compress) {
      const done: Promise<void> = new Promise((resolve) => gzip(rotated, resolve)).then(() => {
        prune(this.path, this.rule.keep);
        this.compressing.delete(done);
      });
      this.compressing.add(done);
    } else prune(this.path, this.rule.keep);
  }

  /** `<path>.<UTC time>`; a time already taken moves on by a millisecond, so names sort in rotation order. */
  private rotatedName(now: number): string {
    for (let t = Math.max(now, this.lastStamp + 1); ; t++) {
      const name = `${this.path}.${new Date(t).toISOString().replace(/[:.]/g, '-')}`;
      if (!fs.existsSync(name) && !fs.existsSync(name + '.gz')) {
        this.lastStamp = t;
        return name;
      }
    }
  }
}

function gzip(file: string, done: (value: void) => void): void {
  const partial = file + '.gz.partial';
  pipeline(fs.createReadStream(file), createGzip(), fs.createWriteStream(partial), (err) => {
    try {
      // A failed compression leaves the rotated file as it is: nothing is lost.
      if (!err) {
        fs.renameSync(partial, file + '.gz');
        fs.unlinkSync(file);
      }
    } catch {
      // the same
    }
    done();
  });
}

/**
 * Deletes the oldest rotated files of `path` past `keep` (names sort by time). A file counts
 * once whatever its state — plain, being compressed, or both for the moment between the `.gz`
 * appearing and the plain file going — and goes in every state.
 */
function prune(path: string, keep: number): void {
  const dir = dirname(path);
  const prefix = basename(path) + '.';
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  const stems = new Set(names.filter((n) => n.startsWith(prefix) && /^\d/.test(n.slice(prefix.length))).map((n) => n.replace(/(\.gz)?(\.partial)?$/, '')));
  const rotated = [...stems].sort();
  for (const old of rotated.slice(0, Math.max(0, rotated.length - keep))) {
    for (const suffix of ['', '.gz', '.gz.partial']) {
      try {
        fs.unlinkSync(join(dir, old + suffix));
      } catch {
        // not in this state
      }
    }
  }
}
