/**
 * Patches to the code @hey-api/openapi-ts generates, applied by the generate pipeline so they
 * survive regeneration. Each one names the generator releases it applies to; for every one of
 * them it must find its target exactly once, or generation fails naming the patch (a generator
 * update that changed the code never drops a fix silently). test/generate/hey-api-releases.test.ts
 * applies them with every tested release (scripts/hey-api.ts).
 *
 * A patch of the client runtime (client/, core/) applies where the runtime is generated
 * (`npm run generate`: src/generated/client, which the package ships as
 * `dwolla-openapi-client/client`); users' output imports that runtime instead of a copy, so only
 * patches of the operations (sdk.gen.ts, types.gen.ts) apply to it.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GeneratorError } from './generator-error.js';
import { compareVersions } from './hey-api.js';

export interface ClientFix {
  /** How errors name the patch. */
  name: string;
  /** What it changes, and why. */
  why: string;
  /**
   * The @hey-api/openapi-ts releases it applies to: `from` on, up to `through` when the
   * generator's own code made it unneeded (absent: every later release, so a new one fails
   * loudly when the target moved rather than skipping the patch).
   */
  heyApi: { from: string; through?: string };
  /** The generated file it patches, relative to the output folder. */
  file: string;
  find: RegExp;
  replace: string;
}

const CLIENT = 'client/client.gen.ts';

export const CLIENT_FIXES: readonly ClientFix[] = [
  {
    // An empty 201/204 with no Content-Type resolved `data` as an empty ReadableStream, and an
    // empty JSON answer as `{}`: both are `undefined`, as `dwolla.post` resolves them.
    name: 'empty-answer-data',
    why: 'empty answers resolve data: undefined',
    heyApi: { from: '0.95.0' },
    file: CLIENT,
    find: /case 'stream':\s*emptyData = response\.body;\s*break;\s*case 'json':\s*default:\s*emptyData = \{\};/,
    replace:
      "case 'stream':\n          case 'json':\n          default:\n            emptyData = undefined;",
  },
  {
    name: 'empty-json-data',
    why: 'an empty JSON body resolves data: undefined',
    heyApi: { from: '0.95.0' },
    file: CLIENT,
    find: /data = text \? JSON\.parse\(text\) : \{\};/,
    replace: 'data = text ? JSON.parse(text) : undefined;',
  },
  {
    // Without Content-Type the body is handed on as a stream. Without Content-Length either (a
    // 201 sent chunked) the checks above cannot see that it is empty: it resolved an empty
    // ReadableStream (or null through dwolla.fetch, which buffers it). Its first chunk is read:
    // none is `undefined`, like a Content-Length: 0 answer; otherwise the same bytes stream on.
    name: 'empty-stream-data',
    why: 'an empty stream resolves data: undefined',
    heyApi: { from: '0.95.0' },
    file: CLIENT,
    find: /case 'stream':\s*return opts\.responseStyle === 'data'\s*\? response\.body\s*: \{\s*data: response\.body,\s*\.\.\.result,\s*\};/,
    replace: `case 'stream': {
          const stream = await nonEmptyStream(response.body);
          return opts.responseStyle === 'data' ? stream : { data: stream, ...result };
        }`,
  },
  {
    name: 'empty-stream-helper',
    why: 'the helper of "an empty stream resolves data: undefined"',
    heyApi: { from: '0.95.0' },
    file: CLIENT,
    find: /^export const createClient = /m,
    replace: `/** The body as a stream of the same bytes, or undefined when it has none. */
const nonEmptyStream = async (
  body: ReadableStream<Uint8Array> | null,
): Promise<ReadableStream<Uint8Array> | undefined> => {
  if (body === null) return undefined;
  const reader = body.getReader();
  let first = await reader.read();
  while (!first.done && first.value.byteLength === 0) first = await reader.read();
  if (first.done) return undefined;
  const head = first.value;
  return new ReadableStream<Uint8Array>({
    start: (controller) => controller.enqueue(head),
    pull: async (controller) => {
      const next = await reader.read();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
};

export const createClient = `,
  },
  // The runtime the package ships (`dwolla-openapi-client/client`) serves operations that users
  // generate with any supported release: it exports every name their operations import. Later
  // releases export these themselves, so the patches end there.
  {
    name: 'export-server-sent-events-result',
    why: 'operations from @hey-api/openapi-ts 0.98.0 on import ServerSentEventsResult from the runtime',
    heyApi: { from: '0.95.0', through: '0.97.3' },
    file: 'client/index.ts',
    find: /^export \{ createClient \} from '\.\/client\.gen\.js';$/m,
    replace: `export type { ServerSentEventsResult } from '../core/serverSentEvents.gen.js';
export { createClient } from './client.gen.js';`,
  },
  {
    name: 'client-meta-type',
    why: 'operations from @hey-api/openapi-ts 0.98.2 on type their `meta` option with ClientMeta',
    heyApi: { from: '0.95.0', through: '0.98.1' },
    file: 'core/types.gen.ts',
    find: /^export type OmitNever</m,
    replace: `/**
 * Arbitrary metadata passed through the \`meta\` request option.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ClientMeta {}

export type OmitNever<`,
  },
  {
    name: 'export-client-meta',
    why: 'operations from @hey-api/openapi-ts 0.98.2 on import ClientMeta from the runtime',
    heyApi: { from: '0.95.0', through: '0.98.1' },
    file: 'client/index.ts',
    find: /^export \{ createClient \} from '\.\/client\.gen\.js';$/m,
    replace: `export type { ClientMeta } from '../core/types.gen.js';
export { createClient } from './client.gen.js';`,
  },
];

/** Whether `version` is among the releases a patch applies to. */
export const appliesTo = (fix: ClientFix, version: string) =>
  compareVersions(version, fix.heyApi.from) >= 0 &&
  (fix.heyApi.through === undefined || compareVersions(version, fix.heyApi.through) <= 0);

const RUNTIME = /^(client|core)\//;

/**
 * Applies the patches (CLIENT_FIXES) for the generator `version` to a freshly generated folder
 * (`runtime`: whether it holds the client runtime, or imports it from the package). A patch
 * whose file or target is gone, or whose target is found more than once, is a GeneratorError
 * naming it.
 */
export async function fixGeneratedClient(
  dir: string,
  source: string,
  version: string,
  {
    runtime = true,
    fixes: all = CLIENT_FIXES,
  }: { runtime?: boolean; fixes?: readonly ClientFix[] } = {},
): Promise<void> {
  const fixes = all.filter(
    (fix) => appliesTo(fix, version) && (runtime || !RUNTIME.test(fix.file)),
  );
  const texts = new Map<string, string>();
  for (const fix of fixes) {
    const fail = (what: string) =>
      new GeneratorError(
        `${source}: patch "${fix.name}" (scripts/client-fixes.ts, for ${describeRange(fix)}) ` +
          `${what} generated by @hey-api/openapi-ts ${version}: update the patch, or end its range ` +
          'where the generator changed',
      );
    const text =
      texts.get(fix.file) ??
      (await readFile(join(dir, fix.file), 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw error.code === 'ENOENT' ? fail(`finds no ${fix.file}`) : error;
      }));
    const found = text.match(new RegExp(fix.find.source, `${fix.find.flags.replace('g', '')}g`));
    if (found?.length !== 1) {
      throw fail(`finds ${found ? `${found.length} targets` : 'no target'} in ${fix.file}`);
    }
    texts.set(
      fix.file,
      text.replace(fix.find, () => fix.replace),
    );
  }
  for (const [file, text] of texts) await writeFile(join(dir, file), text);
}

const describeRange = ({ heyApi: { from, through } }: ClientFix) =>
  through === undefined
    ? `@hey-api/openapi-ts ${from} and later`
    : `@hey-api/openapi-ts ${from} to ${through}`;
