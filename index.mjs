// ESM entry: the CommonJS build re-exported, so `import` and `require` share one module
// instance (one exit hook, one set of writers) in a mixed application.
import kakashi from './dist/index.js';

export const {
  createLogger,
  Logger,
  levels,
  stdSerializers,
  withContext,
  setRequestContext,
  setUserContext,
  setCustomContext,
  clearRequestContext,
  getContext,
  setup,
  getLogger,
  version,
} = kakashi;
export default kakashi;
