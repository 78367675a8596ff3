// pino-http (11 and 10) with Kakashi loggers, a kakashi/pino one and a createLogger one, on both
// engines and real servers: the records pino's own logger would give, customProps included
// (pino-http reads pino's private symbols there: a Kakashi logger answers to them).
import test from 'ava';
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { join } from 'node:path';

import { createLogger } from '../index.mjs';
import kpino from '../pino.mjs';
import { ENGINES, readRecords, tempDir } from './helpers.mjs';

const require = createRequire(import.meta.url);

async function serve(middleware, requests) {
  const server = createServer((req, res) => {
    middleware(req, res);
    if (req.url === '/boom') {
      res.statusCode = 500;
      res.end('boom');
    } else {
      req.log.info({ inHandler: true }, 'handling');
      res.end('ok');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  for (const url of requests) await (await fetch(base + url)).text();
  await new Promise((resolve) => server.close(resolve));
}

for (const pkg of ['pino-http', 'pino-http10']) {
  const version = require(`${pkg}/package.json`).version;
  const pinoHttp = require(pkg);
  for (const engine of ENGINES) {
    for (const [kind, make] of [
      ['kakashi/pino', (path) => kpino({ engine }, kpino.destination(path))],
      ['createLogger', (path) => createLogger({ engine, destination: path })],
    ]) {
      test(`${engine}: pino-http ${version} with a ${kind} logger writes pino's records`, async (t) => {
        const path = join(tempDir(), 'http.log');
        const logger = make(path);
        const middleware = pinoHttp({ logger, customProps: (req) => ({ route: req.url }) });
        await serve(middleware, ['/ok', '/boom']);
        await logger.close();
        const records = readRecords(t, path);
        const handling = records.find((r) => r.msg === 'handling');
        t.is(handling.req.method, 'GET');
        t.is(handling.req.url, '/ok');
        t.true(handling.inHandler);
        const completed = records.find((r) => r.msg === 'request completed');
        t.is(completed.res.statusCode, 200);
        t.is(typeof completed.responseTime, 'number');
        t.is(completed.route, '/ok', 'customProps');
        t.is(completed.req.id, handling.req.id);
        const errored = records.find((r) => r.msg === 'request errored');
        t.is(errored.res.statusCode, 500);
        t.is(errored.err.message, 'failed with status code 500');
        t.is(errored.route, '/boom');
      });
    }
  }
}
