// Kakashi as Fastify's logger, on every supported major and across 5.x (4.29.1 with `logger:
// instance`; 5.0.0, 5.6.2 and 5.12.1 with `loggerInstance`, which pass `level: ''` to child()
// for a route without logLevel; the newest 5.x), both engines, real servers and real requests:
// request/response records, route and plugin logLevel (silent included), plugin logSerializers,
// a custom childLoggerFactory, disableRequestLogging, errors in handlers and hooks, 404s.
import test from 'ava';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { createLogger } from '../index.mjs';
import { ENGINES, readRecords, tempDir } from './helpers.mjs';

const require = createRequire(import.meta.url);
const FASTIFY = ['fastify4', 'fastify500', 'fastify56', 'fastify5121', 'fastify'];

function make(pkg, logger, options = {}) {
  const Fastify = require(pkg);
  const major4 = require(`${pkg}/package.json`).version.startsWith('4.');
  return Fastify({ ...(major4 ? { logger } : { loggerInstance: logger }), ...options });
}

async function listen(app) {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${app.server.address().port}`;
}

for (const pkg of FASTIFY) {
  const version = require(`${pkg}/package.json`).version;
  for (const engine of ENGINES) {
    test(`${engine}: Fastify ${version} logs requests, responses, errors and 404s; route and plugin logLevel and logSerializers apply`, async (t) => {
      const path = join(tempDir(), 'fastify.log');
      const logger = createLogger({ engine, destination: path });
      const app = make(pkg, logger);
      app.get('/hello', async (request) => {
        request.log.info({ user: 'ann' }, 'in handler');
        return { ok: true };
      });
      app.get('/quiet', { logLevel: 'warn' }, async (request) => {
        request.log.info('not logged: the route is at warn');
        request.log.warn('logged at warn');
        return { quiet: true };
      });
      app.get('/silent', { logLevel: 'silent' }, async (request) => {
        request.log.error('not logged: the route is silent');
        return { silent: true };
      });
      app.get('/boom', async () => {
        throw new Error('boom in handler');
      });
      app.get('/hook', { preHandler: async () => { throw new Error('boom in hook'); } }, async () => 'unreached');
      app.register(
        async (plugin) => {
          plugin.get('/user', async (request) => {
            request.log.debug({ user: { id: 7, secret: 's' } }, 'plugin debug');
            return 'ok';
          });
        },
        { prefix: '/plugin', logLevel: 'debug', logSerializers: { user: (u) => ({ id: u.id }) } },
      );
      const base = await listen(app);
      const statuses = {};
      for (const route of ['/hello', '/quiet', '/silent', '/boom', '/hook', '/plugin/user', '/nope']) {
        const res = await fetch(base + route);
        await res.text();
        statuses[route] = res.status;
      }
      await app.close();
      await logger.close();
      t.deepEqual(statuses, { '/hello': 200, '/quiet': 200, '/silent': 200, '/boom': 500, '/hook': 500, '/plugin/user': 200, '/nope': 404 });

      const records = readRecords(t, path);
      const byUrl = (url) => records.find((r) => r.msg === 'incoming request' && r.req.url === url);
      const reqIdOf = (url) => byUrl(url)?.reqId;
      const ofRequest = (url) => records.filter((r) => r.reqId !== undefined && r.reqId === reqIdOf(url));

      const hello = ofRequest('/hello');
      t.deepEqual(hello.map((r) => r.msg), ['incoming request', 'in handler', 'request completed']);
      t.is(hello[0].req.method, 'GET');
      t.is(hello[0].req.remoteAddress, '127.0.0.1');
      t.is(hello[1].user, 'ann');
      t.is(hello[2].res.statusCode, 200);
      t.is(typeof hello[2].responseTime, 'number');
      t.true(hello.every((r) => typeof r.pid === 'number' && typeof r.time === 'number'));

      t.is(byUrl('/quiet'), undefined, 'a warn route logs no incoming request');
      t.truthy(records.find((r) => r.msg === 'logged at warn' && r.level === 40));
      t.false(records.some((r) => r.msg === 'not logged: the route is at warn'));
      t.false(records.some((r) => r.msg === 'not logged: the route is silent' || r.req?.url === '/silent'));

      for (const [url, message] of [['/boom', 'boom in handler'], ['/hook', 'boom in hook']]) {
        const failed = ofRequest(url);
        const error = failed.find((r) => r.level === 50);
        t.truthy(error, `${url}: an error record`);
        t.is(error.err.message, message);
        t.is(error.err.type, 'Error');
        t.is(error.msg, message);
        t.is(failed.at(-1).res.statusCode, 500);
      }

      const plugin = ofRequest('/plugin/user');
      const debug = plugin.find((r) => r.msg === 'plugin debug');
      t.is(debug?.level, 20, 'the plugin logLevel (debug) applies');
      t.deepEqual(debug?.user, { id: 7 }, 'the plugin logSerializers apply');

      t.truthy(records.find((r) => r.msg === 'Route GET:/nope not found' && r.level === 30));
      t.true(records.every((r) => r.msg !== undefined), 'every record has a message');
    });

    test(`${engine}: Fastify ${version} with a childLoggerFactory and disableRequestLogging`, async (t) => {
      const path = join(tempDir(), 'fastify.log');
      const logger = createLogger({ engine, destination: path });
      const app = make(pkg, logger, { disableRequestLogging: true });
      app.setChildLoggerFactory(function (parent, bindings, options, rawReq) {
        return parent.child({ ...bindings, path: rawReq.url }, options);
      });
      app.get('/a', async (request) => {
        request.log.info('handled');
        return 'a';
      });
      const base = await listen(app);
      const res = await fetch(`${base}/a`);
      t.is(res.status, 200);
      await res.text();
      t.is((await fetch(`${base}/missing`)).status, 404);
      await app.close();
      await logger.close();
      const records = readRecords(t, path);
      t.false(records.some((r) => r.msg === 'incoming request' || r.msg === 'request completed'), 'request logging is off');
      const handled = records.find((r) => r.msg === 'handled');
      t.is(handled.path, '/a', 'the factory made the child');
      t.truthy(handled.reqId);
    });
  }
}
