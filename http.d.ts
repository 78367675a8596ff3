import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Logger } from './index';

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

/**
 * Middleware (`app.use(httpLogger(log))`, or `(req, res, next)` around a node:http handler):
 * one record per request when the response is done — method, url, statusCode, responseTime,
 * reqId (from x-request-id / x-correlation-id, else generated, and echoed), client address —
 * at error for 5xx, warn for a request whose client went away first ("request aborted") or one
 * slower than `slowMs`, info otherwise. Sets `req.log` (a child
 * with the reqId) and runs the rest of the chain in a context carrying the reqId (unless
 * `context: false`).
 */
export declare function httpLogger(
  logger: Logger,
  options?: HttpLoggerOptions,
): (req: IncomingMessage & { log?: Logger }, res: ServerResponse, next?: (err?: unknown) => void) => void;
