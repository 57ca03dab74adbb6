export {
  createUndiciFetch,
  DEFAULT_CONNECTIONS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
} from './undici-fetch.js';
export type { UndiciFetch, UndiciFetchOptions } from './undici-fetch.js';
