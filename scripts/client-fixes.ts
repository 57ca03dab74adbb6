/**
 * Fixes to the fetch client that @hey-api/openapi-ts copies into the output (client/client.gen.ts),
 * applied by the generate pipeline so they survive regeneration. Each must find its text: a
 * generator update that changes it fails generation instead of silently dropping the fix.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GeneratorError } from './generator-error.js';

interface ClientFix {
  why: string;
  find: RegExp;
  replace: string;
}

const CLIENT_FIXES: ClientFix[] = [
  {
    // An empty 201/204 with no Content-Type resolved `data` as an empty ReadableStream, and an
    // empty JSON answer as `{}`: both are `undefined`, as `dwolla.post` resolves them.
    why: 'empty answers resolve data: undefined',
    find: /case 'stream':\s*emptyData = response\.body;\s*break;\s*case 'json':\s*default:\s*emptyData = \{\};/,
    replace:
      "case 'stream':\n          case 'json':\n          default:\n            emptyData = undefined;",
  },
  {
    why: 'an empty JSON body resolves data: undefined',
    find: /data = text \? JSON\.parse\(text\) : \{\};/,
    replace: 'data = text ? JSON.parse(text) : undefined;',
  },
  {
    // Without Content-Type the body is handed on as a stream. Without Content-Length either (a
    // 201 sent chunked) the checks above cannot see that it is empty: it resolved an empty
    // ReadableStream (or null through dwolla.fetch, which buffers it). Its first chunk is read:
    // none is `undefined`, like a Content-Length: 0 answer; otherwise the same bytes stream on.
    why: 'an empty stream resolves data: undefined',
    find: /case 'stream':\s*return opts\.responseStyle === 'data'\s*\? response\.body\s*: \{\s*data: response\.body,\s*\.\.\.result,\s*\};/,
    replace: `case 'stream': {
          const stream = await nonEmptyStream(response.body);
          return opts.responseStyle === 'data' ? stream : { data: stream, ...result };
        }`,
  },
  {
    why: 'the helper of "an empty stream resolves data: undefined"',
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
];

/** Applies the client fixes to a freshly generated folder; a fix whose text is gone is a GeneratorError. */
export async function fixGeneratedClient(dir: string, source: string): Promise<void> {
  const file = join(dir, 'client', 'client.gen.ts');
  let text = await readFile(file, 'utf8');
  for (const fix of CLIENT_FIXES) {
    if (!fix.find.test(text)) {
      throw new GeneratorError(
        `${source}: the generated fetch client changed; cannot apply "${fix.why}" (scripts/client-fixes.ts)`,
      );
    }
    text = text.replace(fix.find, fix.replace);
  }
  await writeFile(file, text);
}
