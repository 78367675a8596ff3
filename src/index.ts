// The public entry point: `require('kakashi')` / `import ... from 'kakashi'`.

import { LABELS, LEVELS } from './levels';

export { createLogger, Logger } from './logger';

export const levels = Object.freeze({
  values: Object.freeze({ ...LEVELS }),
  labels: Object.freeze({ ...LABELS }),
});
