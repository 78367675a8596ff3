// Request context (Kakashi's): fields every record carries while code runs inside a context —
// across await, timers and promise chains — through AsyncLocalStorage. Loggers pay nothing
// for it until a context is first set anywhere in the thread.

import { AsyncLocalStorage } from 'node:async_hooks';

import { fieldsJson } from './serialize';

interface Store {
  readonly fields: Readonly<Record<string, unknown>>;
  /** The fields as JSON members, made on first use and shared by every record in the context. */
  json: string | undefined;
  /** The same through the last logger shape that asked (serializers, redaction), and that shape's function. */
  prepared?: { by: (fields: object) => object; json: string };
}

const storage = new AsyncLocalStorage<Store>();
let used = false;

function derive(extra: Record<string, unknown>): Store {
  const outer = storage.getStore();
  return { fields: { ...outer?.fields, ...extra }, json: undefined };
}

function checkFields(fields: unknown, fn: string): asserts fields is Record<string, unknown> {
  if (typeof fields !== 'object' || fields === null) throw new Error(`kakashi: ${fn}(fields) expects an object`);
}

/** Runs `fn` so that every record logged inside it, however deep the async chain, carries `fields`. */
export function withContext<T>(fields: Record<string, unknown>, fn: () => T): T {
  checkFields(fields, 'withContext');
  used = true;
  return storage.run(derive(fields), fn);
}

/**
 * For code that cannot wrap a function: from here on, this async execution (and what it starts)
 * carries `fields`, added to any context already in force.
 */
export function setCustomContext(fields: Record<string, unknown>): void {
  checkFields(fields, 'setCustomContext');
  used = true;
  storage.enterWith(derive(fields));
}

/** Kakashi's names: request fields (`reqId`, `ip`, `method`, ...) and user fields (`userId`, ...). */
export const setRequestContext = (fields: Record<string, unknown>): void => setCustomContext(fields);
export const setUserContext = (fields: Record<string, unknown>): void => setCustomContext(fields);

/** Ends the context set by the set*Context calls for this async execution. */
export function clearRequestContext(): void {
  if (used) storage.enterWith({ fields: {}, json: undefined });
}

/** The current context's fields as JSON members (`,"reqId":"…"`), or '' — the hot path's view. */
export function contextJson(prepare: ((fields: object) => object) | undefined): string {
  if (!used) return '';
  const store = storage.getStore();
  if (store === undefined) return '';
  if (prepare === undefined) return (store.json ??= fieldsJson(store.fields));
  if (store.prepared?.by !== prepare) store.prepared = { by: prepare, json: fieldsJson(prepare(store.fields)) };
  return store.prepared.json;
}

/** The current context's fields (a copy). */
export function getContext(): Record<string, unknown> {
  return { ...storage.getStore()?.fields };
}
