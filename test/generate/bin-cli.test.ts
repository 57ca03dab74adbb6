import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFiles, makeTempDir } from '../../scripts/codegen.js';
import { MARKER } from '../../scripts/output-folder.js';
import { runScript } from '../helpers/run-script.js';

// The bin from source (test/package/bin.test.ts runs the built one from a packed tarball).
const BIN = 'scripts/bin.ts';

describe('dwolla-openapi-client generate (the bin)', () => {
  let project: string;
  let output: string;
  let generated: Awaited<ReturnType<typeof runScript>>;

  beforeAll(async () => {
    // A user's project with its own prettier settings (not this repository's).
    project = await makeTempDir('dwolla-bin-cli-');
    await writeFile(join(project, '.prettierrc.json'), JSON.stringify({ semi: false }));
    output = join(project, 'src/dwolla');
    generated = await runScript(BIN, [
      'generate',
      '--input',
      'openapi/dwolla.yaml',
      '--output',
      output,
    ]);
  });
  afterAll(() => rm(project, { recursive: true, force: true }));

  it('generates the operations and their types, importing the client from the package', async () => {
    expect(generated.stderr).toBe('');
    expect(generated.code).toBe(0);
    expect(generated.stdout).toContain(`generated ${output} from openapi/dwolla.yaml in `);
    expect(await listFiles(output)).toEqual([MARKER, 'index.ts', 'sdk.gen.ts', 'types.gen.ts']);
    const sdk = await readFile(join(output, 'sdk.gen.ts'), 'utf8');
    expect(sdk).toMatch(/^} from "dwolla-openapi-client\/client"$/m);
    for (const file of (await listFiles(output)).filter((f) => f.endsWith('.ts'))) {
      const code = await readFile(join(output, file), 'utf8');
      expect(code, file).not.toMatch(/@hey-api\/client-fetch|from "\.\/client|client\.gen/);
    }
  });

  it("formats with the user's prettier config", async () => {
    const index = await readFile(join(output, 'index.ts'), 'utf8');
    expect(index).toMatch(/^export \{[^;]+\} from "\.\/sdk\.gen\.js"$/m);
  });

  it('--check passes on its own output and names a file edited by hand', async () => {
    const args = ['generate', '--check', '--input', 'openapi/dwolla.yaml', '--output', output];
    const clean = await runScript(BIN, args);
    expect(clean.stdout).toContain(`${output} is up to date with openapi/dwolla.yaml`);
    expect(clean.code).toBe(0);
    await writeFile(join(output, 'index.ts'), '// edited\n', { flag: 'a' });
    const edited = await runScript(BIN, args);
    expect(edited.code).toBe(1);
    expect(edited.stderr).toContain('run npx dwolla-openapi-client generate:');
    expect(edited.stderr).toContain('changed: index.ts');
  });

  it('stops the generator at its memory limit in one line, leaving the output as it was', async () => {
    const before = await readFile(join(output, 'sdk.gen.ts'), 'utf8');
    const args = ['generate', '--input', 'openapi/dwolla.yaml', '--output', output];
    const result = await runScript(BIN, [...args, '--max-memory-mb', '8']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'openapi/dwolla.yaml: generation stopped at its memory limit of 8 MB; raise it with --max-memory-mb <MB>\n',
    );
    expect(await readFile(join(output, 'sdk.gen.ts'), 'utf8')).toBe(before);
  });

  it('answers a wrong command line with usage and exit 2', async () => {
    const usage =
      /usage: npx dwolla-openapi-client generate --input <spec\.yaml \| https:\/\/…> --output <dir> \[--check\]/;
    for (const [args, first] of [
      [[], usage],
      [['generat'], /^unknown command "generat"$/m],
      [['generate', '--output', output], /^--input is required$/m],
      [['generate', '--input', 'openapi/dwolla.yaml'], /^--output is required$/m],
    ] as const) {
      const result = await runScript(BIN, [...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(first);
      expect(result.stderr).toMatch(usage);
    }
  });
});
