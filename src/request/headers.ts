/**
 * A request's headers inside the pipeline: a plain record, names in lower case, values checked
 * as `Headers` checks them (a TypeError otherwise), a repeated name joined as `Headers#append`
 * joins it. It has no prototype, so a header named `__proto__` or `constructor` is a header like
 * any other. Stages add headers to a copy (`withHeaders`), never in place.
 */

export type HeaderRecord = Readonly<Record<string, string>>;

/** RFC 9110 token: the characters a header name may have. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What `Headers` refuses in a value: NUL, CR, LF, and anything that is not a byte. */
const BAD_VALUE = /[\0\r\n\u0100-\uffff]/;
/** HTTP whitespace around a value, which `Headers` removes. */
const OUTER_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;

const empty = () => Object.create(null) as Record<string, string>;

function append(record: Record<string, string>, name: string, value: string): void {
  name = String(name);
  if (!TOKEN.test(name)) throw new TypeError(`"${name}" is an invalid header name.`);
  const checked = String(value).replace(OUTER_WHITESPACE, '');
  if (BAD_VALUE.test(checked)) throw new TypeError(`Invalid value for header "${name}".`);
  const key = name.toLowerCase();
  record[key] = key in record ? `${record[key]}, ${checked}` : checked;
}

/** The headers of `init` (a `Headers`, pairs or a record), checked; a TypeError otherwise. */
export function headerRecord(init: HeadersInit | undefined | null): HeaderRecord {
  const record = empty();
  if (init === undefined || init === null) return record;
  if (init instanceof Headers) {
    // Already checked and joined.
    init.forEach((value, name) => {
      record[name] = value;
    });
  } else if (Symbol.iterator in Object(init)) {
    for (const pair of init as Iterable<readonly string[]>) {
      if (pair.length !== 2) throw new TypeError('A header pair must have a name and a value.');
      append(record, pair[0]!, pair[1]!);
    }
  } else {
    const given = init as Record<string, string>;
    for (const name of Object.keys(given)) append(record, name, given[name]!);
  }
  return record;
}

/** A copy of `headers` with `added` set (names in lower case, values the pipeline's own). */
export function withHeaders(headers: HeaderRecord, added: HeaderRecord): HeaderRecord {
  return Object.assign(empty(), headers, added);
}
