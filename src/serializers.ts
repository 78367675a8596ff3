// Per-key serializers (pino's `serializers` option): a function per field name, applied to a
// record's fields and a child's bindings before they are captured; and the standard ones for
// `req`, `res` and `err`, for Fastify, Express and node:http objects.

import { safeJson, THROWS } from './serialize';

export type Serializers = Record<string, (value: unknown) => unknown>;

const hasOwn = Object.prototype.hasOwnProperty;

/** `fields` with each serialized key replaced, copied only when one is present. */
export function applySerializers(fields: object, serializers: Serializers, keys: readonly string[]): object {
  let out: Record<string, unknown> | undefined;
  for (const k of keys) {
    if (!hasOwn.call(fields, k)) continue;
    let v: unknown;
    try {
      v = serializers[k]((fields as Record<string, unknown>)[k]);
    } catch {
      v = THROWS;
    }
    out ??= { ...(fields as Record<string, unknown>) };
    out[k] = v;
  }
  return out ?? fields;
}

interface RequestLike {
  raw?: RequestLike;
  id?: unknown;
  method?: string;
  url?: string;
  originalUrl?: string;
  headers?: Record<string, unknown>;
  socket?: { remoteAddress?: string; remotePort?: number };
}

interface ResponseLike {
  raw?: ResponseLike;
  statusCode?: number;
  getHeaders?: () => Record<string, unknown>;
}

export const stdSerializers = {
  /** `{ id, method, url, headers, remoteAddress, remotePort }` of an IncomingMessage or a Fastify request. */
  req(req: unknown): unknown {
    if (typeof req !== 'object' || req === null) return req;
    const r = req as RequestLike;
    const raw = r.raw ?? r;
    return {
      id: r.id ?? raw.id,
      method: raw.method,
      url: r.originalUrl ?? raw.originalUrl ?? raw.url,
      headers: raw.headers,
      remoteAddress: raw.socket?.remoteAddress,
      remotePort: raw.socket?.remotePort,
    };
  },
  /** `{ statusCode, headers }` of a ServerResponse or a Fastify reply. */
  res(res: unknown): unknown {
    if (typeof res !== 'object' || res === null) return res;
    const r = res as ResponseLike;
    const raw = r.raw ?? r;
    return { statusCode: raw.statusCode, headers: typeof raw.getHeaders === 'function' ? raw.getHeaders() : undefined };
  },
  /** An Error as `{ type, message, stack, ...own properties, cause }`, as records write it. */
  err(err: unknown): unknown {
    if (typeof err !== 'object' || err === null) return err;
    const json = safeJson(err, [], 'err');
    return json === undefined ? undefined : JSON.parse(json);
  },
};
