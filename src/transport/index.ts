export {
  createUndiciTransport,
  DEFAULT_CONNECTIONS,
  DEFAULT_CONNECT_TIMEOUT_MS,
} from './undici-transport.js';
export type { UndiciTransport, UndiciTransportOptions } from './undici-transport.js';
export type {
  DwollaTransport,
  DwollaTransportRequest,
  DwollaTransportResponse,
} from './transport.js';
