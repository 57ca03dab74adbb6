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
