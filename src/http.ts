// `kakashi/http`: one record per request, when the response finishes, for Express and
// node:http. It takes (or makes) a request id, echoes it in the response, gives the request a
// child logger (`req.log`) and runs the rest of the chain inside a context carrying the id
// (unless `context: false`).

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Logger } from '../index';
import { withContext } from './context';

export interface HttpLoggerOptions {
  /** Requests slower than this many ms are logged at warn. Default 1000. */
  slowMs?: number;
  /** Honour `x-forwarded-for` for the client address. Default false. */
  trustProxy?: boolean;
  /** Request headers the id is taken from, in order. Default x-request-id, x-correlation-id. */
  idHeaders?: string[];
  /** Response header the id is echoed in. Default x-request-id. */
  responseHeader?: string;
  /**
   * Run the rest of the chain in a context carrying the reqId, so that every logger used while
   * handling the request adds it. Default true. false: only `req.log` carries it, and the
   * AsyncLocalStorage this takes (~7% of an Express hello-world's throughput here) is not paid.
   */
  context?: boolean;
}

type Next = (err?: unknown) => void;

export function httpLogger(logger: Logger, options: HttpLoggerOptions = {}) {
  const slowMs = options.slowMs ?? 1000;
  const idHeaders = (options.idHeaders ?? ['x-request-id', 'x-correlation-id']).map((h) => h.toLowerCase());
  const responseHeader = options.responseHeader ?? 'x-request-id';
  const trustProxy = options.trustProxy ?? false;
  const context = options.context ?? true;

  return function kakashiHttp(req: IncomingMessage & { log?: Logger }, res: ServerResponse, next?: Next): void {
    const started = process.hrtime.bigint();
    let reqId: string | undefined;
    for (const h of idHeaders) {
      const v = req.headers[h];
      if (typeof v === 'string' && v !== '' && v.length <= 200) {
        reqId = v;
        break;
      }
    }
    reqId ??= randomUUID();
    res.setHeader(responseHeader, reqId);
    const log = logger.child({ reqId });
    req.log = log;
    res.once('finish', () => {
      const responseTime = Number(process.hrtime.bigint() - started) / 1e6;
      const statusCode = res.statusCode;
      const record = {
        req: { method: req.method, url: (req as { originalUrl?: string }).originalUrl ?? req.url, remoteAddress: clientAddress(req, trustProxy) },
        res: { statusCode },
        responseTime: Math.round(responseTime * 1000) / 1000,
      };
      if (statusCode >= 500) log.error(record, 'request failed');
      else if (responseTime > slowMs) log.warn(record, 'slow request');
      else log.info(record, 'request completed');
    });
    if (next) {
      if (context) withContext({ reqId }, next);
      else next();
    }
  };
}

function clientAddress(req: IncomingMessage, trustProxy: boolean): string | undefined {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return req.socket?.remoteAddress;
}
