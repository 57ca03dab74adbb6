import { callerAbortError } from './abort.js';

/**
 * Reads a stream to its end, handing each chunk to `onChunk` (which may throw to stop). The
 * caller's abort cancels the stream at once, even while a read is stalled, and rejects with the
 * caller's DwollaAbortError; any other failure cancels the stream and rejects with its error.
 */
export async function readStream<T>(
  stream: ReadableStream<T>,
  signal: AbortSignal | undefined,
  onChunk: (chunk: T) => void,
): Promise<void> {
  if (signal?.aborted) throw callerAbortError(signal);
  const reader = stream.getReader();
  const onAbort = () => void reader.cancel(signal!.reason).catch(() => {});
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (signal?.aborted) throw callerAbortError(signal);
      if (done) return;
      onChunk(value);
    }
  } catch (error) {
    if (signal?.aborted) throw callerAbortError(signal);
    await reader.cancel(error).catch(() => {});
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
