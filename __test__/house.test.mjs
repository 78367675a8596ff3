// The house's rules, checked: the wire format's numbers are the same on both sides of the
// binding; each format and sink is defined once per language, in files whose names match; no
// module imports itself back, in src/ or crates/.
import test from 'ava';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';

import { ROOT } from './helpers.mjs';

const require = createRequire(import.meta.url);
const CORE = join(ROOT, 'crates', 'kakashi-core', 'src');

function files(dir, ext) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...files(path, ext));
    else if (path.endsWith(ext) && !path.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

test('the wire format: every op tag and limit in batch.rs has the same number in capture/batch.ts', (t) => {
  const rust = readFileSync(join(CORE, 'batch.rs'), 'utf8');
  const tags = Object.fromEntries([...rust.slice(rust.indexOf('pub mod tag {'), rust.indexOf('\n}\n', rust.indexOf('pub mod tag {'))).matchAll(/pub const (\w+): u8 = (\d+);/g)].map((m) => [m[1], Number(m[2])]));
  const { tag, SHORT, LONG, MSG_AGAIN } = require(join(ROOT, 'dist', 'capture', 'batch.js'));
  t.true(Object.keys(tags).length >= 13);
  t.deepEqual({ ...tag }, tags);
  t.is(SHORT, Number(/pub const SHORT: usize = (\d+);/.exec(rust)[1]));
  const long = /pub const LONG: u32 = \(1 << (\d+)\) - 1;/.exec(rust);
  t.is(LONG, 2 ** Number(long[1]) - 1);
  t.regex(rust, /pub const MSG_AGAIN: u32 = tag::MSG as u32 \+ 16;/);
  t.is(MSG_AGAIN, tags.MSG + 16);
});

test('each format and each sink is defined once per language, in files whose names match', (t) => {
  const stems = (dir, ext) => readdirSync(dir).filter((f) => f.endsWith(ext) && f !== 'mod.rs' && f !== 'index.ts').map((f) => basename(f, ext));
  // syslog (like otlp) is only the shipper's: the JS engine does not ship.
  t.deepEqual(stems(join(CORE, 'format'), '.rs').sort(), ['json', 'layout', 'logfmt', 'pretty', 'syslog', 'text']);
  t.deepEqual(stems(join(ROOT, 'src', 'format'), '.ts').sort(), ['json', 'logfmt', 'pretty', 'text']);
  for (const sink of ['fd', 'rotating']) {
    t.true(stems(join(CORE, 'sinks'), '.rs').includes(sink), `sinks/${sink}.rs`);
    t.true(stems(join(ROOT, 'src', 'sinks'), '.ts').includes(sink), `sinks/${sink}.ts`);
  }
  // A format's line is built in its own file only: no other file writes a logfmt or pretty head.
  for (const [needle, home] of [
    [" time=' + new Date(time).toISOString()", join('src', 'format', 'logfmt.ts')],
    ["'\\x1b[39m'", join('src', 'format', 'pretty.ts')],
  ]) {
    const holders = files(join(ROOT, 'src'), '.ts').filter((f) => readFileSync(f, 'utf8').includes(needle)).map((f) => relative(ROOT, f));
    t.deepEqual(holders, [home], needle);
  }
});

/** Cycles in a graph of modules: each a path that leads back to its start. */
function cycles(graph) {
  const state = new Map();
  const stack = [];
  const found = [];
  const visit = (n) => {
    state.set(n, 1);
    stack.push(n);
    for (const d of graph.get(n) ?? []) {
      if (state.get(d) === 1) found.push(stack.slice(stack.indexOf(d)).concat(d));
      else if (!state.get(d)) visit(d);
    }
    stack.pop();
    state.set(n, 2);
  };
  for (const n of graph.keys()) if (!state.get(n)) visit(n);
  return found;
}

test('no import cycle in src/ (type imports included)', (t) => {
  const all = files(join(ROOT, 'src'), '.ts');
  const graph = new Map();
  for (const f of all) {
    const deps = [];
    for (const m of readFileSync(f, 'utf8').matchAll(/^(?:import|export)\b[^'"]*?from\s+'(\.[^']+)'/gm)) {
      const target = resolve(dirname(f), m[1]);
      const hit = [target + '.ts', join(target, 'index.ts')].find((c) => all.includes(c));
      if (hit) deps.push(hit);
    }
    graph.set(f, deps);
  }
  t.true(graph.size > 30);
  t.deepEqual(cycles(graph).map((c) => c.map((f) => relative(ROOT, f)).join(' → ')), []);
});

test('no use cycle between the core crate\'s modules', (t) => {
  const modules = files(CORE, '.rs').filter((f) => !f.endsWith('fault_tests.rs'));
  const name = (f) => relative(CORE, f).replace(/(\/mod)?\.rs$/, '').split('/')[0];
  const graph = new Map();
  for (const f of modules) {
    const text = readFileSync(f, 'utf8');
    // Only what the module itself uses: its tests may reach anywhere.
    const code = text.includes('#[cfg(test)]\nmod tests') ? text.slice(0, text.indexOf('#[cfg(test)]\nmod tests')) : text;
    const deps = graph.get(name(f)) ?? new Set();
    for (const m of code.matchAll(/crate::(\w+)/g)) if (m[1] !== name(f)) deps.add(m[1]);
    graph.set(name(f), deps);
  }
  for (const layer of ['batch', 'decode', 'format', 'sinks', 'channel', 'writer', 'ship', 'producer']) t.true(graph.has(layer), layer);
  t.deepEqual(cycles(new Map([...graph].map(([k, v]) => [k, [...v]]))), []);
  // The layers, each using only those below it.
  t.false(graph.get('batch').size > 0, 'batch uses nothing');
  t.false([...graph.get('writer')].includes('producer'), 'the writer does not reach the producer');
  t.false([...graph.get('ship')].some((m) => m === 'producer' || m === 'writer'), 'the shipper reaches neither the producer nor the file writer');
});
