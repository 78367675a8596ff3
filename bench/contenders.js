'use strict';
// Each contender as the benchmark drives it: `open(destination, scenario)` returns the logger
// the scenario calls (pino's call order) and `close()`, which resolves once everything logged
// has been handed to the OS.

const { once } = require('node:events');
const { hostname } = require('node:os');

/** Every contender logs at info: the `disabled` scenario calls debug. */
const LEVEL = 'info';

/** Scenario features (`scenario.needs`) Kakashi and pino both have. */
const FEATURES = ['redact', 'pretty', 'targets', 'mixin', 'formatters', 'timestamp', 'serializers'];

/** A scenario's `timestamp`: a standard function of the logger's own, or the same custom function for both. */
const customTime = () => `,"time":${Date.now()}`;
function timestamp(scenario, stdTimeFunctions) {
  if (scenario.timestamp === undefined) return undefined;
  return scenario.timestamp === 'custom' ? customTime : stdTimeFunctions[scenario.timestamp];
}

/** A scenario's targets as files: the case's file plus suffixes (all /dev/null when warming up). */
function targetPaths(destination, scenario) {
  return scenario.targets.map((t) => ({ path: destination === '/dev/null' ? destination : destination + t.suffix, level: t.level }));
}

function kakashi(engine) {
  return {
    supports: FEATURES,
    open(destination, scenario) {
      const { createLogger, stdTimeFunctions } = require('..');
      const where = scenario.targets
        ? { targets: targetPaths(destination, scenario).map((t) => ({ destination: t.path, level: t.level })) }
        : { destination, format: scenario.format };
      const root = createLogger({ engine, level: LEVEL, redact: scenario.redact, mixin: scenario.mixin, formatters: scenario.formatters, serializers: scenario.serializers, timestamp: timestamp(scenario, stdTimeFunctions), ...where });
      const log = scenario.child ? root.child(scenario.child) : root;
      return { log, close: () => root.close() };
    },
  };
}

function pino(destOptions) {
  return {
    supports: FEATURES,
    open(destination, scenario) {
      const pino = require('pino');
      const options = { level: LEVEL, redact: scenario.redact, mixin: scenario.traceMixin ?? scenario.mixin, formatters: scenario.formatters, serializers: scenario.serializers, timestamp: timestamp(scenario, pino.stdTimeFunctions) };
      if (scenario.format === 'pretty' || scenario.targets) {
        const streams = scenario.targets
          ? targetPaths(destination, scenario).map((t) => ({ level: t.level, stream: pino.destination({ dest: t.path, ...destOptions }) }))
          : [{ level: LEVEL, stream: require('pino-pretty')({ destination: pino.destination({ dest: destination, ...destOptions }), colorize: false, singleLine: true }) }];
        const root = pino(options, scenario.targets ? pino.multistream(streams) : streams[0].stream);
        return {
          log: root,
          async close() {
            await Promise.all(
              streams.map(async ({ stream }) => {
                const closed = once(stream, 'close');
                stream.end();
                await closed;
              }),
            );
          },
        };
      }
      const dest = pino.destination({ dest: destination === 'stdout' ? 1 : destination, ...destOptions });
      const root = pino(options, dest);
      const log = scenario.child ? root.child(scenario.child) : root;
      return {
        log,
        async close() {
          if (destination === 'stdout') {
            // fd 1 is not ours to close: drain what sonic-boom holds.
            if (dest.sync || !dest._writing) dest.flushSync();
            else await new Promise((resolve) => dest.flush(resolve));
            return;
          }
          const closed = once(dest, 'close');
          dest.end();
          await closed;
        },
      };
    },
  };
}

function winston() {
  return {
    open(destination, scenario) {
      const w = require('winston');
      const transport =
        destination === 'stdout'
          ? new w.transports.Stream({ stream: process.stdout })
          : new w.transports.File({ filename: destination });
      const root = w.createLogger({
        level: LEVEL,
        format: w.format.combine(w.format.errors({ stack: true }), w.format.splat(), w.format.timestamp(), w.format.json()),
        defaultMeta: { pid: process.pid, hostname: hostname() },
        transports: [transport],
      });
      const target = scenario.child ? root.child(scenario.child) : root;
      // pino's (fields, msg) order → winston's (msg, meta).
      const adapt = (name) => (a, ...rest) =>
        typeof a === 'object' && !(a instanceof Error) ? target[name](rest[0], a) : target[name](a, ...rest);
      const log = { info: adapt('info'), debug: adapt('debug'), error: adapt('error') };
      return {
        log,
        // Ending a winston logger mid-write throws 'write after end' from its pipe; instead the
        // benchmark waits until the file holds every line, which it does for everyone anyway.
        close: () => new Promise((resolve) => setImmediate(resolve)),
      };
    },
  };
}

function bunyan() {
  return {
    open(destination, scenario) {
      const b = require('bunyan');
      const stream =
        destination === 'stdout' ? process.stdout : require('node:fs').createWriteStream(destination, { flags: 'a' });
      const root = b.createLogger({ name: 'bench', level: LEVEL, streams: [{ stream }] });
      const log = scenario.child ? root.child(scenario.child) : root;
      return {
        log,
        async close() {
          if (destination === 'stdout') return;
          const finished = once(stream, 'finish');
          stream.end();
          await finished;
        },
      };
    },
  };
}

let sink;
/** Floor: the same record serialized with JSON.stringify, no I/O. */
function stringifyFloor() {
  return {
    noIo: true,
    open(_destination, scenario) {
      const pid = process.pid;
      const host = hostname();
      const bindings = scenario.child || {};
      const info = (a, b) => {
        sink =
          typeof a === 'object'
            ? JSON.stringify({ level: 30, time: Date.now(), pid, hostname: host, ...bindings, ...a, msg: b })
            : JSON.stringify({ level: 30, time: Date.now(), pid, hostname: host, ...bindings, msg: a });
      };
      const debug = () => {};
      return { log: { info, debug, error: info }, close: async () => sink };
    },
  };
}

/** Floor: an empty function call. */
function emptyFloor() {
  const empty = () => {};
  return {
    noIo: true,
    open() {
      return { log: { info: empty, debug: empty, error: empty }, close: async () => {} };
    },
  };
}

const contenders = {
  'kakashi-native': kakashi('native'),
  'kakashi-js': kakashi('js'),
  'pino-async': pino({ sync: false, minLength: 4096 }),
  'pino-sync': pino({ sync: true, minLength: 4096 }),
  'pino-default': pino({}),
  winston: winston(),
  bunyan: bunyan(),
  'floor-stringify': stringifyFloor(),
  'floor-empty': emptyFloor(),
};

module.exports = { contenders };
