/** Each token store call gets this long (ms) before the client goes on without the store. */
export const DEFAULT_STORE_TIMEOUT_MS = 250;

/** What a guarded call returns when the store failed or did not answer in time. */
export const UNAVAILABLE = Symbol('token store unavailable');

export type Guarded = <T>(call: () => Promise<T>) => Promise<T | typeof UNAVAILABLE>;

/** Names an error by class and code only: a store's messages may echo what it was sent. */
function describe(error: unknown, timeoutMs: number): string {
  if (error === UNAVAILABLE) return `no answer within ${timeoutMs} ms`;
  const name = error instanceof Error ? error.name : typeof error;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,40}$/.test(code) ? `${name} ${code}` : name;
}

/**
 * Runs token store calls within `timeoutMs` each, turning failures and timeouts into
 * UNAVAILABLE, and reports each change of the store's health once through `onWarning` (one
 * line, naming the error's class and code, never its message; the client's onWarning is
 * shielded: a warning hook that throws fails nothing).
 */
export function guardStore(onWarning: (message: string) => void, timeoutMs: number): Guarded {
  let healthy = true;
  /** When the store was last found failing: only a call started after that proves it back. */
  let failedAt = -Infinity;
  return async (call) => {
    const startedAt = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      // Rejects one event-loop turn late: when a busy loop delays both the timer and the
      // store's reply, the reply already received wins.
      timer = setTimeout(() => {
        timer = setTimeout(() => reject(UNAVAILABLE), 0);
      }, timeoutMs);
    });
    try {
      const result = await Promise.race([call(), timeout]);
      if (!healthy && startedAt > failedAt) {
        healthy = true;
        onWarning('dwolla-openapi-client: token store answers again; sharing the token through it');
      }
      return result;
    } catch (error) {
      failedAt = performance.now();
      if (healthy) {
        healthy = false;
        onWarning(
          `dwolla-openapi-client: token store unavailable (${describe(error, timeoutMs)}); ` +
            "using this process's own token cache until it answers",
        );
      }
      return UNAVAILABLE;
    } finally {
      clearTimeout(timer);
    }
  };
}
