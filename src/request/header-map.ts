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

/** `record[name] = value`, a header named `__proto__` included (an own property, not the prototype). */
function put(record: Record<string, string>, name: string, value: string): void {
  if (name === '__proto__') {
    Object.defineProperty(record, name, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    record[name] = value;
  }
}

export class HeaderMap {
  /** A plain object (V8 copies small ones fastest); read only through own properties. */
  readonly #record: Record<string, string>;

  private constructor(record: Record<string, string>) {
    this.#record = record;
  }

  /** The headers of `init` (a `Headers`, pairs or a record), checked; a TypeError otherwise. */
  static from(init: HeadersInit | HeaderMap | undefined): HeaderMap {
    if (init instanceof HeaderMap) return init.copy();
    const map = new HeaderMap({});
    if (init === undefined || init === null) return map;
    if (init instanceof Headers) {
      // Already checked: copied as they are.
      init.forEach((value, name) => put(map.#record, name, value));
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
    const key = name.toLowerCase();
    return Object.hasOwn(this.#record, key) ? this.#record[key]! : null;
  }

  has(name: string): boolean {
    return Object.hasOwn(this.#record, name.toLowerCase());
  }

  set(name: string, value: string): void {
    put(this.#record, checkedName(name), checkedValue(name, value));
  }

  append(name: string, value: string): void {
    const key = checkedName(name);
    const checked = checkedValue(name, value);
    const had = this.get(key);
    put(this.#record, key, had === null ? checked : `${had}, ${checked}`);
  }

  copy(): HeaderMap {
    // Spread defines own properties (a __proto__ header stays one).
    return new HeaderMap({ ...this.#record });
  }

  /** A fresh plain object, names in lower case (what undici's dispatcher takes). */
  toRecord(): Record<string, string> {
    return { ...this.#record };
  }

  toHeaders(): Headers {
    return new Headers(Object.entries(this.#record));
  }
}
