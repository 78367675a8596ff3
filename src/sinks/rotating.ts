// The JS engine's files, and their rotation: the twin of crates/kakashi-core/src/rotate.rs, with
// the same rules and names. The loggers of a thread that name one path share one RotatingFile,
// as the native engine's loggers share one writer: a rotation must move every logger's records
// to the new file, and two rotators of one file would rename it from under each other. A file
// rotates when the logger that opened it gave a rule. Rotation happens between whole lines; a rotated file is
// gzipped by a zlib stream (on libuv's thread pool), its original removed only once the .gz is complete.

import * as fs from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream';
import { createGzip } from 'node:zlib';

import type { ResolvedRotate } from '../options';

const open = new Map<string, RotatingFile>();

export class RotatingFile {
  fd: number;
  private users = 0;
  private written: number;
  private period: number;
  private lastStamp = 0;
  /** Compressions under way: the last `release()` waits for them. */
  private readonly compressing = new Set<Promise<void>>();

  /**
   * The thread's file at `path`, opened by the first logger, whose rule (or none) then applies
   * to all, as the native engine's one writer per path; `append: false` truncates only then.
   */
  static acquire(path: string, rule: ResolvedRotate | undefined, append: boolean): RotatingFile {
    const key = resolve(path);
    let file = open.get(key);
    if (file === undefined) {
      file = new RotatingFile(key, rule, append);
      open.set(key, file);
    }
    file.users++;
    return file;
  }

  private constructor(
    private readonly path: string,
    private readonly rule: ResolvedRotate | undefined,
    append: boolean,
  ) {
    this.fd = fs.openSync(path, append ? 'a' : 'w');
    const stat = fs.fstatSync(this.fd);
    if (stat.isDirectory()) {
      fs.closeSync(this.fd);
      throw new Error('is a directory');
    }
    this.written = stat.size;
    this.period = this.periodOf(Date.now());
  }

  /** The path opened again, appending (`reopen()`, or after a rotation). */
  reopen(): void {
    const fd = fs.openSync(this.path, 'a');
    fs.closeSync(this.fd);
    this.fd = fd;
    this.written = fs.fstatSync(fd).size;
  }

  /** One logger is done with the file; the last one closes it once compressions are over. */
  async release(): Promise<void> {
    if (--this.users > 0) return;
    open.delete(this.path);
    fs.closeSync(this.fd);
    await Promise.all(this.compressing);
  }

  private periodOf(now: number): number {
    return this.rule?.intervalMs === undefined ? 0 : Math.floor(now / this.rule.intervalMs);
  }

  /**
   * Writes `data` (whole lines) with `write` to the current descriptor, rotating first or
   * between lines where the rule says; a rotation that fails leaves the rest in the current
   * file and is reported through `warn`.
   */
  write(data: Buffer, write: (fd: number, chunk: Buffer) => void, warn: (e: Error) => void): void {
    const now = Date.now();
    let failed = false;
    const rotate = (): void => {
      let rotated: string | undefined;
      try {
        rotated = this.begin(now);
        this.reopen();
        this.commit(rotated, now);
      } catch (e) {
        // A rotation that fails leaves the records in the current file: none is lost.
        if (rotated !== undefined) this.abort(rotated);
        failed = true;
        warn(e as Error);
      }
    };
    if (this.periodOf(now) !== this.period) {
      // An empty file simply moves on to the new period.
      if (this.written > 0) rotate();
      else this.period = this.periodOf(now);
    }
    let rest = data;
    while (rest.length > 0) {
      const n = failed ? rest.length : this.take(rest);
      write(this.fd, rest.subarray(0, n));
      this.written += n;
      rest = rest.subarray(n);
      if (rest.length > 0) rotate();
    }
  }

  private take(buf: Buffer): number {
    const size = this.rule?.size;
    if (size === undefined) return buf.length;
    const room = Math.max(0, size - this.written);
    if (buf.length <= room) return buf.length;
    const end = room === 0 ? -1 : buf.lastIndexOf(10, room - 1);
    if (end !== -1) return end + 1;
    if (this.written > 0) return 0;
    const first = buf.indexOf(10);
    return first === -1 ? buf.length : first + 1;
  }

  /** Moves the current file aside; the caller opens the path afresh, then commits or aborts. */
  private begin(now: number): string {
    const rotated = this.rotatedName(now);
    fs.renameSync(this.path, rotated);
    return rotated;
  }

  private abort(rotated: string): void {
    try {
      fs.renameSync(rotated, this.path);
    } catch {
      // the records stay in the rotated file: nothing lost
    }
  }

  /** The new file is open: compress and prune the rotated one. */
  private commit(rotated: string, now: number): void {
    this.written = 0;
    this.period = this.periodOf(now);
    const { compress, keep } = this.rule as ResolvedRotate;
    if (compress) {
      const done: Promise<void> = new Promise((resolve) => gzip(rotated, resolve)).then(() => {
        prune(this.path, keep);
        this.compressing.delete(done);
      });
      this.compressing.add(done);
    } else prune(this.path, keep);
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
