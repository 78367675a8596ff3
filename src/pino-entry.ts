// `require('kakashi/pino')`: pino's factory and statics. Changing `require('pino')` to
// `require('kakashi/pino')` is the whole migration.

import pino from './pino';

export = pino;
