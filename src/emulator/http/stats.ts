/** Counts of what the emulator was asked, from `emu.stats()`. */
export type Stats = {
  /** Requests to the token endpoint, whatever their outcome. */
  tokenRequests: number;
  /** Requests routed to each operation (the token endpoint's included), by operationId,
   * whatever their outcome: faults, auth and validation failures count too. */
  calls: Record<string, number>;
  /** The sum of `calls`. */
  totalCalls: number;
  /** Requests that matched no operation (404/405). */
  unmatched: number;
};

/** One request and the emulator's answer, for a contract suite to inspect. */
export type RecordedRequest = {
  /** When it arrived (ISO 8601, the emulator's `now` clock). */
  time: string;
  /** The request's method. */
  method: string;
  /** Path without the query string, e.g. `/customers/abc`. */
  path: string;
  /** The raw query string without `?` ('' when none). */
  query: string;
  /** The operation it was routed to; undefined when none matched. */
  operationId: string | undefined;
  /** The request headers as received (Authorization redacted). */
  headers: Record<string, string | string[] | undefined>;
  /** The request body as text ('' when none). */
  body: string;
  /** The response; undefined while unanswered (or forever, for a hung request). */
  response?: {
    /** The status answered. */
    status: number;
    /** The headers answered. */
    headers: Record<string, string>;
    /** The body answered, as text. */
    body: string;
  };
};

export type Recorder = {
  request(entry: RecordedRequest, isToken: boolean): void;
  stats(): Stats;
  requests(): RecordedRequest[];
  /** The last `count` requests, oldest first, as kept (not copies: for reading only). */
  recent(count: number): readonly Readonly<RecordedRequest>[];
  reset(): void;
};

/** The most recent requests kept in the log. */
export const REQUEST_LOG_LIMIT = 1000;

export function createRecorder(): Recorder {
  let tokenRequests = 0;
  let unmatched = 0;
  // A Map: an operationId such as `constructor` or `__proto__` is a key like any other.
  const calls = new Map<string, number>();
  let log: RecordedRequest[] = [];
  return {
    request(entry, isToken) {
      if (isToken) tokenRequests++;
      if (entry.operationId === undefined) unmatched++;
      else calls.set(entry.operationId, (calls.get(entry.operationId) ?? 0) + 1);
      log.push(entry);
      if (log.length > REQUEST_LOG_LIMIT) log = log.slice(-REQUEST_LOG_LIMIT);
    },
    stats() {
      const totalCalls = [...calls.values()].reduce((a, b) => a + b, 0);
      // Own data properties, whatever the names (Object.fromEntries defines, never assigns).
      return { tokenRequests, calls: Object.fromEntries(calls), totalCalls, unmatched };
    },
    requests() {
      return log.map((entry) => structuredClone(entry));
    },
    recent: (count) => log.slice(-count),
    reset() {
      tokenRequests = 0;
      unmatched = 0;
      calls.clear();
      log = [];
    },
  };
}
