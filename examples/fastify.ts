// A Fastify service logging through Kakashi: request/response records with reqId, a child
// logger per request, a route at its own level, and a clean flush on SIGTERM.
//   npm run example -- fastify      (PORT=3000 by default; KAKASHI_FORMAT=pretty to read it)
import Fastify from 'fastify';
import { createLogger } from 'kakashi';

// Fastify brings its own req, res and err serializers (as it does for pino).
const log = createLogger({ name: 'shop', redact: ['payment.card'] });

const app = Fastify({ loggerInstance: log });

app.get('/orders/:id', async (request) => {
  const { id } = request.params as { id: string };
  request.log.info({ orderId: id, payment: { card: '4111 1111 1111 1111', amount: 42 } }, 'loading order');
  return { id, status: 'shipped' };
});

app.get('/health', { logLevel: 'warn' }, async () => ({ ok: true }));

process.on('SIGTERM', async () => {
  await app.close();
  log.info('shut down');
  await log.close();
  process.exit(0);
});

app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' }).catch((err) => {
  log.fatal(err, 'cannot listen');
  process.exit(1);
});
