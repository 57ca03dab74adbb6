/**
 * What the generated entry (index.ts) exports. @hey-api/openapi-ts re-exports two helper types
 * of its own there under generic names: `Options` (an operation's options, from sdk.gen.ts) and
 * `ClientOptions` (its base URL type, from types.gen.ts). The package root re-exports the entry,
 * so both would be public names of this package by accident. They are left out of the entry:
 * the operations and the spec's types stay; the root exports an operation's options type under
 * a deliberate name (`DwollaOperationOptions`), and `ClientOptions` has no use for a caller
 * (`createDwollaClient` sets the base URL).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Names the entry never re-exports, by the module that declares them. */
const LEFT_OUT: Record<string, readonly string[]> = {
  './sdk.gen.js': ['Options'],
  './types.gen.js': ['ClientOptions'],
};

/** `export { a, type B } from './x.js';` (or `export type { … }`), as the generator writes it. */
const EXPORT_FROM = /export (?:type )?\{([^}]*)\}\s+from\s+'([^']+)';/g;

/** Drops LEFT_OUT's names from the entry's export lists (an export left empty goes too). */
export function entryExports(code: string): string {
  return code.replace(EXPORT_FROM, (statement, list: string, from: string) => {
    const drop = LEFT_OUT[from];
    if (drop === undefined) return statement;
    const names = list
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== '' && !drop.includes(name.replace(/^type\s+/, '')));
    return names.length === 0 ? '' : statement.replace(/\{[^}]*\}/, `{ ${names.join(', ')} }`);
  });
}

/** Applies entryExports to a freshly generated folder's index.ts. */
export async function fixGeneratedEntry(dir: string): Promise<void> {
  const file = join(dir, 'index.ts');
  const code = await readFile(file, 'utf8');
  const fixed = entryExports(code);
  if (fixed !== code) await writeFile(file, fixed);
}
