import type { DwollaResult } from '../request/api-response.js';
import type { DwollaTarget } from '../common/target.js';
import { DwollaRequestRefusedError } from '../errors.js';
import { documentBlob, documentContentType, type DocumentFile } from './document-file.js';

/** Dwolla's document types; others are passed through for Dwolla to judge. */
export type DwollaDocumentType = 'passport' | 'license' | 'idCard' | 'other' | (string & {});

/** Options of `dwolla.uploadDocument`. */
export interface DwollaUploadDocumentOptions {
  /** The document: a Blob/File, bytes, an ArrayBuffer or a ReadableStream (10 MB at most). */
  file: DocumentFile;
  /** The file name Dwolla records, e.g. 'passport.jpg'. */
  filename: string;
  /** What the document is: `passport`, `license`, `idCard` or `other`. */
  documentType: DwollaDocumentType;
  /** Default: the Blob's type, else implied by the file name (.pdf, .jpg/.jpeg, .png). */
  contentType?: string;
  /** Ends the upload (and a stalled stream) when aborted. */
  signal?: AbortSignal;
}

/** What `dwolla.uploadDocument` resolves. */
export interface DwollaUploadedDocument {
  /** The new document's URL (checked against the API origin), from the 201's Location. */
  location: string | undefined;
  /** The 201 response. */
  response: Response;
}

/** `dwolla.uploadDocument`: uploads a document as multipart/form-data to a documents collection. */
export type DwollaUploadDocument = (
  target: DwollaTarget,
  options: DwollaUploadDocumentOptions,
) => Promise<DwollaUploadedDocument>;

export interface UploadDocumentDependencies {
  /** The client's POST (auth, origin pinning, errors, Location). */
  post(
    target: DwollaTarget,
    body: FormData,
    options: { signal?: AbortSignal },
  ): Promise<DwollaResult<unknown>>;
  /** Resolves a path, URL or HAL link against the API base URL. */
  resolve(target: DwollaTarget): URL;
}

const WHERE = 'dwolla.uploadDocument';

function checkText(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new DwollaRequestRefusedError(
      `${WHERE}: ${name} must be a non-empty string; nothing was sent`,
    );
  }
  return value;
}

/**
 * Builds `dwolla.uploadDocument`: checks everything it can before sending (target is a
 * documents collection, file type and size within Dwolla's rules), then POSTs
 * `multipart/form-data` with `documentType` and `file`, built by the platform's FormData.
 * The FormData holds the file as one Blob, so the 401 replay re-sends it without a copy.
 */
export function createUploadDocument(deps: UploadDocumentDependencies): DwollaUploadDocument {
  return async (target, options) => {
    if (typeof options !== 'object' || options === null) {
      throw new DwollaRequestRefusedError(
        `${WHERE}: pass { file, filename, documentType }; nothing was sent`,
      );
    }
    const url = deps.resolve(target);
    if (!url.pathname.endsWith('/documents')) {
      throw new DwollaRequestRefusedError(
        `${WHERE}: the target must be a documents collection (/customers/{id}/documents or /beneficial-owners/{id}/documents), got ${url.pathname}; nothing was sent`,
      );
    }
    const filename = checkText(options.filename, 'filename');
    const documentType = checkText(options.documentType, 'documentType');
    const type = documentContentType(options.file, filename, options.contentType);
    const file = await documentBlob(options.file, type, options.signal);

    const form = new FormData();
    form.append('documentType', documentType);
    form.append('file', file, filename);
    const { location, response } = await deps.post(url, form, { signal: options.signal });
    return { location, response };
  };
}
