export { createDwollaClient } from './client.js';
export type {
  DwollaClient,
  DwollaDeleteOptions,
  DwollaGetOptions,
  DwollaPostOptions,
  DwollaResult,
} from './client.js';
export type { DwollaClientOptions, DwollaEnvironment } from './common/client-options.js';
export type { TokenStore } from './auth/token-store.js';
export type { DwollaQuery, DwollaTarget, QueryValue } from './common/target.js';
export type { DwollaRequestOptions } from './common/request-options.js';
export type {
  DwollaTransport,
  DwollaTransportRequest,
  DwollaTransportResponse,
} from './transport/transport.js';
export type {
  DwollaAttemptEvent,
  DwollaHooks,
  DwollaResponseEvent,
  DwollaRetryEvent,
} from './common/hooks.js';
export {
  DwollaAbortError,
  DwollaApiError,
  DwollaError,
  DwollaIdempotencyError,
  DwollaNetworkError,
  DwollaRequestRefusedError,
  DwollaResponseTooLargeError,
  DwollaTimeoutError,
  DwollaTokenError,
} from './errors.js';
export type { DwollaApiErrorOptions, DwollaErrorDetail, DwollaErrorOptions } from './errors.js';
export type {
  DwollaPaginate,
  DwollaPaginateOptions,
  EmbeddedItem,
  OperationPage,
} from './pagination/paginate.js';
export {
  DWOLLA_DOCUMENT_CONTENT_TYPES,
  DWOLLA_DOCUMENT_MAX_BYTES,
  type DocumentFile,
} from './documents/document-file.js';
export type {
  DwollaDocumentType,
  DwollaUploadDocument,
  DwollaUploadDocumentOptions,
  DwollaUploadedDocument,
} from './documents/upload-document.js';
export { verifyWebhookSignature } from './webhooks/verify-signature.js';
export type { VerifyWebhookSignatureInput } from './webhooks/verify-signature.js';
export type { WebhookRawBody } from './webhooks/raw-body.js';
export { verifyWebhookEvent } from './webhooks/webhook-event.js';
export type { DwollaHalLink, DwollaWebhookEvent } from './webhooks/webhook-event.js';
export {
  DwollaWebhookPayloadError,
  DwollaWebhookSignatureError,
} from './webhooks/webhook-errors.js';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';
export * from './generated/index.js';
export type { Client as DwollaGeneratedClient } from './generated/client/index.js';
/** The options of a generated operation (`{ client: dwolla.client, path, query, body, … }`). */
export type { Options as DwollaOperationOptions } from './generated/sdk.gen.js';
