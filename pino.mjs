// ESM entry of `kakashi/pino`, sharing the CommonJS build's module instance.
import pino from './dist/pino-entry.js';

export const { destination, transport, multistream, levels, stdSerializers, stdTimeFunctions, symbols, version } = pino;
export { pino };
export default pino;
