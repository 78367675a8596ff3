'use strict';
// What each benchmark scenario logs. `run(log, i)` uses pino's call order (fields, msg), which
// Kakashi, pino and bunyan share; the winston adapter in contenders.js translates.

const LONG = 'x'.repeat(2048);

const cause = new Error('connection reset');
const ERROR = new Error('request failed', { cause });

const CHILD_BINDINGS = { service: 'api', region: 'eu-west-1', version: 3 };

/** An active OpenTelemetry span, with the SDK's context manager, as in an instrumented service
 *  (set up on first use, so only the `trace` scenario's processes have one). */
let otel;
function inSpan(fn) {
  if (otel === undefined) {
    const { context, trace } = require('@opentelemetry/api');
    const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const span = trace.wrapSpanContext({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1 });
    otel = { context, active: trace.setSpan(context.active(), span) };
  }
  return otel.context.with(otel.active, fn);
}

/** What instrumentation-pino's mixin does for pino: the active span's ids on each record. */
function pinoTraceMixin() {
  const { context, trace, isSpanContextValid } = require('@opentelemetry/api');
  const span = trace.getSpan(context.active());
  if (span === undefined) return {};
  const sc = span.spanContext();
  if (!isSpanContextValid(sc)) return {};
  return { trace_id: sc.traceId, span_id: sc.spanId, trace_flags: `0${sc.traceFlags.toString(16)}` };
}

/** What Fastify's request and reply serializers are given, and what they keep. */
const REQUEST = { method: 'GET', url: '/api/users/42', headers: { host: '127.0.0.1:3000', 'user-agent': 'autocannon' }, socket: { remoteAddress: '127.0.0.1', remotePort: 51234 } };
const REPLY = { statusCode: 200 };
const FASTIFY_SERIALIZERS = {
  req: (req) => ({ method: req.method, url: req.url, host: req.headers.host, remoteAddress: req.socket.remoteAddress, remotePort: req.socket.remotePort }),
  res: (reply) => ({ statusCode: reply.statusCode }),
};

function wideFields(i) {
  return {
    f1: i, f2: 'two', f3: true, f4: 3.14, f5: i + 1, f6: 'six', f7: false, f8: 8.5,
    f9: i + 2, f10: 'ten', f11: true, f12: 12.25, f13: i + 3, f14: 'fourteen', f15: false, f16: 16.125,
  };
}

const scenarios = {
  basic: { describe: "info('hello world')", run: (log) => log.info('hello world') },
  fields: {
    describe: '4 fields: number, string, boolean, float',
    run: (log, i) => log.info({ a: i, b: 'two', c: true, d: 3.14 }, 'hello world'),
  },
  child: {
    describe: 'child with 3 bindings + the 4 fields',
    child: CHILD_BINDINGS,
    run: (log, i) => log.info({ a: i, b: 'two', c: true, d: 3.14 }, 'hello world'),
  },
  request: {
    describe: "a request as Fastify logs it: a child with a reqId, { req } and { res, responseTime } through Fastify's serializers, one record of the 4 fields between (3 records per call)",
    needs: 'serializers',
    serializers: FASTIFY_SERIALIZERS,
    lines: 3,
    run: (log, i) => {
      const request = log.child({ reqId: `req-${i}` });
      request.info({ req: REQUEST }, 'incoming request');
      request.info({ a: i, b: 'two', c: true, d: 3.14 }, 'handled');
      request.info({ res: REPLY, responseTime: 0.25 }, 'request completed');
    },
  },
  disabled: { describe: "debug('hello world') at level info", lines: 0, run: (log) => log.debug('hello world') },
  long: { describe: '2 KB message', run: (log) => log.info(LONG) },
  deep: {
    describe: 'nested object, 3 levels, ~20 keys',
    run: (log, i) =>
      log.info(
        {
          req: { id: i, method: 'GET', url: '/api/users/42', headers: { host: 'example.com', 'user-agent': 'bench/1.0', accept: 'application/json' } },
          res: { statusCode: 200, headers: { 'content-type': 'application/json', 'content-length': 1234 } },
          timing: { db: 1.5, render: 0.75, total: 3.25 },
        },
        'request done',
      ),
  },
  error: { describe: 'an Error with a cause', run: (log) => log.error(ERROR) },
  printf: { describe: "'%s did %d'", run: (log, i) => log.info('%s did %d', 'alice', i) },
  wide: { describe: '16 fields', run: (log, i) => log.info(wideFields(i), 'hello world') },
  pretty: {
    describe: "the 4 fields in the pretty format (pino: pino-pretty in-process)",
    needs: 'pretty',
    format: 'pretty',
    run: (log, i) => log.info({ a: i, b: 'two', c: true, d: 3.14 }, 'hello world'),
  },
  'multi-target': {
    describe: '3 file targets at info, info and error (pino: multistream)',
    needs: 'targets',
    // Suffixes of the case's file; the case counts the first file's lines.
    targets: [{ suffix: '', level: 'info' }, { suffix: '.2', level: 'info' }, { suffix: '.3', level: 'error' }],
    run: (log, i) => log.info({ a: i, b: 'two', c: true, d: 3.14 }, 'hello world'),
  },
  mixin: {
    describe: 'the 4 fields + a mixin adding one field',
    needs: 'mixin',
    mixin: () => ({ tenant: 'acme' }),
    run: (log, i) => log.info({ a: i, b: 'two', c: true, d: 3.14 }, 'hello world'),
  },
  'format-log': {
    describe: 'the 4 fields + formatters.log adding one field',
    needs: 'formatters',
    formatters: { log: (fields) => ({ ...fields, tenant: 'acme' }) },
    run: (log, i) => log.info({ a: i, b: 'two', c: true, d: 3.14 }, 'hello world'),
  },
  redact: {
    describe: 'the 4 fields + a password, with 3 redact paths (one a wildcard)',
    needs: 'redact',
    redact: ['password', 'req.headers.authorization', '*.token'],
    run: (log, i) => log.info({ a: i, b: 'two', c: true, d: 3.14, password: 'hunter2' }, 'hello world'),
  },
  trace: {
    describe: "the 4 fields inside an active OpenTelemetry span (Kakashi: traceContext; pino: instrumentation-pino's mixin)",
    needs: 'mixin',
    traceMixin: pinoTraceMixin,
    run: (log, i) => inSpan(() => log.info({ a: i, b: 'two', c: true, d: 3.14 }, 'hello world')),
  },
  'iso-time': {
    describe: "the 4 fields, timestamp: stdTimeFunctions.isoTime (Kakashi's writer formats it; pino calls it per record)",
    needs: 'timestamp',
    timestamp: 'isoTime',
    run: (log, i) => log.info({ a: i, b: 'two', c: true, d: 3.14 }, 'hello world'),
  },
  'custom-time': {
    describe: 'the 4 fields, timestamp: a custom function (both call it per record)',
    needs: 'timestamp',
    timestamp: 'custom',
    run: (log, i) => log.info({ a: i, b: 'two', c: true, d: 3.14 }, 'hello world'),
  },
  stdout: {
    describe: 'the 4 fields to stdout, a pipe read by another process',
    destination: 'stdout',
    run: (log, i) => log.info({ a: i, b: 'two', c: true, d: 3.14 }, 'hello world'),
  },
  workers: {
    describe: '2 worker threads, one file, the 4 fields',
    threads: 2,
    run: (log, i) => log.info({ a: i, b: 'two', c: true, d: 3.14 }, 'hello world'),
  },
};

module.exports = { scenarios, CHILD_BINDINGS };
