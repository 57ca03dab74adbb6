import { createHash } from 'node:crypto';
import type { Reply } from './replies.js';

/** How long Dwolla replays an Idempotency-Key's answer. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Keys remembered at most (the oldest are forgotten first). */
export const IDEMPOTENCY_KEYS_KEPT = 10_000;

export type Claim =
  /** First use: handle the request, then settle the claim with the answer. */
  | { kind: 'new'; settle(reply: Reply | undefined): void }
  /** Seen before with the same request: answer this again. */
  | { kind: 'replay'; reply: Reply }
  /** The first request with this key is still being handled. */
  | { kind: 'in-flight' }
  /** Used before for a different request. */
  | { kind: 'mismatch' };

type Entry = { fingerprint: string; at: number; reply?: Reply };

/**
 * Idempotency-Key replay as Dwolla does it: within 24 hours (of the emulator's clock) the same key
 * and request get the first answer again without creating anything; while the first is still being
 * handled, 409. Answers that say "try again" (5xx, 429) are not kept, so a retry runs afresh.
 */
export function createIdempotency(now: () => number) {
  const entries = new Map<string, Entry>();
  return {
    claim(key: string, request: { method: string; path: string; body: Buffer }): Claim {
      const fingerprint = createHash('sha256')
        .update(`${request.method} ${request.path}\n`)
        .update(request.body)
        .digest('hex');
      const found = entries.get(key);
      if (found && now() - found.at >= IDEMPOTENCY_WINDOW_MS) entries.delete(key);
      else if (found) {
        if (found.fingerprint !== fingerprint) return { kind: 'mismatch' };
        return found.reply ? { kind: 'replay', reply: found.reply } : { kind: 'in-flight' };
      }
      const entry: Entry = { fingerprint, at: now() };
      entries.set(key, entry);
      if (entries.size > IDEMPOTENCY_KEYS_KEPT) entries.delete(entries.keys().next().value!);
      return {
        kind: 'new',
        settle(reply) {
          if (reply && reply.status < 500 && reply.status !== 429) entry.reply = reply;
          else if (entries.get(key) === entry) entries.delete(key);
        },
      };
    },
    clear: () => entries.clear(),
  };
}

export type Idempotency = ReturnType<typeof createIdempotency>;
