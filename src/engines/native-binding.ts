// Finds the compiled addon for this platform: the one built into ./native by `npm run build`,
// else this platform's package.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The addon's types are the ones napi-rs generates from the Rust binding (native/native.d.ts,
// written by `npm run build:native`): one definition, never kept in step by hand.
export type NativeBinding = typeof import('../../native/native');
export type NativeProducer = import('../../native/native').NativeProducer;

export function platformTriple(): string {
  const { platform, arch } = process;
  if (platform === 'linux') return `linux-${arch}-${isMusl() ? 'musl' : 'gnu'}`;
  if (platform === 'win32') return `win32-${arch}-msvc`;
  return `${platform}-${arch}`;
}

/**
 * musl's `ldd` is a script that names it, glibc's names GNU: a read of a few KB. Node's report
 * says it too, but takes ~5 ms to make (it gathers the whole process's state): only without ldd.
 */
function isMusl(): boolean {
  try {
    const ldd = readFileSync('/usr/bin/ldd', 'latin1');
    if (ldd.includes('musl')) return true;
    if (ldd.includes('GNU') || ldd.includes('GLIBC')) return false;
  } catch {
    // No ldd (a minimal image): ask the report.
  }
  try {
    const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
    return !report?.header?.glibcVersionRuntime;
  } catch {
    return false;
  }
}

let loaded: NativeBinding | Error | undefined;

/**
 * The addon, or the Error saying why it could not be loaded. Tried once per thread: first a
 * binary built from source into ./native (`npm run build`), then this platform's package
 * (`kakashi-<platform>`, an optional dependency installed by npm for the matching os/cpu/libc).
 */
export function loadNative(): NativeBinding | Error {
  if (loaded !== undefined) return loaded;
  const triple = platformTriple();
  const pkg = `kakashi-${triple}`;
  const failures: string[] = [];
  for (const candidate of [join(__dirname, '..', '..', 'native', `kakashi.${triple}.node`), pkg]) {
    try {
      loaded = require(candidate) as NativeBinding;
      return loaded;
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      // "Not there" is expected for one of the two; anything else (wrong libc, corrupt file) is news.
      if (err.code !== 'MODULE_NOT_FOUND') failures.push(`${candidate}: ${err.message}`);
    }
  }
  loaded = new Error(
    failures.length > 0
      ? `the native addon failed to load (${failures.join('; ')})`
      : `no native addon for ${triple}: the package ${pkg} is not installed (npm installs it as an optional dependency of kakashi on supported platforms; build from source with \`npm run build\` in a clone)`,
  );
  return loaded;
}
