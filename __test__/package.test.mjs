// What a user gets from `npm install kakashi`: the main tarball and this platform's binary
// package, installed where no Rust toolchain is on PATH; the fallback without the binary; the
// types; the package contents; the release workflow.
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';

import { ROOT, tempDir } from './helpers.mjs';

const isWindows = process.platform === 'win32';
const npm = isWindows ? 'npm.cmd' : 'npm';

/** PATH without any directory holding cargo or rustc: a user's machine. */
const userPath = process.env.PATH.split(delimiter)
  .filter((d) => !['cargo', 'rustc'].some((tool) => existsSync(join(d, isWindows ? `${tool}.exe` : tool))))
  .join(delimiter);
const userEnv = { ...process.env, PATH: userPath };

let packed;
function pack() {
  packed ??= JSON.parse(execFileSync(process.execPath, [join(ROOT, 'scripts', 'pack-local.mjs')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  return packed;
}

/**
 * npm install's flags for a consumer: what npm's cache holds is used, and what it lacks (the
 * packuments of Kakashi's dependencies, which the repository's own lockfile install never
 * fetches) comes from the registry — `--offline` fails on a machine whose cache is fresh.
 */
const INSTALL = ['install', '--prefer-offline', '--omit=optional', '--no-audit', '--no-fund'];

function install(tarballs) {
  const dir = tempDir('kakashi-install-');
  writeFileSync(join(dir, 'package.json'), '{"name":"consumer","version":"1.0.0","private":true}');
  // --omit=optional: the platform packages are not on any registry here; the test installs the
  // one it wants explicitly, like npm would pick it by os/cpu/libc.
  execFileSync(npm, [...INSTALL, ...tarballs], { cwd: dir, env: userEnv, stdio: 'pipe', shell: isWindows });
  return dir;
}

const SCRIPT = `
  const { createLogger } = require('kakashi');
  const log = createLogger({ destination: 'out.log', base: { pid: 1, hostname: 'h' }, timestamp: false });
  log.info({ a: 1, s: 'é\\n' }, 'installed');
  log.error(Object.assign(new Error('e'), { stack: 'fixed' }));
  process.stdout.write(log.engine);
`;

test.serial('installed with its platform package and no Rust on PATH: the native engine loads', (t) => {
  t.is(spawnSync(isWindows ? 'where' : 'which', ['cargo'], { env: userEnv }).status === 0, false, 'cargo is hidden');
  const { main, platform, binaryBytes } = pack();
  t.true(binaryBytes <= 3 * 1024 * 1024, `the addon is ${binaryBytes} bytes`);
  const dir = install([main, platform]);
  const r = spawnSync(process.execPath, ['-e', SCRIPT], { cwd: dir, env: userEnv, encoding: 'utf8' });
  t.is(r.stdout, 'native');
  t.is(r.stderr, '');
  t.is(readFileSync(join(dir, 'out.log'), 'utf8').split('\n')[0], '{"level":30,"pid":1,"hostname":"h","a":1,"s":"é\\n","msg":"installed"}');
  const esm = spawnSync(process.execPath, ['--input-type=module', '-e', "import { createLogger } from 'kakashi'; const k = await import('kakashi'); process.stdout.write(createLogger({ destination: 'stderr' }).engine + ' ' + typeof k.default.createLogger)"], { cwd: dir, env: userEnv, encoding: 'utf8' });
  t.is(esm.stdout, 'native function');
  // The CLI is installed as a bin: `npx kakashi pretty` reads the file just written.
  const cli = spawnSync(npm.replace(/npm(\.cmd)?$/, 'npx$1'), ['--offline', 'kakashi', 'pretty', 'out.log'], { cwd: dir, env: userEnv, encoding: 'utf8', shell: isWindows });
  t.regex(cli.stdout, /^INFO  installed a=1 s="é\\n"\n/, cli.stderr);

  // Types resolve for import and require, under --strict.
  writeFileSync(join(dir, 'use.mts'), "import { createLogger, type Logger } from 'kakashi';\nconst l: Logger = createLogger({ level: 'warn', onFull: 'drop' });\nl.info({ a: 1 }, 'x %d', 1);\nexport const s: number = l.getStats().written;\n");
  writeFileSync(join(dir, 'use.cts'), "import kakashi = require('kakashi');\nconst l: kakashi.Logger = kakashi.createLogger({ destination: { path: 'x.log', mkdir: true } });\nl.child({ b: 2 }).error(new Error('e'));\nexport const v: number = l.levelVal;\n");
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const types = spawnSync(process.execPath, [tsc, '--strict', '--noEmit', '--module', 'nodenext', '--moduleResolution', 'nodenext', 'use.mts', 'use.cts'], { cwd: dir, encoding: 'utf8' });
  t.is(types.status, 0, types.stdout + types.stderr);
});

test.serial('installed without its platform package: the JS engine, one warning, the same bytes', (t) => {
  const { main, platform } = pack();
  const withNative = install([main, platform]);
  const without = install([main]);
  const native = spawnSync(process.execPath, ['-e', SCRIPT], { cwd: withNative, env: userEnv, encoding: 'utf8' });
  const js = spawnSync(process.execPath, ['-e', SCRIPT], { cwd: without, env: userEnv, encoding: 'utf8' });
  t.is(native.stdout, 'native');
  t.is(js.stdout, 'js');
  const warning = js.stderr.split('\n').filter(Boolean);
  t.is(warning.length, 1, js.stderr);
  t.regex(warning[0], /native engine unavailable, using the JS engine .*kakashi-\w+-\w+/);
  t.true(readFileSync(join(without, 'out.log')).equals(readFileSync(join(withNative, 'out.log'))), 'identical bytes');
  const forced = spawnSync(process.execPath, ['-e', "require('kakashi').createLogger({ engine: 'native' })"], { cwd: without, env: userEnv, encoding: 'utf8' });
  t.regex(forced.stderr, /engine "native" is unavailable: no native addon for [\w-]+: the package kakashi-[\w-]+ is not installed/);
});

// An application that maps pino to Kakashi with npm `overrides` (the README's recipe, with the
// tarballs in place of the registry): every library that requires pino gets Kakashi.
const CONSUMER = `
  const pino = require('pino');
  const Fastify = require('fastify');
  const pinoHttp = require('pino-http');
  const http = require('node:http');
  (async () => {
    const app = Fastify({ logger: { level: 'debug', redact: ['req.headers.authorization'], serializers: { extra: (v) => 'S' + v }, file: 'fastify.log' } });
    app.get('/x', async (request) => {
      request.log.debug({ extra: 1 }, 'in route');
      return 'ok';
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    await (await fetch('http://127.0.0.1:' + app.server.address().port + '/x', { headers: { authorization: 'secret' } })).text();
    const viaTrue = Fastify({ logger: true });
    await viaTrue.ready();
    const middleware = pinoHttp({ logger: pino(pino.destination('http.log')), customProps: () => ({ tagged: true }) });
    const server = http.createServer((req, res) => { middleware(req, res); res.end('ok'); });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    await (await fetch('http://127.0.0.1:' + server.address().port + '/y')).text();
    server.close();
    await app.close();
    await viaTrue.close();
    process.stdout.write(JSON.stringify({ kakashi: typeof pino.createLogger, engine: app.log.engine, trueEngine: viaTrue.log.engine }));
  })();
`;

test.serial('an application that maps pino to Kakashi with npm overrides: Fastify (logger: true and options) and pino-http get Kakashi', (t) => {
  const { main, platform } = pack();
  const { platformTriple } = createRequire(import.meta.url)(join(ROOT, 'dist', 'engines', 'native-binding.js'));
  const versionOf = (name) => JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  for (const fastify of ['fastify', 'fastify4']) {
    const dir = tempDir('kakashi-override-');
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({
        name: 'consumer',
        version: '1.0.0',
        private: true,
        dependencies: { fastify: versionOf(fastify), 'pino-http': versionOf('pino-http'), kakashi: `file:${main}`, [`kakashi-${platformTriple()}`]: `file:${platform}` },
        // The README's recipe is "pino": "npm:kakashi@<version>"; here the tarball stands in for the registry.
        overrides: { pino: `file:${main}` },
      }),
    );
    execFileSync(npm, INSTALL, { cwd: dir, env: userEnv, stdio: 'pipe', shell: isWindows });
    t.is(JSON.parse(readFileSync(join(dir, 'node_modules', 'pino', 'package.json'), 'utf8')).name, 'kakashi', 'node_modules/pino is Kakashi');
    const r = spawnSync(process.execPath, ['-e', CONSUMER], { cwd: dir, env: userEnv, encoding: 'utf8', timeout: 60_000 });
    t.is(r.status, 0, r.stderr);
    t.deepEqual(JSON.parse(r.stdout), { kakashi: 'function', engine: 'native', trueEngine: 'native' }, fastify);
    const records = readFileSync(join(dir, 'fastify.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const incoming = records.find((r) => r.msg === 'incoming request');
    t.is(incoming.req.url, '/x', fastify);
    const inRoute = records.find((r) => r.msg === 'in route');
    t.is(inRoute.level, 20, `${fastify}: level debug`);
    t.is(inRoute.extra, 'S1', `${fastify}: the user's serializer`);
    t.truthy(records.find((r) => r.msg === 'request completed' && r.res.statusCode === 200), fastify);
    const completed = readFileSync(join(dir, 'http.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    t.is(completed[0].msg, 'request completed');
    t.is(completed[0].req.url, '/y');
    t.true(completed[0].tagged, 'pino-http customProps');
  }
});

test('the package holds only what users need', (t) => {
  const out = execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', shell: isWindows });
  const files = JSON.parse(out)[0].files.map((f) => f.path);
  t.true(files.includes('dist/index.js'));
  t.true(files.includes('index.mjs'));
  t.true(files.includes('index.d.ts'));
  for (const f of files) {
    t.false(/^(crates|target|__test__|bench|src|scripts|npm|native)\//.test(f) || f.endsWith('.rs') || f.endsWith('.node'), f);
  }
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  t.false('postinstall' in pkg.scripts || 'install' in pkg.scripts, 'no install-time build for users');
});

test('the release workflow passes actionlint', (t) => {
  const gobin = join(execFileSync('go', ['env', 'GOPATH'], { encoding: 'utf8' }).trim(), 'bin');
  const actionlint = join(gobin, isWindows ? 'actionlint.exe' : 'actionlint');
  if (!existsSync(actionlint)) {
    execFileSync('go', ['install', 'github.com/rhysd/actionlint/cmd/actionlint@v1.7.12'], { stdio: 'pipe' });
  }
  const r = spawnSync(actionlint, [join('.github', 'workflows', 'release.yml')], { cwd: ROOT, encoding: 'utf8' });
  t.is(r.status, 0, r.stdout + r.stderr);
});
