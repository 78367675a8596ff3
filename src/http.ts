// `kakashi/http`: one record per request, when the response is done (sent, or its connection
// gone first), for Express and node:http. It takes (or makes) a request id, echoes it in the
// response, gives the request a child logger (`req.log`) and runs the rest of the chain inside
// a context carrying the id (unless `context: false`).

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

/** What the middleware leaves on the response for its 'close' listener: no closure per request. */
const kLog = Symbol('kakashi.http.log');
const kStarted = Symbol('kakashi.http.started');

interface Logged extends ServerResponse {
  [kLog]?: Logger;
  [kStarted]?: number;
}

export function httpLogger(logger: Logger, options: HttpLoggerOptions = {}) {
  const slowMs = options.slowMs ?? 1000;
  const idHeaders = (options.idHeaders ?? ['x-request-id', 'x-correlation-id']).map((h) => h.toLowerCase());
  const responseHeader = options.responseHeader ?? 'x-request-id';
  const trustProxy = options.trustProxy ?? false;
  const context = options.context ?? true;

  // 'close' comes once per response, after 'finish' for one that was sent, alone for one whose
  // connection went first: one listener sees both, as pino-http's "request aborted" does.
  function onClose(this: Logged): void {
    const log = this[kLog];
    if (log === undefined) return;
    this[kLog] = undefined;
    const responseTime = Math.round((performance.now() - (this[kStarted] as number)) * 1000) / 1000;
    // (`res.req` is Node's own; a response made some other way still gets its record.)
    const req = (this.req ?? {}) as IncomingMessage & { originalUrl?: string };
    const statusCode = this.statusCode;
    const record = {
      req: { method: req.method, url: req.originalUrl ?? req.url, remoteAddress: clientAddress(req, trustProxy) },
      res: { statusCode },
      responseTime,
    };
    if (statusCode >= 500) log.error(record, 'request failed');
    else if (!this.writableFinished) log.warn(record, 'request aborted');
    else if (responseTime > slowMs) log.warn(record, 'slow request');
    else log.info(record, 'request completed');
  }

  return function kakashiHttp(req: IncomingMessage & { log?: Logger }, res: ServerResponse, next?: Next): void {
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
    (res as Logged)[kStarted] = performance.now();
    (res as Logged)[kLog] = log;
    res.on('close', onClose);
    if (next) {
      if (context) withContext({ reqId }, next);
      else next();
    }
  };
}

function clientAddress(req: IncomingMessage, trustProxy: boolean): string | undefined {
  if (trustProxy) {
    const forwarded = req.headers?.['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return req.socket?.remoteAddress;
}
