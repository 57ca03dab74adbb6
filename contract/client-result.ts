/** Compares what the generated function returned with what the emulator put on the wire. */
import { isDeepStrictEqual } from 'node:util';
import type { RecordedRequest } from '../src/emulator/index.js';

export type ClientResult = { data?: unknown; error?: unknown; response?: Response };

export function compareResult(
  result: ClientResult,
  wire: NonNullable<RecordedRequest['response']>,
): string[] {
  if (!result.response) return ['the client returned no response'];
  const problems: string[] = [];
  if (result.response.status !== wire.status) {
    problems.push(
      `the client returned status ${result.response.status}, the wire had ${wire.status}`,
    );
  }
  const location = result.response.headers.get('location') ?? undefined;
  if (location !== wire.headers.location) {
    problems.push(
      `the client returned Location ${location}, the wire had ${wire.headers.location}`,
    );
  }
  if (!/^2/.test(String(wire.status))) return problems;
  let sent: unknown;
  try {
    sent = wire.body === '' ? undefined : JSON.parse(wire.body);
  } catch {
    return problems; // not JSON: the response checks report it
  }
  if (!isDeepStrictEqual(redactedAsLogged(result.data, sent), sent)) {
    const shown =
      result.data instanceof ReadableStream ? 'a ReadableStream' : JSON.stringify(result.data);
    problems.push(
      `the client returned data ${String(shown).slice(0, 200)}, the wire had ${wire.body.slice(0, 200) || '(empty)'}`,
    );
  }
  return problems;
}

/** The emulator's request log keeps no token: compare a token answer with it redacted. */
function redactedAsLogged(data: unknown, logged: unknown): unknown {
  const isRecord = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isRecord(data) || !isRecord(logged) || logged.access_token !== '[redacted]') return data;
  return { ...data, access_token: '[redacted]' };
}
