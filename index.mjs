// ESM entry: the CommonJS build re-exported, so `import` and `require` share one module
// instance (one exit hook, one set of writers) in a mixed application. The default export is
// also pino's factory (for an application that maps `pino` to Kakashi).
import kakashi from './dist/index.js';

export const {
  createLogger,
  Logger,
  levels,
  stdSerializers,
  stdTimeFunctions,
  withContext,
  setRequestContext,
  setUserContext,
  setCustomContext,
  clearRequestContext,
  getContext,
  setup,
  getLogger,
  version,
  pino,
  destination,
  transport,
  multistream,
  symbols,
} = kakashi;
export default kakashi;
