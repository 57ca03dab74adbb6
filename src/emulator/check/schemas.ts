import type * as Ajv2020Module from 'ajv/dist/2020.js';
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type AddFormats from 'ajv-formats';
import type { OpenApiDocument } from '../spec/load-spec.js';
import { emulatorPeer } from '../peers.js';
import { isRecord, resolve } from '../spec/spec-pointer.js';

/** One failed rule, shaped as Dwolla reports it in `_embedded.errors`. */
export type FieldError = { code: string; message: string; path: string };

export type SchemaChecker = {
  /**
   * Checks data against the schema at a pointer into the spec; [] when it holds. `lenient`
   * (the default) reads every `oneOf` as `anyOf`: many of Dwolla's oneOf branches overlap (see
   * README), so a value matching two of them is accepted; `strict` is plain JSON Schema; `first`
   * is lenient but stops at the first error (bounded time for large bodies).
   */
  check(at: string, data: unknown, mode?: 'lenient' | 'strict' | 'first'): FieldError[];
  /** Checks data against an inline schema (made once per key, with `ref` giving a `$ref` to a
   * schema of the spec), coercing strings to the declared types first (for path, query and
   * header values, which arrive as text). */
  checkCoercing(
    key: string,
    schema: (ref: (at: string) => object) => object,
    data: unknown,
  ): FieldError[];
  /**
   * Runs a synchronous step that changes nothing, noting the validators it lacks instead of
   * compiling them: each check that lacks one answers "valid" meanwhile (see compile-ahead.ts).
   */
  noting<T>(step: () => T): { value: T; wanted: WantedValidator[] };
  /** Whether a check of the step being noted was answered without its validator: what the step
   * computes is then a guess that no cache may keep. */
  guessing(): boolean;
  /** Keeps a validator made elsewhere (from another checker's `exportCode`). */
  adopt(wanted: WantedValidator, validate: ValidateFunction): void;
  /** Ajv's standalone code of the validator, compiled here first if need be (needs `source`). */
  exportCode(wanted: WantedValidator): string;
};

type Kind = 'lenient' | 'strict' | 'coercing' | 'first';
/** A validator a checker lacks: its variant, its key, and the schema to compile. */
export type WantedValidator = { kind: Kind; key: string; schema: object };

const SPEC_ID = 'openapi';
const Ajv = emulatorPeer<typeof Ajv2020Module>('ajv/dist/2020.js').Ajv2020;
const addFormats = emulatorPeer<typeof AddFormats>('ajv-formats').default;
const standaloneCode = lazy(
  () =>
    emulatorPeer<{ default: (ajv: Ajv2020, fn: ValidateFunction) => string }>(
      'ajv/dist/standalone/index.js',
    ).default,
);
const VALID = Object.assign(() => true, { errors: null }) as unknown as ValidateFunction;

/**
 * JSON Schema 2020-12 validation (ajv's Ajv2020) of values against the spec's schemas. The whole
 * document is registered once per validator and every schema is addressed by `$ref`, so ajv
 * resolves the spec's references (cyclic ones too) itself; validators compile on first use.
 * `source` keeps each validator's code, for `exportCode`.
 */
export function createSchemaChecker(doc: OpenApiDocument, source = false): SchemaChecker {
  const relaxed = oneOfAsAnyOf(doc);
  const validators = {
    lenient: lazy(() => withSpec(newAjv(false, true, source), relaxed)),
    strict: lazy(() => withSpec(newAjv(false, true, source), doc)),
    coercing: lazy(() => withSpec(newAjv('array', true, source), relaxed)),
    first: lazy(() => withSpec(newAjv(false, false, source), relaxed)),
  };
  const cache = new Map<string, ValidateFunction>();
  let noted: WantedValidator[] | undefined;
  const refTo = (kind: Kind, at: string) =>
    specRef(kind === 'strict' ? at : renamedPointer(doc, at));
  const compile = ({ kind, key, schema }: WantedValidator) => {
    let fn = cache.get(`${kind} ${key}`);
    if (!fn) cache.set(`${kind} ${key}`, (fn = validators[kind]().compile(schema)));
    return fn;
  };
  const compiled = (kind: Kind, key: string, schema: () => object) => {
    const fn = cache.get(`${kind} ${key}`);
    if (fn) return fn;
    if (!noted) return compile({ kind, key, schema: schema() });
    noted.push({ kind, key, schema: schema() });
    return VALID;
  };
  const run = (fn: ValidateFunction, data: unknown) => (fn(data) ? [] : toFieldErrors(fn.errors));

  return {
    check(at, data, mode = 'lenient') {
      const errors = run(
        compiled(mode, at, () => refTo(mode, at)),
        data,
      );
      if (!errors.length) return errors;
      // For a schema that is a choice (oneOf/anyOf, e.g. Dwolla's kinds of customer), ajv reports
      // the failures of every branch; report those of the branch that came closest instead.
      const schema = resolve(doc, { $ref: at }, at);
      const keyword = ['oneOf', 'anyOf'].find((k) => Array.isArray(schema?.value[k]));
      if (!schema || !keyword) return errors;
      const branches = (schema.value[keyword] as unknown[]).map((_, i) => {
        const branchAt = `${schema.at}/${keyword}/${i}`;
        return run(
          compiled(mode, branchAt, () => refTo(mode, branchAt)),
          data,
        );
      });
      if (branches.some((b) => b.length === 0)) return errors;
      return branches.reduce((best, b) => (b.length < best.length ? b : best));
    },
    checkCoercing(key, schema, data) {
      return run(
        compiled('coercing', key, () => schema((at) => refTo('coercing', at))),
        data,
      );
    },
    noting(step) {
      const outer = noted;
      const wanted: WantedValidator[] = (noted = []);
      const distinct = () => [...new Map(wanted.map((w) => [`${w.kind} ${w.key}`, w])).values()];
      try {
        return { value: step(), wanted: distinct() };
      } catch (error) {
        // A guess can lead a step astray; with the validators it lacks, it runs as it should.
        if (!wanted.length) throw error;
        return { value: undefined as never, wanted: distinct() };
      } finally {
        noted = outer;
      }
    },
    guessing: () => (noted?.length ?? 0) > 0,
    adopt: ({ kind, key }, fn) => void cache.set(`${kind} ${key}`, fn),
    exportCode: (wanted) => standaloneCode()(validators[wanted.kind](), compile(wanted)),
  };
}

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

function withSpec(ajv: Ajv2020, doc: unknown): Ajv2020 {
  ajv.addSchema(doc as object, SPEC_ID, undefined, false);
  return ajv;
}

/** A copy of the document in which every `oneOf` list is an `anyOf` list. */
function oneOfAsAnyOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(oneOfAsAnyOf);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[renamed(value, key) ? 'anyOf' : key] = oneOfAsAnyOf(item);
  }
  return out;
}

function renamed(node: Record<string, unknown>, key: string): boolean {
  return key === 'oneOf' && Array.isArray(node.oneOf) && !('anyOf' in node);
}

/** The pointer into the `oneOfAsAnyOf` copy that addresses what `at` addresses in the spec. */
function renamedPointer(doc: unknown, at: string): string {
  let node: unknown = doc;
  const segments = at
    .replace(/^#/, '')
    .split('/')
    .slice(1)
    .map((segment) => {
      const key = decodeURIComponent(segment).replaceAll('~1', '/').replaceAll('~0', '~');
      const parent = isRecord(node) ? node : {};
      node = Array.isArray(node) ? node[Number(key)] : parent[key];
      return renamed(parent, key) ? 'anyOf' : segment;
    });
  return '#' + segments.map((s) => '/' + s).join('');
}

function specRef(at: string): { $ref: string } {
  return { $ref: SPEC_ID + at };
}

function newAjv(coerceTypes: false | 'array', allErrors: boolean, source: boolean): Ajv2020 {
  // strict: false lets OpenAPI's own keywords (example, discriminator, xml…) through;
  // unicodeRegExp: false because Dwolla's POST /transfers pattern is not valid with the u flag.
  const code = { source };
  const ajv = new Ajv({ strict: false, allErrors, unicodeRegExp: false, coerceTypes, code });
  addFormats(ajv);
  return ajv;
}

/** Validator errors turned into field errors at most (a huge invalid body has one per member). */
export const MAX_FIELD_ERRORS = 1000;

function toFieldErrors(errors: ErrorObject[] | null | undefined): FieldError[] {
  const out = new Map<string, FieldError>();
  for (const e of (errors ?? []).slice(0, MAX_FIELD_ERRORS)) {
    const error = toFieldError(e);
    out.set(`${error.path}\0${error.code}\0${error.message}`, error);
  }
  const all = [...out.values()];
  // "must match exactly one schema in oneOf" adds nothing when the branches' errors are listed.
  const specific = all.filter(
    (e) => e.code !== 'Invalid' || !/ schemas? in (oneOf|anyOf)$/.test(e.message),
  );
  return specific.length ? specific : all;
}

function toFieldError(e: ErrorObject): FieldError {
  const params = isRecord(e.params) ? e.params : {};
  if (e.keyword === 'required' && typeof params.missingProperty === 'string') {
    const path = `${e.instancePath}/${escape(params.missingProperty)}`;
    return { code: 'Required', message: `${params.missingProperty} is required.`, path };
  }
  if (e.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    const path = `${e.instancePath}/${escape(params.additionalProperty)}`;
    return { code: 'NotAllowed', message: `${params.additionalProperty} is not allowed.`, path };
  }
  const name = e.instancePath.split('/').pop() || 'value';
  return {
    code: 'Invalid',
    message: `${unescape(name)} ${e.message ?? 'is invalid'}`,
    path: e.instancePath,
  };
}

const escape = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1');
const unescape = (s: string) => s.replaceAll('~1', '/').replaceAll('~0', '~');
