import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listFiles } from '../../scripts/codegen.js';

/** Every file of a folder with its bytes, to prove a failed run changed nothing. */
export async function snapshot(dir: string): Promise<Record<string, string>> {
  const files = await listFiles(dir);
  const entries = await Promise.all(
    files.map(async (file) => [file, (await readFile(join(dir, file))).toString('base64')]),
  );
  return Object.fromEntries(entries);
}
