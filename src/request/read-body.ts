import { DwollaError, DwollaNetworkError, DwollaResponseTooLargeError } from '../errors.js';
import type { Stage } from './stage.js';
import { bufferedBody, createBufferedResponse } from './buffered-response.js';
import { discardBody } from './discard-body.js';

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

/** The error for a body over `limit`, whichever stage (or the transport) found it. */
export function tooLarge(request: { method: string; url: URL }, limit: number) {
  return new DwollaResponseTooLargeError(
    `${request.method} ${request.url.pathname}: the response body is larger than ${limit} bytes (maxResponseBytes)`,
  );
}

async function readAtMost(
  body: ReadableStream<Uint8Array>,
  limit: number,
  onTooLarge: () => DwollaError,
): Promise<Uint8Array<ArrayBuffer>> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // Cancelling tells the transport to drop the rest: the connection is released.
      await reader.cancel().catch(() => {});
      throw onTooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * Reads the whole response body within the attempt (so the attempt timeout covers it), at
 * most `limit` bytes after decompression, and hands on a Response backed by those bytes. A
 * transport's response whose body is already in memory (createUndiciFetch(), which stopped at
 * the same limit) is handed on as it is: no stream, no copy.
 */
export function createReadBodyStage(limit: number): Stage {
  return async (request, next) => {
    const response = await next(request);
    if (response.status < 200 || response.status > 599) {
      await discardBody(response);
      throw new DwollaError(
        `${request.method} ${request.url.pathname}: unusable response (status ${response.status}, type ${response.type})`,
      );
    }
    const empty = (bytes: Uint8Array | null) =>
      NULL_BODY_STATUS.has(response.status) || bytes === null || bytes.byteLength === 0;
    const inMemory = bufferedBody(response);
    if (inMemory !== undefined) {
      const { bytes, init } = inMemory;
      if (bytes !== null && bytes.byteLength > limit) throw tooLarge(request, limit);
      // An empty body stays empty (null), as below.
      return bytes !== null && empty(bytes) ? createBufferedResponse(null, init) : response;
    }
    const declared = Number(response.headers.get('Content-Length') ?? NaN);
    if (declared > limit) {
      await discardBody(response);
      throw tooLarge(request, limit);
    }
    let bytes: Uint8Array<ArrayBuffer> | null = null;
    if (response.body !== null) {
      try {
        bytes = await readAtMost(response.body, limit, () => tooLarge(request, limit));
      } catch (error) {
        if (error instanceof DwollaError || request.signal?.aborted) throw error;
        throw new DwollaNetworkError(
          `${request.method} ${request.url.pathname}: the connection failed while reading the response`,
          { status: response.status, cause: error },
        );
      }
    }
    // An empty body stays empty (null), as fetch gives it for Dwolla's 201 with a Location.
    return createBufferedResponse(empty(bytes) ? null : bytes, {
      status: response.status,
      statusText: response.statusText,
      rawHeaders: response.headers,
      url: response.url,
      redirected: false,
      type: 'default',
    });
  };
}
