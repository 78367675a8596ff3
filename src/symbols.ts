// Symbols shared across modules: a logger's private state, kept off its public surface; the
// symbols of pino's that Kakashi loggers answer to; and sentinels.

export const kEngine = Symbol('kakashi.engine');
/** The members every record of this logger carries — base, name, child bindings (bindings.ts). */
export const kBindings = Symbol('kakashi.bindings');
export const kLevel = Symbol('kakashi.level');
/** What a logger does to fields and messages before capture: serializers, redaction, msgPrefix. */
export const kShape = Symbol('kakashi.shape');
/** What a root logger and its children share: levels, their methods, hooks. */
export const kTree = Symbol('kakashi.tree');
/** Makes a logger write as another does (setup() re-points getLogger()'s loggers). */
export const kAdopt = Symbol('kakashi.adopt');
/** A logger's own `onChild`, assigned after it was made (its children inherit it). */
export const kOnChild = Symbol('kakashi.onChild');
/** Points a root logger (and so its children) at another engine (a pino.multistream() that changed). */
export const kRetarget = Symbol('kakashi.retarget');
/** A tree's EventEmitter, on its root, made on the first `on()`: most loggers never have listeners. */
export const kEvents = Symbol('kakashi.events');
/** Placeholders written where a value cannot be serialized as it is. */
export const CIRCULAR = '[Circular]';
export const THROWS = '[Throws]';

/** A field value that `redact: { remove: true }` takes out of the record. */
export const REMOVED = Symbol('kakashi.removed');

/** pino's public symbols (registry symbols: the same in every copy of pino and here). */
export const serializersSym = Symbol.for('pino.serializers');
export const formattersSym = Symbol.for('pino.formatters');
export const hooksSym = Symbol.for('pino.hooks');
export const needsMetadataGsym = Symbol.for('pino.metadata');
export const transportUsesMultistreamSym = Symbol.for('pino.transport.usesMultistream');

/**
 * pino's private symbols, as `kakashi/pino` exports them in `pino.symbols` (pino-http reads the
 * bindings string and calls the stringifier through two of them).
 */
export const chindingsSym = Symbol('pino.chindings');
export const stringifySym = Symbol('pino.stringify');
/** The destination a `kakashi/pino` logger was given (or made for it), as pino's stream. */
export const streamSym = Symbol('pino.stream');
/** Where a `kakashi/pino` root keeps that destination (its children read it through it). */
export const kStream = Symbol('kakashi.stream');

interface PrivateSymbols {
  chindingsSym: symbol;
  stringifySym: symbol;
  streamSym: symbol | undefined;
}

/**
 * The private symbols of every real pino loaded in the process (and of the one installed beside
 * Kakashi): a Kakashi logger handed to pino-http, which requires pino itself, answers to them too.
 */
export function pinoPrivateSymbols(): PrivateSymbols[] {
  const found: PrivateSymbols[] = [];
  const add = (m: unknown) => {
    const s = m as { chindingsSym?: unknown; stringifySym?: unknown; streamSym?: unknown } | undefined;
    if (typeof s?.chindingsSym === 'symbol' && typeof s.stringifySym === 'symbol') {
      found.push({ chindingsSym: s.chindingsSym, stringifySym: s.stringifySym, streamSym: typeof s.streamSym === 'symbol' ? s.streamSym : undefined });
    }
  };
  try {
    add(require('pino/lib/symbols.js'));
  } catch {
    // No pino beside Kakashi (or pino is Kakashi itself, through an override).
  }
  for (const [file, m] of Object.entries(require.cache)) if (/[\\/]pino[\\/]lib[\\/]symbols\.js$/.test(file)) add(m?.exports);
  return found;
}
