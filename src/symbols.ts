// Symbols shared across modules: a logger's private state, kept off its public surface, and sentinels.

export const kEngine = Symbol('kakashi.engine');
/** Pre-serialized members every record of this logger carries: base, name, child bindings. */
export const kBindings = Symbol('kakashi.bindings');
/** The child bindings as objects, for `bindings()`. */
export const kBindingsObject = Symbol('kakashi.bindingsObject');
export const kLevel = Symbol('kakashi.level');
/** What a logger does to fields and messages before capture: serializers, redaction, msgPrefix. */
export const kShape = Symbol('kakashi.shape');
/** The logger's EventEmitter, made on the first `on()`: most loggers never have listeners. */
export const kEvents = Symbol('kakashi.events');
/** A field value that `redact: { remove: true }` takes out of the record. */
export const REMOVED = Symbol('kakashi.removed');
