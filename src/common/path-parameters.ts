import { isDotSegment } from './dot-segments.js';

/** What a generated operation's call gives hey-api's client: the path template and its values. */
export interface OperationCall {
  url: string;
  method?: string;
  path?: Record<string, unknown>;
}

const PLACEHOLDER = /\{([^{}]+)\}/g;

/** The parameter names in one segment of a path template (`{id}`, `{.id*}`, `{;id}`). */
function parameterNames(segment: string): string[] {
  return Array.from(segment.matchAll(PLACEHOLDER), ([, raw]) =>
    raw!.replace(/^[.;]/, '').replace(/\*$/, ''),
  );
}

/** A path parameter's value as strings: itself, or each item of an array or object. */
function valueStrings(value: unknown): string[] {
  if (value === undefined || value === null || value instanceof Date) return [];
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'object') return Object.values(value).map(String);
  return [String(value)];
}

/**
 * Refuses a generated operation's call whose path parameter would change the path's segments:
 * a TypeError naming the parameter, thrown before anything is sent. Checked on each value as
 * given (`..`, `.`, and `%2e` forms, which a server or gateway that decodes twice reads as dots)
 * and on the path hey-api serializes from the template (`serializedPath`: a label-style
 * parameter adds its own `.`), which is built only when a value or the template has a dot.
 */
export function checkPathParameters(call: OperationCall, serializedPath: () => string): void {
  const { path } = call;
  if (!path || !call.url.includes('{')) return;
  const template = call.url.startsWith('/') ? call.url : `/${call.url}`;
  const segments = template.split('/');
  const refuse = (names: string[], made: string): never => {
    const which = names.map((name) => `"${name}"`).join(', ');
    throw new TypeError(
      `${call.method ?? 'GET'} ${template}: path parameter ${which} makes the segment ` +
        `${JSON.stringify(made)}, which URL parsing resolves to another path; refused before sending`,
    );
  };
  let hasDot = template.includes('{.');
  for (const segment of segments) {
    for (const name of parameterNames(segment)) {
      for (const value of valueStrings(path[name])) {
        if (isDotSegment(value)) refuse([name], value);
        hasDot ||= value.includes('.');
      }
    }
  }
  if (!hasDot) return;
  // hey-api percent-encodes path values (a `/` included): the serialized path has the template's
  // segments, and only a segment with parameters can have become a dot segment.
  const made = serializedPath().split('/');
  for (const [index, segment] of segments.entries()) {
    const names = parameterNames(segment);
    if (names.length > 0 && isDotSegment(made[index]!)) refuse(names, made[index]!);
  }
}
