// `npm run pack:local`: the two tarballs a user on this machine would install from npm — the
// main package and this platform's binary package — written to dist-pack/. The main package's
// package.json gets the optionalDependencies on every platform package, as at publish time.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = (await import('node:module')).createRequire(import.meta.url);
const { platformTriple } = require(join(root, 'dist', 'engines', 'native-binding.js'));

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (args, cwd = root) => execFileSync(npm, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', shell: process.platform === 'win32' });

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const triple = platformTriple();
const binary = `kakashi.${triple}.node`;
const built = join(root, 'native', binary);
if (!existsSync(built)) run(['run', 'build:native']);
if (!existsSync(join(root, 'dist', 'index.js'))) run(['run', 'build:ts']);

const out = join(root, 'dist-pack');
rmSync(out, { recursive: true, force: true });
mkdirSync(out);
const stage = mkdtempSync(join(tmpdir(), 'kakashi-pack-'));

// The platform package: npm/<triple>/ plus the binary.
const platformDir = join(stage, triple);
cpSync(join(root, 'npm', triple), platformDir, { recursive: true });
copyFileSync(built, join(platformDir, binary));
const platformTarball = run(['pack', '--pack-destination', out], platformDir).trim().split('\n').pop();

// The main package: what `files` lists, and a package.json without development scripts.
const mainDir = join(stage, 'kakashi');
mkdirSync(mainDir);
for (const f of pkg.files) cpSync(join(root, f), join(mainDir, f), { recursive: true });
const published = { ...pkg };
delete published.scripts;
delete published.devDependencies;
delete published.ava;
published.optionalDependencies = Object.fromEntries(
  pkg.napi.targets.map((t) => [`kakashi-${napiTriple(t)}`, pkg.version]),
);
writeFileSync(join(mainDir, 'package.json'), JSON.stringify(published, null, 2) + '\n');
const mainTarball = run(['pack', '--pack-destination', out], mainDir).trim().split('\n').pop();
rmSync(stage, { recursive: true, force: true });

const size = statSync(built).size;
console.log(JSON.stringify({ main: join(out, mainTarball), platform: join(out, platformTarball), binaryBytes: size }));

/** Rust target triple → the platform part of the npm package name, as napi names them. */
function napiTriple(target) {
  const [arch, , os, abi] = target.split('-');
  const cpu = { x86_64: 'x64', aarch64: 'arm64' }[arch];
  if (os === 'darwin') return `darwin-${cpu}`;
  if (os === 'windows') return `win32-${cpu}-msvc`;
  return `linux-${cpu}-${abi === 'musl' ? 'musl' : 'gnu'}`;
}
