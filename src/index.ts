// The public entry point: `require('kakashi')` / `import ... from 'kakashi'`. The module itself is
// also pino's factory (with pino's statics), so an application that maps `pino` to Kakashi with
// npm `overrides` gives every library that requires pino a Kakashi logger.

import { clearRequestContext, getContext, setCustomContext, setRequestContext, setUserContext, withContext } from './context';
import { LEVELS_VIEW } from './levels';
import { createLogger, Logger, version } from './logger';
import pinoFactory, { statics } from './pino';
import { getLogger, setup } from './presets';

const kakashi = Object.assign(pinoFactory, statics, {
  createLogger,
  Logger,
  levels: LEVELS_VIEW,
  version,
  getLogger,
  setup,
  withContext,
  setRequestContext,
  setUserContext,
  setCustomContext,
  clearRequestContext,
  getContext,
});

export = kakashi;
