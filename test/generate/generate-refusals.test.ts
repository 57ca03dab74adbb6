import { cp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../scripts/codegen.js';
import { MARKER } from '../../scripts/output-folder.js';
import { snapshot } from '../helpers/folder-snapshot.js';
import { fixtureSpec } from '../helpers/fixture-spec.js';
import { runScript } from '../helpers/run-script.js';

// What `npm run generate` refuses, and its limits and command line: one line, exit 1 or 2, and
// nothing changed. None of it depends on the project's own spec (the limits run on the fixture
// spec), so test/generate/replace-spec leaves this file out.
const GENERATE = 'scripts/generate.ts';
let scratch: string;
/** A spec the generator takes (the tests' fixture), for the limit tests. */
let fixture: string;

/** A spec whose schemas are `schemas`, used by one response. */
function withSchemas(schemas: Record<string, object>): string {
  return JSON.stringify({
    openapi: '3.1.0',
    paths: {
      '/a': {
        get: {
          operationId: 'getA',
          responses: {
            '200': {
              description: 'ok',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/A' } } },
            },
          },
        },
      },
    },
    components: { schemas },
  });
}

/** Nine levels of ten aliases each: 10^9 nodes once expanded. */
function aliasBomb(): string {
  let text = 'openapi: 3.1.0\npaths: {}\na0: &a ["lol", "lol", "lol", "lol", "lol"]\n';
  let previous = 'a';
  for (let i = 1; i <= 9; i++) {
    const name = `a${i}`;
    text += `${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]\n`;
    previous = name;
  }
  return text;
}

beforeAll(async () => {
  scratch = await makeTempDir('dwolla-generate-refusals-');
  fixture = join(scratch, 'fixture.json');
  await writeFile(fixture, JSON.stringify(fixtureSpec()));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('npm run generate refuses', () => {
  it('refuses, in one line and touching nothing, a folder of user files, the project and /', async () => {
    const mine = join(scratch, 'mine');
    await mkdir(mine, { recursive: true });
    await writeFile(join(mine, 'notes.ts'), 'export const mine = true;\n');
    const before = await readdir(scratch);
    for (const [output, reason] of [
      [mine, `it holds files the generator did not write: it has no ${MARKER}`],
      ['.', 'it is the current directory'],
      [process.cwd(), 'it is the current directory'],
      ['..', 'it holds the current directory'],
      ['/', 'it is the root folder'],
    ]) {
      const result = await runScript(GENERATE, ['--output', output!]);
      expect(result.code, output).toBe(1);
      expect(result.stdout, output).toBe('');
      expect(result.stderr, output).toBe(
        `--output ${output}: refusing to write there (${reason}); the generator replaces its output folder whole, so give it one of its own, e.g. src/dwolla\n`,
      );
    }
    expect(await snapshot(mine)).toEqual({
      'notes.ts': Buffer.from('export const mine = true;\n').toString('base64'),
    });
    expect(await readdir(scratch)).toEqual(before);
  });

  const refused: Array<[string, string, RegExp]> = [
    [
      'malformed YAML',
      'openapi: 3.1.0\npaths:\n  /token: [post\n  /x: 1\n',
      /bad\.yaml: invalid YAML at line \d+, column \d+: /,
    ],
    ['YAML that is not OpenAPI', 'name: my-app\nversion: 1\n', /bad\.yaml: not an OpenAPI 3\.x/],
    ['OpenAPI 2 (swagger)', 'swagger: "2.0"\npaths: {}\n', /bad\.yaml: not an OpenAPI 3\.x/],
    ['OpenAPI without paths', 'openapi: 3.1.0\ninfo: {}\n', /bad\.yaml: .*no "paths" object/],
    [
      'a $ref that points at nothing',
      `openapi: 3.1.0\npaths:\n  /x:\n    get:\n      parameters:\n        - $ref: '#/components/parameters/Nope'\n`,
      /bad\.yaml: \$ref "#\/components\/parameters\/Nope" at #\/paths\/~1x\/get\/parameters\/0 points at nothing/,
    ],
    [
      'a spec the generator cannot process (an external $ref to a missing file)',
      `openapi: 3.1.0\npaths:\n  /x:\n    get:\n      parameters:\n        - $ref: './missing.yaml#/P'\n      responses: {}\n`,
      /bad\.yaml: @hey-api\/openapi-ts failed: .*missing\.yaml/,
    ],
    [
      'a YAML alias bomb ("billion laughs")',
      aliasBomb(),
      /bad\.yaml: invalid YAML: its aliases expand beyond the yaml library's limit \(first alias \*a at line 4, column \d+\)/,
    ],
    [
      'a schema that is a $ref to itself',
      withSchemas({ A: { $ref: '#/components/schemas/A' } }),
      /bad\.yaml: schemas A → A form a \$ref cycle with no object property or array item in between/,
    ],
    [
      'schemas that are bare $refs to each other',
      withSchemas({ A: { $ref: '#/components/schemas/B' }, B: { $ref: '#/components/schemas/A' } }),
      /bad\.yaml: schemas A → B → A form a \$ref cycle/,
    ],
    [
      'a schema that is allOf itself',
      withSchemas({ A: { allOf: [{ $ref: '#/components/schemas/A' }, { type: 'object' }] } }),
      /bad\.yaml: schemas A → A form a \$ref cycle/,
    ],
    [
      'a cycle of type aliases through oneOf',
      withSchemas({
        A: { $ref: '#/components/schemas/B' },
        B: { oneOf: [{ type: 'string' }, { $ref: '#/components/schemas/A' }] },
      }),
      /bad\.yaml: schemas A → B → A form a \$ref cycle/,
    ],
    [
      'operationIds that name the same function',
      `openapi: 3.1.0\npaths:\n  /a:\n    get: {operationId: get-customer, responses: {}}\n  /b:\n    get: {operationId: getCustomer, responses: {}}\n`,
      /bad\.yaml: operationIds "get-customer", "getCustomer" all name the generated function getCustomer/,
    ],
  ];
  it.each(refused)(
    'refuses %s: exit 1, a message naming the file, output untouched',
    async (_, text, message) => {
      const output = join(scratch, 'kept');
      await cp('src/generated', output, { recursive: true });
      const before = await snapshot(output);
      const bad = join(scratch, 'bad.yaml');
      await writeFile(bad, text);
      const result = await runScript(GENERATE, ['--input', bad, '--output', output]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toContain('    at '); // a message, not a stack trace
      expect(await snapshot(output)).toEqual(before);
    },
  );

  it('reports a missing spec file by name', async () => {
    const result = await runScript(GENERATE, ['--input', join(scratch, 'nope.yaml'), '--check']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/nope\.yaml: cannot read the spec \(ENOENT\)/);
  });

  // Tiny limits that the generator's own start-up exceeds (importing it takes over 50 ms and
  // far more than 8 MB of heap): the real limits are the same code with larger numbers.
  it.each([
    [
      'time',
      ['--max-seconds', '0.05'],
      'time limit of 0.05 s; raise it with --max-seconds <seconds>',
    ],
    [
      'memory',
      ['--max-memory-mb', '8'],
      'memory limit of 8 MB; raise it with --max-memory-mb <MB>',
    ],
  ])(
    'stops the generator at its %s limit: one line, exit 1, output and its folder untouched',
    async (_, limit, message) => {
      const parent = join(scratch, `limited-${limit[0]}`);
      const output = join(parent, 'generated');
      await cp('src/generated', output, { recursive: true });
      const before = await snapshot(output);
      for (const check of [[], ['--check']]) {
        const args = ['--input', fixture, '--output', output, ...limit, ...check];
        const result = await runScript(GENERATE, args);
        expect(result.code).toBe(1);
        expect(result.stderr.trimEnd().split('\n')).toEqual([
          `${fixture}: generation stopped at its ${message}`,
        ]);
        expect(await snapshot(output)).toEqual(before);
        // No staging folder (.generated.new-*) or previous one (.generated.old-*) left behind.
        expect(await readdir(parent)).toEqual(['generated']);
      }
    },
  );

  it('rejects a limit that is not a positive number with usage and exit 2', async () => {
    for (const args of [
      ['--max-seconds', '0'],
      ['--max-seconds', 'soon'],
      ['--max-memory-mb=-1'],
    ]) {
      const result = await runScript(GENERATE, ['--check', ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(
        new RegExp(`^${args[0]!.split('=')[0]} must be a positive number$`, 'm'),
      );
      expect(result.stderr).toContain('usage: npm run generate');
    }
  });

  it('rejects unknown options with usage and exit 2', async () => {
    const result = await runScript(GENERATE, ['--inptu', 'x.yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('usage: npm run generate');
  });
});
