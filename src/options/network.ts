// Network destinations (OTLP/HTTP and syslog receivers), checked once: what the binding's
// `OtlpOptions` and `SyslogOptions` take. Both are sent by the native shipper thread, batched,
// with a disk spill while the receiver is away.

import { createRequire } from 'node:module';
import { hostname, tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { threadId } from 'node:worker_threads';

import { fail } from './fail';
import { parseSize } from './size';

/** Batching, the disk spill and TLS roots, as every network target has them. */
interface ResolvedShipping {
  url: string;
  batch: number;
  flushMs: number;
  timeoutMs: number;
  spillDir: string | undefined;
  spillMaxBytes: number;
  spillFsync: boolean;
  /** PEM certificates TLS trusts instead of Mozilla's roots. */
  ca: string | undefined;
}

export interface ResolvedOtlp {
  shipping: ResolvedShipping;
  /** Names and values, in pairs. */
  headers: string[];
  /** Resource attributes, as a JSON object's text. */
  resource: string;
  gzip: boolean;
  json: boolean;
}

export interface ResolvedSyslog {
  shipping: ResolvedShipping;
  facility: number;
  hostname: string;
  appName: string;
  procid: string;
  maxDatagram: number;
}

/** A folder per receiver under the OS's temporary folder. */
export function defaultSpillDir(url: string): string {
  return join(tmpdir(), 'kakashi-spill', url.replace(/^https?:\/\//i, '').replace(/[^A-Za-z0-9._-]+/g, '_'));
}

function positiveInt(v: unknown, option: string, max: number, fallback: number): number {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > max) fail(option, v, `an integer from 1 to ${max}`);
  return v as number;
}

/** `batchSize`, `flushInterval`, `timeout`, `spill` and `tls` of a network target at `at`. */
function shipping(o: Record<string, unknown>, at: string, url: string, tlsScheme: string, batch: number): ResolvedShipping {
  let ca: string | undefined;
  if (o.tls !== undefined) {
    const tls = o.tls as Record<string, unknown>;
    if (typeof tls !== 'object' || tls === null) fail(`${at}.tls`, o.tls, '{ ca }');
    const pem = tls.ca instanceof Uint8Array ? Buffer.from(tls.ca).toString('utf8') : tls.ca;
    if (typeof pem !== 'string' || !pem.includes('-----BEGIN CERTIFICATE-----')) fail(`${at}.tls.ca`, tls.ca, 'PEM certificates (a string or Buffer/Uint8Array, e.g. fs.readFileSync(caFile))');
    if (!url.startsWith(`${tlsScheme}:`)) fail(`${at}.tls`, o.tls, `only with ${tlsScheme}:// URLs`);
    ca = pem;
  }
  let spillDir: string | undefined = defaultSpillDir(url);
  let spillMaxBytes = 256 * 1024 ** 2;
  let spillFsync = true;
  if (o.spill === false) spillDir = undefined;
  else if (o.spill !== undefined) {
    const s = o.spill as Record<string, unknown>;
    if (typeof s !== 'object' || s === null) fail(`${at}.spill`, o.spill, 'false, or { dir?, maxSize?, fsync? }');
    if (s.dir !== undefined && (typeof s.dir !== 'string' || s.dir === '')) fail(`${at}.spill.dir`, s.dir, 'a folder path');
    if (s.fsync !== undefined && typeof s.fsync !== 'boolean') fail(`${at}.spill.fsync`, s.fsync, 'a boolean');
    if (typeof s.dir === 'string') spillDir = s.dir;
    if (s.maxSize !== undefined) spillMaxBytes = parseSize(s.maxSize, `${at}.spill.maxSize`);
    spillFsync = s.fsync !== false;
  }
  return {
    url,
    batch: positiveInt(o.batchSize, `${at}.batchSize`, 100_000, batch),
    flushMs: positiveInt(o.flushInterval, `${at}.flushInterval`, 60_000, 200),
    timeoutMs: positiveInt(o.timeout, `${at}.timeout`, 600_000, 10_000),
    spillDir,
    spillMaxBytes,
    spillFsync,
    ca,
  };
}

export function resolveOtlp(v: unknown): ResolvedOtlp {
  const o = (typeof v === 'string' ? { url: v } : v) as Record<string, unknown>;
  if (typeof o !== 'object' || o === null) fail('destination.otlp', v, 'a URL, or { url, headers?, resource?, protocol?, compression?, tls?, batchSize?, flushInterval?, timeout?, spill? }');
  const url = o.url;
  if (typeof url !== 'string' || !/^https?:\/\/[^/\s]+(\/\S*)?$/.test(url)) {
    fail('destination.otlp.url', url, "an http:// or https:// URL such as 'http://127.0.0.1:4318/v1/logs'");
  }
  if (o.protocol !== undefined && o.protocol !== 'protobuf' && o.protocol !== 'json') fail('destination.otlp.protocol', o.protocol, "'protobuf' or 'json'");
  if (o.compression !== undefined && o.compression !== 'gzip' && o.compression !== 'none') fail('destination.otlp.compression', o.compression, "'gzip' or 'none'");
  const headers: string[] = [];
  if (o.headers !== undefined) {
    if (typeof o.headers !== 'object' || o.headers === null) fail('destination.otlp.headers', o.headers, 'an object of header names and string values');
    for (const [k, h] of Object.entries(o.headers)) {
      if (typeof h !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k) || /[\r\n]/.test(h)) fail(`destination.otlp.headers[${JSON.stringify(k)}]`, h, 'a header name with a string value on one line');
      headers.push(k, h);
    }
  }
  if (o.resource !== undefined && (typeof o.resource !== 'object' || o.resource === null || Array.isArray(o.resource))) {
    fail('destination.otlp.resource', o.resource, "an object of resource attributes, e.g. { 'service.version': '1.2.0' }");
  }
  return {
    shipping: shipping(o, 'destination.otlp', url, 'https', 512),
    headers,
    resource: JSON.stringify(o.resource ?? {}),
    gzip: o.compression === 'gzip',
    json: o.protocol === 'json',
  };
}

/** RFC 5424's facilities by name. */
const FACILITIES = ['kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp', 'ntp', 'security', 'console', 'solaris-cron'];

function facility(v: unknown, option: string): number {
  if (v === undefined) return 1;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 23) return v;
  const local = typeof v === 'string' ? /^local([0-7])$/.exec(v) : null;
  if (local) return 16 + Number(local[1]);
  const i = FACILITIES.indexOf(v as string);
  if (i < 0) fail(option, v, `a facility: ${FACILITIES.join(', ')}, local0 to local7, or its number (0 to 23)`);
  return i;
}

/**
 * `{ syslog: url, appName?, facility?, ... }`, or `{ syslog: { url, ... } }`; the app name is
 * the logger's `name` unless given.
 */
export function resolveSyslog(d: Record<string, unknown>, name: string | undefined): ResolvedSyslog {
  const nested = typeof d.syslog === 'object' && d.syslog !== null;
  const o = (nested ? d.syslog : { ...d, url: d.syslog }) as Record<string, unknown>;
  // Options sit beside `syslog`, or inside it with the URL as `url`.
  const at = nested ? 'destination.syslog' : 'destination';
  const url = o.url;
  if (typeof url !== 'string' || !/^(tcp|tls|udp|relp):\/\/[^/\s]+\/?$/.test(url)) {
    fail(nested ? `${at}.url` : 'destination.syslog', url, "a URL: 'tcp://host:port' (RFC 6587 octet counting), 'tls://host:port', 'udp://host:port' or 'relp://host:port'");
  }
  for (const key of ['appName', 'hostname'] as const) {
    if (o[key] !== undefined && (typeof o[key] !== 'string' || o[key] === '')) fail(`${at}.${key}`, o[key], 'a non-empty string');
  }
  return {
    shipping: shipping(o, at, url, 'tls', 256),
    facility: facility(o.facility, `${at}.facility`),
    hostname: (o.hostname as string | undefined) ?? hostname(),
    appName: (o.appName as string | undefined) ?? name ?? 'node',
    procid: String(process.pid),
    maxDatagram: positiveInt(o.maxDatagram, `${at}.maxDatagram`, 65_000, 8192),
  };
}

/** A pino transport, run in a worker thread fed by the shipper; `id` is its slot. */
export interface ResolvedTransport {
  name: string;
  id: number;
  /** The module's absolute path or file: URL. */
  target: string;
  options: unknown;
  batch: number;
  flushMs: number;
  timeoutMs: number;
}

let transports = 0;

/** Where a transport module is: resolved as the application would require it. */
/** Where the application would require `target` from (its folder, or its main module's), if anywhere. */
export function findModule(target: string): string | undefined {
  if (target.startsWith('file://') || isAbsolute(target)) return target;
  const bases = [join(process.cwd(), 'noop.js'), require.main?.filename].filter((b): b is string => typeof b === 'string');
  for (const base of bases) {
    try {
      return createRequire(base).resolve(target);
    } catch {
      // the next base
    }
  }
  return undefined;
}

function resolveModule(target: string, option: string): string {
  return findModule(target) ?? fail(option, target, 'a transport module installed where the application can require it (npm install it), or an absolute path');
}

/** `{ transport: 'pino-loki', options?, batchSize?, flushInterval?, timeout? }`. */
export function resolveTransport(d: Record<string, unknown>): ResolvedTransport {
  if (typeof d.transport !== 'string' || d.transport === '') fail('destination.transport', d.transport, "a transport module's name or path, e.g. 'pino-loki'");
  const target = resolveModule(d.transport, 'destination.transport');
  // The slots are the process's; every thread counts its own: the thread's id keeps them apart.
  const id = ((threadId & 0xffff) << 16) | (++transports & 0xffff);
  return {
    name: `transport ${d.transport}#${transports}${threadId === 0 ? '' : ` (thread ${threadId})`}`,
    id,
    target,
    options: d.options ?? {},
    batch: positiveInt(d.batchSize, 'destination.batchSize', 100_000, 1024),
    flushMs: positiveInt(d.flushInterval, 'destination.flushInterval', 60_000, 50),
    timeoutMs: positiveInt(d.timeout, 'destination.timeout', 600_000, 10_000),
  };
}
