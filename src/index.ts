export { createDwollaClient } from './client.js';
export type {
  DwollaClient,
  DwollaDeleteOptions,
  DwollaGetOptions,
  DwollaPostOptions,
  DwollaResult,
} from './client.js';
export type { DwollaClientOptions, DwollaEnvironment } from './auth/client-options.js';
export type { DwollaQuery, DwollaTarget, QueryValue } from './auth/target.js';
export {
  DwollaApiError,
  DwollaError,
  DwollaRequestRefusedError,
  DwollaTokenError,
} from './errors.js';
export type { DwollaApiErrorOptions, DwollaErrorDetail, DwollaErrorOptions } from './errors.js';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';
export * from './generated/index.js';
export type { Client as DwollaGeneratedClient } from './generated/client/index.js';
