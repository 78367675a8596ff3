// rsyslog (Debian's `rsyslog` and `rsyslog-relp` packages, installed here when missing) as the
// receiver of the syslog tests: a private foreground rsyslogd with imtcp (octet-counted
// framing), imrelp and imudp on loopback, each input writing what it receives, one JSON object
// per message, to its own file. Nothing of the system's syslog is touched.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { startReceiver } from '../receiver.mjs';

export { freePort } from '../receiver.mjs';

const RSYSLOGD = '/usr/sbin/rsyslogd';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function installed() {
  const modules = ['/usr/lib/rsyslog', ...readdirSync('/usr/lib').map((d) => join('/usr/lib', d, 'rsyslog'))];
  return existsSync(RSYSLOGD) && modules.some((d) => existsSync(join(d, 'imrelp.so')));
}

/** Installs rsyslog and its RELP input from Debian's packages unless they are there already. */
export function ensureRsyslog() {
  if (installed()) return;
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    throw new Error('the syslog tests need rsyslog and rsyslog-relp: apt-get install rsyslog rsyslog-relp (as root)');
  }
  // No daemon of the system's may start from the install (where services would start at all).
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = !existsSync(policy);
  if (ownPolicy) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'rsyslog', 'rsyslog-relp']]) {
      const r = spawnSync('apt-get', args, { env, encoding: 'utf8', timeout: 600_000 });
      if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed: ${r.error?.message ?? r.stderr.slice(-2000)}`);
    }
  } finally {
    if (ownPolicy) spawnSync('rm', ['-f', policy]);
  }
  if (!installed()) throw new Error('rsyslog was installed but rsyslogd or its imrelp module is missing');
}

/**
 * Starts rsyslogd with `ports: { tcp, relp, udp }` (any of them), writing to `<kind>.jsonl` in
 * `dir`; started again with the same `dir` and ports, it appends to the same files. Resolves
 * once its TCP inputs accept connections (10 s at most).
 */
export async function startRsyslog({ dir, ports }) {
  mkdirSync(join(dir, 'work'), { recursive: true });
  const file = (kind) => join(dir, `${kind}.jsonl`);
  const inputs = {
    tcp: (p) => `input(type="imtcp" port="${p}" address="127.0.0.1" ruleset="tcp" supportOctetCountedFraming="on" discardTruncatedMsg="on")`,
    relp: (p) => `input(type="imrelp" port="${p}" address="127.0.0.1" ruleset="relp")`,
    // (A receive buffer that holds a test's burst while rsyslogd waits for a core.)
    udp: (p) => `input(type="imudp" port="${p}" address="127.0.0.1" ruleset="udp" rcvbufSize="4m")`,
  };
  const kinds = Object.keys(ports);
  const config = join(dir, 'rsyslog.conf');
  writeFileSync(
    config,
    [
      `global(workDirectory="${join(dir, 'work')}" maxMessageSize="64k" net.enableDNS="off" processInternalMessages="on")`,
      'template(name="Json" type="list" option.jsonf="on") {',
      '  property(outname="pri" name="pri" format="jsonf")',
      '  property(outname="timestamp" name="timereported" dateFormat="rfc3339" format="jsonf")',
      '  property(outname="hostname" name="hostname" format="jsonf")',
      '  property(outname="appname" name="app-name" format="jsonf")',
      '  property(outname="procid" name="procid" format="jsonf")',
      '  property(outname="msgid" name="msgid" format="jsonf")',
      '  property(outname="sd" name="structured-data" format="jsonf")',
      '  property(outname="msg" name="msg" format="jsonf")',
      '}',
      ...kinds.map((k) => `module(load="im${k}")`),
      ...kinds.map((k) => inputs[k](ports[k])),
      ...kinds.map((k) => `ruleset(name="${k}") { action(type="omfile" file="${file(k)}" template="Json" flushOnTXEnd="on" asyncWriting="off") }`),
      '',
    ].join('\n'),
  );
  const { stop } = await startReceiver({
    name: 'rsyslogd',
    bin: RSYSLOGD,
    args: ['-n', '-f', config, '-i', join(dir, `rsyslogd-${Date.now()}.pid`)],
    ports: kinds.filter((k) => k !== 'udp').map((k) => ports[k]),
    startMs: 10_000,
    stopMs: 5000,
  });
  // imudp has no connection to wait for: its socket is waited for in the kernel's table.
  if (ports.udp) await udpBound(ports.udp, 10_000);
  // stop(): SIGTERM, rsyslogd ends its sessions and exits.
  return { file, stop };
}

/** Resolves once a UDP socket is bound to 127.0.0.1:`port` (Linux's /proc/net/udp), or after `ms`. */
async function udpBound(port, ms) {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (const until = Date.now() + ms; Date.now() < until; await sleep(20)) {
    try {
      if (readFileSync('/proc/net/udp', 'utf8').includes(` ${local} `)) return;
    } catch {
      // No /proc here: a moment to bind.
      await sleep(100);
      return;
    }
  }
}

/** The messages rsyslog wrote for one input, each with its JSON record (MSG) parsed as `record`. */
export function readMessages(file) {
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.pop(); // empty, or a line still being written
  return lines.map((line) => {
    const m = JSON.parse(line);
    m.msg = m.msg.replace(/^\uFEFF/, '');
    try {
      m.record = JSON.parse(m.msg);
    } catch {
      m.record = undefined;
    }
    return m;
  });
}

/** Waits until `file` holds `count` messages (or `ms` pass, or it has not grown for `quietMs`); the messages. */
export async function waitForMessages(file, count, ms, quietMs = Infinity) {
  const deadline = Date.now() + ms;
  let got = readMessages(file);
  let grew = Date.now();
  while (got.length < count && Date.now() < deadline && Date.now() - grew < quietMs) {
    await sleep(50);
    const before = got.length;
    got = readMessages(file);
    if (got.length > before) grew = Date.now();
  }
  return got;
}
