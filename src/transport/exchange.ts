import {
  TransportError,
  type DwollaTransportRequest,
  type DwollaTransportResponse,
} from './transport.js';

/** What an adapter's exchange reports to, once: the answer, or the error it failed with. */
export interface Settle {
  resolve(response: DwollaTransportResponse): void;
  reject(error: unknown): void;
}

/**
 * Starts one exchange; returns how to stop it (drop the connection, cancel the body) when the
 * time limit or the caller's signal ends it first. Called at most once, after which the
 * exchange's late outcome is ignored.
 */
export type StartExchange = (settle: Settle) => (reason: TransportError) => void;

/**
 * The one place where an exchange is bounded: one timer for its time limit, one listener on the
 * caller's signal, both removed the moment it settles (so a long-lived signal passed to many
 * calls holds nothing once they are done, and no timer outlives the exchange). Whichever comes
 * first (the answer, an error, the time limit, the abort) settles it, once.
 */
export function exchange(
  request: DwollaTransportRequest,
  start: StartExchange,
): Promise<DwollaTransportResponse> {
  const { signal, timeoutMs } = request;
  if (signal?.aborted) return Promise.reject(aborted());
  return new Promise<DwollaTransportResponse>((resolve, reject) => {
    let settled = false;
    let stop: ((reason: TransportError) => void) | undefined = undefined;
    const done = () => {
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    // Only the timer and the listener call it, and done() removes both: it runs at most once.
    const end = (reason: TransportError) => {
      done();
      reject(reason);
      stop?.(reason);
    };
    const onAbort = () => end(aborted());
    const timer = setTimeout(
      () => end(new TransportError('timeout', `no complete response within ${timeoutMs} ms`)),
      timeoutMs,
    );
    signal?.addEventListener('abort', onAbort);
    try {
      stop = start({
        resolve(response) {
          if (settled) return;
          done();
          resolve(response);
        },
        reject(error) {
          if (settled) return;
          done();
          reject(error);
        },
      });
    } catch (error) {
      // An adapter that failed to start (a bad request for its library): nothing left behind.
      done();
      reject(error);
    }
  });
}

function aborted(): TransportError {
  return new TransportError('aborted', 'aborted by the caller');
}
