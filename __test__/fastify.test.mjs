// Fastify 5 takes a Kakashi logger as its loggerInstance: request/response logging with reqId,
// request.log as a child, per-route log levels — against a real server and real requests.
import test from 'ava';
import Fastify from 'fastify';
import { join } from 'node:path';

import { createLogger, stdSerializers } from '../index.mjs';
import { ENGINES, readRecords, tempDir } from './helpers.mjs';

for (const engine of ENGINES) {
  test(`${engine}: Fastify({ loggerInstance }) logs each request with its reqId`, async (t) => {
    const path = join(tempDir(), 'fastify.log');
    const logger = createLogger({ engine, destination: path, serializers: { req: stdSerializers.req, res: stdSerializers.res } });
    const app = Fastify({ loggerInstance: logger });
    app.get('/hello', async (request) => {
      request.log.info({ user: 'ann' }, 'in handler');
      return { ok: true };
    });
    app.get('/quiet', { logLevel: 'warn' }, async (request) => {
      request.log.info('not logged: the route is at warn');
      request.log.warn('logged at warn');
      return { quiet: true };
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${app.server.address().port}`;
    const hello = await fetch(`${base}/hello`);
    t.is(hello.status, 200);
    t.deepEqual(await hello.json(), { ok: true });
    const quiet = await fetch(`${base}/quiet`);
    t.is(quiet.status, 200);
    await quiet.json();
    await app.close();
    await logger.close();

    const records = readRecords(t, path);
    const incoming = records.filter((r) => r.msg === 'incoming request');
    t.is(incoming.length, 1, 'the warn-level route does not log its incoming request');
    t.is(incoming[0].req.method, 'GET');
    t.is(incoming[0].req.url, '/hello');
    t.is(incoming[0].req.remoteAddress, '127.0.0.1');
    const reqId = incoming[0].reqId;
    t.truthy(reqId);
    const handler = records.find((r) => r.msg === 'in handler');
    t.is(handler.reqId, reqId);
    t.is(handler.user, 'ann');
    const completed = records.find((r) => r.msg === 'request completed' && r.reqId === reqId);
    t.is(completed.res.statusCode, 200);
    t.is(typeof completed.responseTime, 'number');
    t.false(records.some((r) => r.msg === 'not logged: the route is at warn'));
    const warned = records.find((r) => r.msg === 'logged at warn');
    t.is(warned.level, 40);
    t.not(warned.reqId, reqId);
  });
}
