import { readStream } from '../common/read-stream.js';
import { DwollaRequestRefusedError } from '../errors.js';

/** Dwolla's limit per document file: 10 MB. */
export const DWOLLA_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024;

/** The file types Dwolla takes for documents, and the file name extensions that imply them. */
export const DWOLLA_DOCUMENT_CONTENT_TYPES: Readonly<Record<string, readonly string[]>> = {
  'application/pdf': ['.pdf'],
  'image/jpeg': ['.jpg', '.jpeg'],
  'image/png': ['.png'],
};

/** A document's bytes: a Blob or File (e.g. `await fs.openAsBlob(path)`), bytes, or a stream. */
export type DocumentFile = Blob | Uint8Array | ArrayBuffer | ReadableStream<Uint8Array>;

const WHERE = 'dwolla.uploadDocument';

function refuse(problem: string): never {
  throw new DwollaRequestRefusedError(`${WHERE}: ${problem}; nothing was sent`);
}

function tooLarge(bytes: number | string): never {
  refuse(
    `the file is ${bytes} bytes, over Dwolla's limit of ${DWOLLA_DOCUMENT_MAX_BYTES} bytes (10 MB) per document`,
  );
}

/**
 * The content type to send: `contentType`, else the Blob's own type, else the one implied by the
 * file name's extension. Refused unless Dwolla takes it (PDF, JPEG, PNG).
 */
export function documentContentType(
  file: DocumentFile,
  filename: string,
  contentType: string | undefined,
): string {
  const declared =
    contentType ?? (file instanceof Blob && file.type !== '' ? file.type : undefined);
  const extension = /\.[^.]*$/.exec(filename.toLowerCase())?.[0];
  const type =
    declared?.split(';')[0]!.trim().toLowerCase() ??
    Object.keys(DWOLLA_DOCUMENT_CONTENT_TYPES).find((t) =>
      DWOLLA_DOCUMENT_CONTENT_TYPES[t]!.includes(extension ?? ''),
    );
  const accepted = Object.keys(DWOLLA_DOCUMENT_CONTENT_TYPES).join(', ');
  if (type === undefined) {
    refuse(`cannot tell the type of "${filename}": pass contentType (Dwolla takes ${accepted})`);
  }
  if (!(type in DWOLLA_DOCUMENT_CONTENT_TYPES)) {
    refuse(`Dwolla does not take ${type} documents (it takes ${accepted})`);
  }
  return type;
}

/**
 * A stream read once into a Blob, chunk by chunk (each chunk copied once, then let go). The
 * caller's abort cancels it at once, even while a read is stalled.
 */
async function streamToBlob(
  stream: ReadableStream<Uint8Array>,
  type: string,
  signal: AbortSignal | undefined,
): Promise<Blob> {
  const parts: Blob[] = [];
  let size = 0;
  await readStream(stream, signal, (value) => {
    if (!(value instanceof Uint8Array)) refuse('the file stream must yield Uint8Array chunks');
    size += value.byteLength;
    if (size > DWOLLA_DOCUMENT_MAX_BYTES) tooLarge(`more than ${DWOLLA_DOCUMENT_MAX_BYTES}`);
    parts.push(new Blob([value as BlobPart]));
  });
  return new Blob(parts, { type });
}

/**
 * The file as one Blob of the given type, within Dwolla's size limit: what FormData sends, and
 * re-reads for a 401 replay or a retry without another copy. A Blob is used as is (re-typed
 * without copying if needed), bytes are copied once, a stream is read once.
 */
export async function documentBlob(
  file: DocumentFile,
  type: string,
  signal: AbortSignal | undefined,
): Promise<Blob> {
  if (file instanceof Blob) {
    if (file.size > DWOLLA_DOCUMENT_MAX_BYTES) tooLarge(file.size);
    return file.type === type ? file : file.slice(0, file.size, type);
  }
  if (file instanceof ArrayBuffer || ArrayBuffer.isView(file)) {
    if (file.byteLength > DWOLLA_DOCUMENT_MAX_BYTES) tooLarge(file.byteLength);
    return new Blob([file as BlobPart], { type });
  }
  if (file instanceof ReadableStream) return streamToBlob(file, type, signal);
  return refuse(
    'file must be a Blob or File, a Uint8Array or Buffer, an ArrayBuffer or a ReadableStream',
  );
}
