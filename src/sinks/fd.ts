// Synchronous writes to a descriptor (a file, stdout, a pipe under onFull 'block') for the JS
// engine: the twin of crates/kakashi-core/src/sinks/fd.rs and file.rs. A write goes out whole,
// through short writes and EAGAIN, or says how far it got (`Partial`); on a pipe, whole lines go
// in pieces of at most PIPE_BUF bytes, which the kernel never interleaves with other threads'.

import * as fs from 'node:fs';

/** Why a write stopped without an error of the destination's: `onFull: 'drop'` met a full pipe, or exitTimeout passed. */
export const FULL = Symbol('full');
export const TIMEOUT = Symbol('timeout');

/** A write that stopped after `off` bytes of the buffer reached the destination. */
export class Partial {
  constructor(
    readonly off: number,
    readonly cause: unknown,
  ) {}
}

/** Writes of up to this many bytes to a pipe are atomic (POSIX: PIPE_BUF, 4096 on Linux). */
const PIPE_BUF = 4096;

/** `data` in pieces of at most PIPE_BUF bytes cut after a newline (a longer line is a piece of its own). */
export function* pieces(data: Buffer): Generator<Buffer> {
  let off = 0;
  while (off < data.length) {
    let end = data.length;
    if (end - off > PIPE_BUF) {
      const cut = data.lastIndexOf(10, off + PIPE_BUF - 1);
      end = cut >= off ? cut + 1 : data.indexOf(10, off + PIPE_BUF) + 1 || data.length;
    }
    yield data.subarray(off, end);
    off = end;
  }
}

/** Newlines in `data[from..to)`: the records a write stopped at `to` delivered whole. */
export function newlines(data: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = data.indexOf(10, from); i !== -1 && i < to; i = data.indexOf(10, i + 1)) n++;
  return n;
}

/** Sleeps the thread without spinning: for waiting out EAGAIN on a non-blocking descriptor. */
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes `chunk` (a part of `whole`) until done. EAGAIN (a full non-blocking pipe) drops under
 * `onFull: 'drop'` (`dropWhenFull`) if nothing of `whole` went out yet, else waits for room,
 * until `deadline`. A failure throws a Partial saying how far into `whole` the bytes went.
 */
export function writeAll(fd: number, chunk: Buffer, whole: Buffer, deadline: number, dropWhenFull: boolean): void {
  const base = chunk.byteOffset - whole.byteOffset;
  let off = 0;
  while (off < chunk.length) {
    try {
      off += fs.writeSync(fd, chunk, off, chunk.length - off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw new Partial(base + off, e);
      if (dropWhenFull && base + off === 0) throw new Partial(0, FULL);
      if (Date.now() >= deadline) throw new Partial(base + off, TIMEOUT);
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}
