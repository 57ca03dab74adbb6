import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAtomically, makeTempDir, repairInterruptedSwap } from '../../scripts/codegen.js';
import type { OpenApiDocument } from '../../src/spec/load-spec.js';

const tiny: OpenApiDocument = {
  openapi: '3.1.0',
  info: { title: 't', version: '1' },
  paths: { '/a': { get: { operationId: 'getA', responses: { '200': { description: 'ok' } } } } },
};
/** A DEAD process id: the run that left these folders is gone. */
const DEAD_PID = 2 ** 22 + 12345;
let scratch: string;

beforeAll(async () => {
  scratch = await makeTempDir('dwolla-atomic-');
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function previousOutput(name: string): Promise<string> {
  const output = join(scratch, name);
  await mkdir(output, { recursive: true });
  await writeFile(join(output, 'marker.ts'), 'export const previous = true;\n');
  return output;
}

describe('generateAtomically', () => {
  it('puts the previous folder back when the second rename fails', async () => {
    const output = await previousOutput('second-rename');
    let renames = 0;
    const failing = async (from: string, to: string) => {
      if (++renames === 2) throw Object.assign(new Error('EXDEV: simulated'), { code: 'EXDEV' });
      await rename(from, to);
    };
    await expect(
      generateAtomically(tiny, output, 'tiny.yaml', {}, { rename: failing }),
    ).rejects.toThrow('EXDEV: simulated');
    expect(renames).toBe(2);
    expect(await readFile(join(output, 'marker.ts'), 'utf8')).toContain('previous');
    expect((await readdir(scratch)).filter((n) => n.startsWith('.second-rename.'))).toEqual([]);
  });

  it('repairs a run that died between its renames, even if the next generation fails', async () => {
    const output = await previousOutput('crashed');
    await rename(output, join(scratch, `.crashed.old-${DEAD_PID}`));
    await mkdir(join(scratch, `.crashed.new-${DEAD_PID}-abc`));
    const broken = { ...tiny, paths: { '/a': { get: { parameters: [{ $ref: 'x.yaml#/P' }] } } } };
    await expect(
      generateAtomically(broken as OpenApiDocument, output, 'broken.yaml'),
    ).rejects.toThrow(/^broken\.yaml: @hey-api\/openapi-ts failed/);
    expect(await readFile(join(output, 'marker.ts'), 'utf8')).toContain('previous');
    expect((await readdir(scratch)).filter((n) => n.startsWith('.crashed.'))).toEqual([]);
  });

  it('leaves alone the folders of a run still going, and an output that is there', async () => {
    const output = await previousOutput('busy');
    const live = join(scratch, `.busy.new-${process.pid}-xyz`);
    const stale = join(scratch, `.busy.old-${DEAD_PID}`);
    await mkdir(live);
    await mkdir(stale);
    await repairInterruptedSwap(output);
    expect(await readdir(scratch)).toContain(`.busy.new-${process.pid}-xyz`);
    expect(await readdir(scratch)).not.toContain(`.busy.old-${DEAD_PID}`);
    expect(await readFile(join(output, 'marker.ts'), 'utf8')).toContain('previous');
  });

  it('swaps the new folder in and deletes the previous one', async () => {
    const output = await previousOutput('swapped');
    await generateAtomically(tiny, output, 'tiny.yaml');
    const files = await readdir(output);
    expect(files).toContain('sdk.gen.ts');
    expect(files).not.toContain('marker.ts');
    expect((await readdir(scratch)).filter((n) => n.startsWith('.swapped.'))).toEqual([]);
  });
});
