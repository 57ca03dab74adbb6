/**
 * A request's headers inside the pipeline. WHATWG `Headers` checks every name and value through
 * WebIDL and sorts its names on every read; each call copied one three or four times (the
 * caller's, the normalized request's, each attempt's with its credentials) and the transport
 * read it back into a plain object. This map keeps names in lower case in a plain object, checks
 * names and values as `Headers` does (a TypeError otherwise), and joins a repeated name as
 * `Headers#append` does; `toRecord()` is what undici sends, `toHeaders()` what a `fetch` gets.
 */

/** RFC 9110 token: the characters a header name may have. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What `Headers` refuses in a value: NUL, CR, LF, and anything that is not a byte. */
const BAD_VALUE = /[\0\r\n\u0100-\uffff]/;
/** HTTP whitespace around a value, which `Headers` removes. */
const OUTER_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;
/** A value with none of these is taken as it is (one test instead of a copy and a test). */
const NEEDS_CHECK = /^[\t\n\r ]|[\t\n\r ]$|[\0\r\n\u0100-\uffff]/;

function checkedName(name: string): string {
  name = String(name);
  if (!TOKEN.test(name)) throw new TypeError(`"${name}" is an invalid header name.`);
  return name.toLowerCase();
}

function checkedValue(name: string, value: string): string {
  if (typeof value === 'string' && !NEEDS_CHECK.test(value)) return value;
  const trimmed = String(value).replace(OUTER_WHITESPACE, '');
  if (BAD_VALUE.test(trimmed)) throw new TypeError(`Invalid value for header "${name}".`);
  return trimmed;
}

export class HeaderMap {
  readonly #map: Map<string, string>;

  private constructor(map: Map<string, string>) {
    this.#map = map;
  }

  /** The headers of `init` (a `Headers`, pairs or a record), checked; a TypeError otherwise. */
  static from(init: HeadersInit | HeaderMap | undefined): HeaderMap {
    if (init instanceof HeaderMap) return init.copy();
    const map = new HeaderMap(new Map());
    if (init === undefined || init === null) return map;
    if (init instanceof Headers) {
      // Already checked: copied as they are.
      init.forEach((value, name) => map.#map.set(name, value));
    } else if (Symbol.iterator in Object(init)) {
      for (const pair of init as Iterable<readonly string[]>) {
        if (pair.length !== 2) throw new TypeError('A header pair must have a name and a value.');
        map.append(pair[0]!, pair[1]!);
      }
    } else {
      const record = init as Record<string, string>;
      for (const name of Object.keys(record)) map.append(name, record[name]!);
    }
    return map;
  }

  get(name: string): string | null {
    return this.#map.get(name.toLowerCase()) ?? null;
  }

  has(name: string): boolean {
    return this.#map.has(name.toLowerCase());
  }

  set(name: string, value: string): void {
    this.#map.set(checkedName(name), checkedValue(name, value));
  }

  append(name: string, value: string): void {
    const key = checkedName(name);
    const checked = checkedValue(name, value);
    const had = this.#map.get(key);
    this.#map.set(key, had === undefined ? checked : `${had}, ${checked}`);
  }

  copy(): HeaderMap {
    return new HeaderMap(new Map(this.#map));
  }

  /** A fresh plain object, names in lower case (what undici's dispatcher takes). */
  toRecord(): Record<string, string> {
    const record: Record<string, string> = {};
    for (const [name, value] of this.#map) {
      // A header named __proto__ is an own property, never the object's prototype.
      if (name === '__proto__') {
        Object.defineProperty(record, name, { value, enumerable: true, writable: true });
      } else {
        record[name] = value;
      }
    }
    return record;
  }

  toHeaders(): Headers {
    return new Headers([...this.#map]);
  }
}
