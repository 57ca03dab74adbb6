import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GeneratorError } from './generator-error.js';

/** How hey-api imports the client when it does not bundle it: by its plugin's package name. */
const PLUGIN_MODULE = /(['"])@hey-api\/client-fetch\1/g;
const DEFAULT_CLIENT_FILE = 'client.gen.ts';

/**
 * For users' output (the bin): points the generated operations' client imports at `module`
 * (the installed `dwolla-openapi-client/client`), so `{ client: dwolla.client }` has the very
 * type the operations expect, and drops client.gen.ts, a module-level default client that the
 * operations (generated with `client: false`) never use. `source` names the spec in errors.
 */
export async function importClientFrom(dir: string, module: string, source: string): Promise<void> {
  await rm(join(dir, DEFAULT_CLIENT_FILE), { force: true });
  const files = (await readdir(dir, { recursive: true })).filter((file) => file.endsWith('.ts'));
  for (const file of files) {
    const path = join(dir, file);
    const code = await readFile(path, 'utf8');
    const pointed = code.replace(PLUGIN_MODULE, (_, quote: string) => `${quote}${module}${quote}`);
    if (pointed.includes(DEFAULT_CLIENT_FILE.replace(/\.ts$/, ''))) {
      throw new GeneratorError(`${source}: generated ${file} imports the default client`);
    }
    if (pointed !== code) await writeFile(path, pointed);
  }
}
