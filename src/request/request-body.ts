import { readStream } from '../common/read-stream.js';
import { DwollaAbortError, DwollaRequestRefusedError } from '../errors.js';
import { concatBytes } from '../transport/bytes.js';

/** A body every attempt can send again: text or bytes of its own. */
export type ReplayableBody = string | Uint8Array | undefined;

export interface Encoded {
  body: ReplayableBody;
  /** The type fetch would send with it, for a request that names none. */
  contentType: string | undefined;
}

const TEXT = 'text/plain;charset=UTF-8';
const FORM = 'application/x-www-form-urlencoded;charset=UTF-8';

/** Bytes of their own: a later change to the caller's buffer is not sent. */
function copy(view: ArrayBuffer | ArrayBufferView): Uint8Array {
  return view instanceof ArrayBuffer
    ? new Uint8Array(view.slice(0))
    : new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
}

/**
 * `body` as a replayable body and its content type, as fetch extracts them: at once for text,
 * bytes and URLSearchParams; read once for a Blob, FormData (multipart, its boundary fixed) or a
 * stream. A read ends as soon as the caller's `signal` aborts (a stalled stream included).
 */
export function replayableBody(
  body: unknown,
  signal: AbortSignal | undefined,
): Encoded | Promise<Encoded> {
  if (body === undefined || body === null) return { body: undefined, contentType: undefined };
  if (typeof body === 'string') return { body, contentType: TEXT };
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) {
    return { body: copy(body), contentType: undefined };
  }
  if (body instanceof URLSearchParams) return { body: body.toString(), contentType: FORM };
  if (body instanceof ReadableStream) return readBodyStream(body, signal);
  if (body instanceof Blob || body instanceof FormData) return read(new Response(body));
  throw new DwollaRequestRefusedError(
    'Refused a request body that is not a string, bytes, Blob, FormData, URLSearchParams or stream',
  );
}

function refusedUnreadable(cause: unknown): DwollaRequestRefusedError {
  return new DwollaRequestRefusedError('Refused a request whose body could not be read', { cause });
}

/** A Blob or FormData, in memory or on disk: fetch's own extraction gives bytes and type. */
async function read(extracted: Response): Promise<Encoded> {
  try {
    const contentType = extracted.headers.get('Content-Type') ?? undefined;
    return { body: new Uint8Array(await extracted.arrayBuffer()), contentType };
  } catch (cause) {
    throw refusedUnreadable(cause);
  }
}

/** A stream, read to its end; the caller's abort cancels it, even while a read is stalled. */
async function readBodyStream(
  stream: ReadableStream,
  signal: AbortSignal | undefined,
): Promise<Encoded> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    await readStream<unknown>(stream, signal, (chunk) => {
      if (!(chunk instanceof Uint8Array)) {
        throw new TypeError('a body stream must yield Uint8Array chunks');
      }
      chunks.push(chunk);
      size += chunk.byteLength;
    });
  } catch (cause) {
    if (cause instanceof DwollaAbortError) throw cause;
    throw refusedUnreadable(cause);
  }
  return { body: concatBytes(chunks, size), contentType: undefined };
}
