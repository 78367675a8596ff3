// ESM entry of `kakashi/http`, sharing the CommonJS build's module instance.
import http from './dist/http.js';

export const { httpLogger } = http;
export default http;
