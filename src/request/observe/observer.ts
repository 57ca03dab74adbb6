import type {
  DwollaAttemptEvent,
  DwollaHooks,
  DwollaResponseEvent,
  DwollaRetryEvent,
} from '../../common/hooks.js';

/** What the stages report to: the user's hooks and the debug log, behind one object. */
export interface Observer {
  /** False when there is neither a hook for attempts or responses nor a debug log: nothing to report per send. */
  readonly watchesAttempts: boolean;
  attempt(event: DwollaAttemptEvent): void;
  response(event: DwollaResponseEvent): void;
  retry(event: DwollaRetryEvent): void;
}

export function createObserver(
  hooks: DwollaHooks,
  log: ((event: DwollaResponseEvent) => void) | undefined,
): Observer {
  return {
    watchesAttempts: Boolean(log || hooks.onAttempt || hooks.onResponse),
    attempt: (event) => hooks.onAttempt?.(event),
    response(event) {
      log?.(event);
      hooks.onResponse?.(event);
    },
    retry: (event) => hooks.onRetry?.(event),
  };
}
