// Finds the compiled addon for this platform: the one built into ./native by `npm run build`.

import { join } from 'node:path';

export interface NativeStats {
  written: number;
  dropped: number;
  bytesWritten: number;
  errors: number;
  queuedBytes: number;
}

export interface NativeProducer {
  submit(
    text: string,
    textLen: number,
    chars: Uint16Array,
    charsLen: number,
    ops: Uint32Array,
    opsLen: number,
    nums: Float64Array,
    numsLen: number,
    records: number,
  ): number;
  flush(): Promise<void>;
  flushSync(): void;
  stats(): NativeStats;
  close(): void;
}

export interface NativeBinding {
  NativeProducer: new (options: {
    kind: string;
    fd?: number;
    path?: string;
    mkdir?: boolean;
    append?: boolean;
    bufferSize: number;
    dropWhenFull: boolean;
  }) => NativeProducer;
  panicForTest(): void;
}

export function platformTriple(): string {
  const { platform, arch } = process;
  if (platform === 'linux') return `linux-${arch}-${isMusl() ? 'musl' : 'gnu'}`;
  if (platform === 'win32') return `win32-${arch}-msvc`;
  return `${platform}-${arch}`;
}

function isMusl(): boolean {
  try {
    const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
    return !report?.header?.glibcVersionRuntime;
  } catch {
    return false;
  }
}

let loaded: NativeBinding | Error | undefined;

/** The addon, or the Error saying why it could not be loaded. Tried once per thread. */
export function loadNative(): NativeBinding | Error {
  if (loaded !== undefined) return loaded;
  const file = join(__dirname, '..', '..', 'native', `kakashi.${platformTriple()}.node`);
  try {
    loaded = require(file) as NativeBinding;
  } catch (e) {
    loaded = new Error(`cannot load the native addon ${file}: ${(e as Error).message}`);
  }
  return loaded;
}
