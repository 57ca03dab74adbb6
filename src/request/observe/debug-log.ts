import type { DwollaResponseEvent } from '../../common/hooks.js';

/** `DWOLLA_DEBUG=1` (or `true`) turns the debug log on without a code change. */
export const DEBUG_ENV = 'DWOLLA_DEBUG';

/** The one line logged per attempt: no header value but the Authorization scheme. */
export function formatDebugLine(event: DwollaResponseEvent): string {
  const outcome = event.status === undefined ? `failed: ${event.error}` : `HTTP ${event.status}`;
  const parts = [
    `dwolla: ${event.method} ${event.url}`,
    `attempt ${event.attempt}${event.replay ? ' (401 replay)' : ''}`,
    outcome,
    `${Math.round(event.elapsedMs)} ms`,
    `request-id ${event.requestId ?? '-'}`,
    `auth ${event.authorization ?? '-'}`,
  ];
  if (event.idempotencyKey !== undefined) parts.push(`idempotency-key ${event.idempotencyKey}`);
  return parts.join(' | ');
}

function envEnabled(): boolean {
  const value = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env?.[DEBUG_ENV];
  return value === '1' || value?.toLowerCase() === 'true';
}

/**
 * The debug logger for the `debug` option: a function receives each line; `true` writes to
 * stderr (console.error); `false` turns it off; undefined follows `DWOLLA_DEBUG`.
 */
export function createDebugLog(
  debug: boolean | ((line: string) => void) | undefined,
): ((event: DwollaResponseEvent) => void) | undefined {
  const write =
    typeof debug === 'function'
      ? debug
      : (debug ?? envEnabled())
        ? (line: string) => console.error(line)
        : undefined;
  return write && ((event) => write(formatDebugLine(event)));
}
