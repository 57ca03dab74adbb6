import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { listFiles, makeTempDir } from '../../scripts/codegen.js';
import { MARKER } from '../../scripts/output-folder.js';
import { snapshot } from '../helpers/folder-snapshot.js';
import { runScript } from '../helpers/run-script.js';

// What `npm run generate` makes of the spec in openapi/dwolla.yaml (test/generate/replace-spec
// runs this file again with Dwolla's spec there). Its refusals and limits, which do not depend on
// that spec: test/generate/generate-refusals.
const GENERATE = 'scripts/generate.ts';
let scratch: string;

beforeAll(async () => {
  scratch = await makeTempDir('dwolla-generate-test-');
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('npm run generate -- --check', () => {
  it('passes on the committed spec and client', async () => {
    const result = await runScript(GENERATE, ['--check']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('src/generated is up to date with openapi/dwolla.yaml');
    expect(result.code).toBe(0);
  });

  it('fails and names the differing file when the spec changed', async () => {
    // Whatever the spec is: its first operation gets a new summary (a doc comment in sdk.gen.ts).
    const changed = join(scratch, 'changed.yaml');
    const spec = parse(await readFile('openapi/dwolla.yaml', 'utf8')) as {
      paths: Record<string, Record<string, { summary?: string }>>;
    };
    const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
    const [first] = Object.values(spec.paths).flatMap((item) =>
      methods.flatMap((method) => item[method] ?? []),
    );
    first!.summary = `${first!.summary ?? ''} (changed by the test)`;
    await writeFile(changed, stringify(spec));
    const result = await runScript(GENERATE, ['--check', '--input', changed]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('src/generated differs from what');
    expect(result.stderr).toContain('changed: sdk.gen.ts');
    expect(result.stderr).not.toContain('types.gen.ts');
  });

  it('fails when a generated file was edited by hand, or one is extra', async () => {
    const output = join(scratch, 'edited');
    await cp('src/generated', output, { recursive: true });
    await writeFile(join(output, 'index.ts'), '// edited by hand\n', { flag: 'a' });
    await writeFile(join(output, 'stray.ts'), 'export {};\n');
    const result = await runScript(GENERATE, ['--check', '--output', output]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('changed: index.ts');
    expect(result.stderr).toContain('extra:   stray.ts');
  });
});

describe('npm run generate', () => {
  // Two generations: generous for a busy machine.
  it(
    'writes the client to --output, and replaces its own folder whole when run again',
    { timeout: 240_000 },
    async () => {
      const output = join(scratch, 'fresh');
      const result = await runScript(GENERATE, ['--output', output]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(
        'spec fix define-basic-auth-scheme: defined securitySchemes.basicAuth (HTTP Basic), named by 1 operation(s)',
      );
      expect(await snapshot(output)).toEqual(await snapshot('src/generated'));
      expect(await listFiles(output)).toContain(MARKER);
      // Its own folder (the marker says so): a stray file in it goes with the rest.
      await writeFile(join(output, 'leftover.ts'), 'export {};\n');
      const again = await runScript(GENERATE, ['--output', output]);
      expect(again.code).toBe(0);
      expect(await snapshot(output)).toEqual(await snapshot('src/generated'));
    },
  );
});
