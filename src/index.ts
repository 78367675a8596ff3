// The public entry point: `require('kakashi')` / `import ... from 'kakashi'`.

export { createLogger, Logger, version } from './logger';
export { getLogger, setup } from './presets';
export { stdSerializers } from './serializers';

export { LEVELS_VIEW as levels } from './levels';
export { clearRequestContext, getContext, setCustomContext, setRequestContext, setUserContext, withContext } from './context';
