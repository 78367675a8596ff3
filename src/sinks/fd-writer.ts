// Writing to a descriptor that can block (a pipe, FIFO, socket or terminal) without blocking the
// JS thread: the JS engine's `onFull: 'drop'` for such destinations. Lines go into a bounded
// ring in shared memory; a small worker thread writes them out with blocking writes, in pieces
// of at most PIPE_BUF bytes cut at line ends (so lines from several threads never interleave on
// a pipe). A full ring drops (the caller counts it); at exit the JS thread waits, within a
// bound, for the worker to empty the ring.

import * as fs from 'node:fs';
import { Worker } from 'node:worker_threads';

/**
 * Control words: bytes put in (head) and taken out (tail); after a write error, its code and
 * the position up to which everything was written (the worker then writes nothing more: the
 * reader is usually gone); closed.
 */
const HEAD = 0;
const TAIL = 1;
const ERROR = 2;
const WRITTEN_BEFORE_ERROR = 3;
const CLOSED = 4;

/** The worker's code: take what is in the ring, write it whole, lines in PIPE_BUF pieces. */
const WORKER = `
const fs = require('node:fs');
const { workerData } = require('node:worker_threads');
const { fd, control, data } = workerData;
const ctl = new BigInt64Array(control);
const ring = new Uint8Array(data);
const size = ring.length;
const PIPE_BUF = 4096;
const pause = new Int32Array(new SharedArrayBuffer(4));
function writeAll(buf) {
  let off = 0;
  while (off < buf.length) {
    let end = buf.length;
    if (end - off > PIPE_BUF) {
      const cut = buf.lastIndexOf(10, off + PIPE_BUF - 1);
      end = cut >= off ? cut + 1 : buf.indexOf(10, off + PIPE_BUF) + 1 || buf.length;
    }
    let done = off;
    while (done < end) {
      try {
        done += fs.writeSync(fd, buf, done, end - done);
      } catch (e) {
        if (e.code !== 'EAGAIN') throw e;
        Atomics.wait(pause, 0, 0, 1);
      }
    }
    off = end;
  }
}
for (;;) {
  const head = Atomics.load(ctl, ${HEAD});
  const tail = Atomics.load(ctl, ${TAIL});
  if (head === tail) {
    if (Atomics.load(ctl, ${CLOSED}) !== 0n) break;
    Atomics.wait(ctl, ${HEAD}, head, 1000);
    continue;
  }
  if (Atomics.load(ctl, ${ERROR}) === 0n) {
    const from = Number(tail % BigInt(size));
    const n = Number(head - tail);
    const chunk = from + n <= size ? ring.subarray(from, from + n) : Buffer.concat([ring.subarray(from), ring.subarray(0, from + n - size)]);
    try {
      writeAll(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
    } catch (e) {
      Atomics.store(ctl, ${WRITTEN_BEFORE_ERROR}, tail);
      Atomics.store(ctl, ${ERROR}, BigInt(typeof e.errno === 'number' ? Math.abs(e.errno) : 1));
    }
  }
  Atomics.store(ctl, ${TAIL}, head);
  Atomics.notify(ctl, ${TAIL});
}
`;

export class FdWriter {
  private readonly control: BigInt64Array;
  private readonly ring: Uint8Array;
  private readonly worker: Worker;
  /** [end position, records, bytes] of each put() not yet settled. */
  private readonly pending: [bigint, number, number][] = [];

  constructor(fd: number, bytes: number) {
    const control = new SharedArrayBuffer(5 * 8);
    const data = new SharedArrayBuffer(bytes);
    this.control = new BigInt64Array(control);
    this.ring = new Uint8Array(data);
    this.worker = new Worker(WORKER, { eval: true, workerData: { fd, control, data } });
    // The worker must not keep the process alive, nor its errors reach the application.
    this.worker.unref();
    this.worker.on('error', () => {
      Atomics.store(this.control, WRITTEN_BEFORE_ERROR, Atomics.load(this.control, TAIL));
      Atomics.store(this.control, ERROR, 1n);
    });
  }

  /** Whether a descriptor can block a writer: a pipe, FIFO, socket or terminal. */
  static canBlock(fd: number): boolean {
    try {
      const s = fs.fstatSync(fd);
      return s.isFIFO() || s.isSocket() || (s.isCharacterDevice() && require('node:tty').isatty(fd));
    } catch {
      return false;
    }
  }

  /** Puts `data` (whole lines, `records` of them) in the ring, or returns false when it does not fit. */
  put(data: Buffer, records: number): boolean {
    const head = Atomics.load(this.control, HEAD);
    const tail = Atomics.load(this.control, TAIL);
    const size = this.ring.length;
    if (data.length > size - Number(head - tail) || Atomics.load(this.control, ERROR) !== 0n) return false;
    const from = Number(head % BigInt(size));
    const first = Math.min(data.length, size - from);
    this.ring.set(data.subarray(0, first), from);
    if (first < data.length) this.ring.set(data.subarray(first), 0);
    const end = head + BigInt(data.length);
    this.pending.push([end, records, data.length]);
    Atomics.store(this.control, HEAD, end);
    Atomics.notify(this.control, HEAD);
    return true;
  }

  /**
   * What the worker has done since last asked: records (and bytes) written, records lost to a
   * write error, and that error's code (0 for none).
   */
  settle(): { written: number; bytes: number; lost: number; error: number } {
    const tail = Atomics.load(this.control, TAIL);
    const error = Number(Atomics.load(this.control, ERROR));
    const good = error === 0 ? tail : Atomics.load(this.control, WRITTEN_BEFORE_ERROR);
    let written = 0;
    let bytes = 0;
    let lost = 0;
    while (this.pending.length > 0 && this.pending[0][0] <= tail) {
      const [end, records, length] = this.pending.shift() as [bigint, number, number];
      if (end <= good) {
        written += records;
        bytes += length;
      } else lost += records;
    }
    return { written, bytes, lost, error };
  }

  /** Records put but not yet written. */
  waiting(): number {
    return this.pending.reduce((n, [, records]) => n + records, 0);
  }

  /** Waits until the ring is empty or `deadline` (epoch ms) passes; whether it emptied. */
  drain(deadline: number): boolean {
    for (;;) {
      const head = Atomics.load(this.control, HEAD);
      const tail = Atomics.load(this.control, TAIL);
      if (tail === head) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      Atomics.wait(this.control, TAIL, tail, left);
    }
  }

  /** The worker ends once the ring is empty. */
  close(): void {
    Atomics.store(this.control, CLOSED, 1n);
    Atomics.notify(this.control, HEAD);
  }
}
