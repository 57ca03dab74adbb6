import type { HeaderMap } from './header-map.js';

/**
 * The shape every pipeline stage shares: a function of (request, next), as in ky and
 * openapi-fetch middleware. `composeStages` (used once, in pipeline.ts) chains them in order.
 */

/** One request as the stages see it: parsed once, replayable (the body is never a one-shot stream). */
export interface DwollaRequest {
  method: string;
  url: URL;
  headers: HeaderMap;
  body: BodyInit | undefined;
  /** The caller's signal, if any: cancels the whole call, waits included. */
  signal: AbortSignal | undefined;
  /** Attempt bookkeeping, set by the retry and auth stages, read by the observers. */
  attempt: number;
  /** True on the one replay after a 401 with a refreshed token (not counted as a retry). */
  replay: boolean;
}

export type Next = (request: DwollaRequest) => Promise<Response>;
export type Stage = (request: DwollaRequest, next: Next) => Promise<Response>;

/** `composeStages([a, b], send)(r)` runs `a(r, r => b(r, send))`. */
export function composeStages(stages: readonly Stage[], send: Next): Next {
  return stages.reduceRight<Next>((next, stage) => (request) => stage(request, next), send);
}
