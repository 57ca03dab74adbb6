import type {
  DwollaAttemptEvent,
  DwollaHooks,
  DwollaResponseEvent,
  DwollaRetryEvent,
} from '../../common/hooks.js';
import { describeError, shielded } from '../../common/user-callback.js';

/** What the stages report to: the user's hooks and the debug log, behind one object. */
export interface Observer {
  /** False when there is neither a hook for attempts or responses nor a debug log: nothing to report per send. */
  readonly watchesAttempts: boolean;
  attempt(event: DwollaAttemptEvent): void;
  response(event: DwollaResponseEvent): void;
  retry(event: DwollaRetryEvent): void;
}

/**
 * The observer over the user's hooks and debug log, each shielded (common/user-callback.ts): a
 * callback that throws or rejects changes nothing, and its first failure is told once through
 * `warn`, its text redacted.
 */
export function createObserver(
  hooks: DwollaHooks,
  log: ((event: DwollaResponseEvent) => void) | undefined,
  warn: (message: string) => void,
  redact: (text: string) => string,
): Observer {
  const shield = <E>(name: string, callback: ((event: E) => unknown) | undefined) =>
    callback &&
    shielded(callback, (error) =>
      warn(
        `dwolla-openapi-client: ${name} threw ${redact(describeError(error))}; ignored ` +
          "(a callback never changes a call's outcome; later failures are not told)",
      ),
    );
  const onAttempt = shield('hooks.onAttempt', hooks.onAttempt);
  const onResponse = shield('hooks.onResponse', hooks.onResponse);
  const onRetry = shield('hooks.onRetry', hooks.onRetry);
  const debug = shield('debug', log);
  return {
    watchesAttempts: Boolean(debug || onAttempt || onResponse),
    attempt: (event) => onAttempt?.(event),
    response(event) {
      debug?.(event);
      onResponse?.(event);
    },
    retry: (event) => onRetry?.(event),
  };
}
