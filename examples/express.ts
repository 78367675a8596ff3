// An Express app with Kakashi's http middleware: one record per request (method, url, status,
// responseTime, reqId), req.log as a request-scoped child, and the request context carried
// through async code into any logger.
//   npm run example -- express      (PORT=3000 by default)
import express from 'express';
import { once } from 'node:events';
import { createLogger, getContext } from 'kakashi';
import { httpLogger } from 'kakashi/http';

const log = createLogger({ name: 'api' });
const db = log.child({ component: 'db' });

async function findUser(id: string) {
  await new Promise((resolve) => setTimeout(resolve, 5));
  db.debug({ id }, 'query'); // carries the request's reqId, though no req is passed here
  return { id, name: 'ann', context: getContext() };
}

const app = express();
app.use(httpLogger(log, { slowMs: 500 }));
app.get('/users/:id', async (req, res) => {
  res.json(await findUser(req.params.id));
});
app.get('/boom', () => {
  throw new Error('boom');
});

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const address = server.address();
  log.info({ port: typeof address === 'object' && address ? address.port : undefined }, 'listening');
});

process.on('SIGTERM', async () => {
  server.close();
  await once(server, 'close');
  log.info('shut down');
  await log.close();
  process.exit(0);
});
