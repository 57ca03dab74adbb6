import type { DwollaTransportResponse } from '../transport/transport.js';

/**
 * The shape every pipeline stage shares: a function of (request, next), as in ky and
 * openapi-fetch middleware. `composeStages` (used once, in pipeline.ts) chains them in order.
 */

/** One request as the stages see it: plain values, parsed once, replayable. */
export interface DwollaRequest {
  method: string;
  url: URL;
  /** Names in lower case, values checked (headers.ts); stages add to a copy, never in place. */
  headers: Readonly<Record<string, string>>;
  /** Replayable: every attempt and the 401 replay send the same bytes. */
  body: string | Uint8Array | undefined;
  /** The caller's signal, if any: cancels the whole call, waits included. */
  signal: AbortSignal | undefined;
  /** When the whole call must have ended (`callTimeoutMs`, on `performance.now()`), if bounded. */
  deadline: number | undefined;
  /** Attempt bookkeeping, set by the retry and auth stages, read by the observers. */
  attempt: number;
  /** True on the one replay after a 401 with a refreshed token (not counted as a retry). */
  replay: boolean;
}

/** An answer, as the transport gave it: status, headers, the whole (bounded, decoded) body. */
export type DwollaAnswer = DwollaTransportResponse;

export type Next = (request: DwollaRequest) => Promise<DwollaAnswer>;
export type Stage = (request: DwollaRequest, next: Next) => Promise<DwollaAnswer>;

/** `composeStages([a, b], send)(r)` runs `a(r, r => b(r, send))`. */
export function composeStages(stages: readonly Stage[], send: Next): Next {
  return stages.reduceRight<Next>((next, stage) => (request) => stage(request, next), send);
}
