// npm run docs: TypeDoc builds the API reference from the public entry points' TSDoc, and fails
// (treatWarningsAsErrors, validation.notDocumented in typedoc.json) on any exported function,
// option or error class without a TSDoc line. Built here into a temporary folder.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

it('npm run docs builds the API reference with no warning (every export documented)', async () => {
  const out = await mkdtemp(join(tmpdir(), 'dwolla-api-docs-'));
  try {
    const typedoc = join(ROOT, 'node_modules/typedoc/bin/typedoc');
    const result = await promisify(execFile)(process.execPath, [typedoc, '--out', out], {
      cwd: ROOT,
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: { stdout?: string; stderr?: string }) => error);
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
    expect(output).not.toMatch(/\[warning\]|\[error\]/);
    expect(result).not.toBeInstanceOf(Error);
    expect(existsSync(join(out, 'index.html'))).toBe(true);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}, 300_000);
