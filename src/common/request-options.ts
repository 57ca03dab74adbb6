import type { DwollaHooks } from './hooks.js';
import { timeLimitProblem } from './time-limit.js';

/** Options of the request pipeline (`dwolla.fetch`), part of createDwollaClient's options. */
export interface DwollaRequestOptions {
  /** Bounds each attempt (waiting for a connection, headers, body), in ms. Default 30 000. */
  attemptTimeoutMs?: number;
  /**
   * Bounds a whole call, in ms: the token wait, every attempt and every wait between retries.
   * Default: none (each attempt is bounded, and retries are few).
   */
  callTimeoutMs?: number;
  /** Retries after the first attempt for 429, 500, 502, 503, 504, network errors and timeouts. Default 2; 0 turns retries off. */
  maxRetries?: number;
  /** The largest response body read (after decompression), in bytes, token responses included. Default 10 MiB. */
  maxResponseBytes?: number;
  /** Watch every attempt, response and retry. */
  hooks?: DwollaHooks;
  /** One line per attempt: a function receives each line, `true` writes to stderr. Default: on when DWOLLA_DEBUG=1. */
  debug?: boolean | ((line: string) => void);
}

export const DEFAULT_ATTEMPT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RETRIES = 2;
/** 10 MiB: far above any Dwolla JSON answer, far below what hurts a server's memory. */
export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

export interface ResolvedRequestOptions {
  attemptTimeoutMs: number;
  callTimeoutMs: number | undefined;
  maxRetries: number;
  maxResponseBytes: number;
  hooks: DwollaHooks;
  debug: boolean | ((line: string) => void) | undefined;
}

function fail(option: string, requirement: string): never {
  throw new TypeError(`createDwollaClient: options.${option} ${requirement}`);
}

function timeLimit(value: unknown, option: string): number | undefined {
  if (value === undefined) return undefined;
  const problem = timeLimitProblem(value);
  if (problem !== undefined) fail(option, problem);
  return value as number;
}

function checkNumber(
  value: unknown,
  option: string,
  fallback: number,
  valid: (n: number) => boolean,
  requirement: string,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !valid(value)) fail(option, requirement);
  return value;
}

/** Checks the pipeline options at construction; throws a TypeError naming the offending option. */
export function resolveRequestOptions(options: DwollaRequestOptions): ResolvedRequestOptions {
  const hooks = options.hooks === undefined ? {} : options.hooks;
  if (typeof hooks !== 'object' || hooks === null) fail('hooks', 'must be an object');
  for (const name of ['onAttempt', 'onResponse', 'onRetry'] as const) {
    if (hooks[name] !== undefined && typeof hooks[name] !== 'function') {
      fail(`hooks.${name}`, 'must be a function');
    }
  }
  if (
    options.debug !== undefined &&
    typeof options.debug !== 'boolean' &&
    typeof options.debug !== 'function'
  ) {
    fail('debug', 'must be a boolean or a function receiving each line');
  }
  return {
    attemptTimeoutMs:
      timeLimit(options.attemptTimeoutMs, 'attemptTimeoutMs') ?? DEFAULT_ATTEMPT_TIMEOUT_MS,
    callTimeoutMs: timeLimit(options.callTimeoutMs, 'callTimeoutMs'),
    maxRetries: checkNumber(
      options.maxRetries,
      'maxRetries',
      DEFAULT_MAX_RETRIES,
      (n) => Number.isInteger(n) && n >= 0 && n <= 10,
      'must be an integer from 0 to 10',
    ),
    maxResponseBytes: checkNumber(
      options.maxResponseBytes,
      'maxResponseBytes',
      DEFAULT_MAX_RESPONSE_BYTES,
      (n) => Number.isFinite(n) && n > 0,
      'must be a positive number of bytes',
    ),
    hooks,
    debug: options.debug,
  };
}
