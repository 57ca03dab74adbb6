import { rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../../scripts/codegen.js';
import {
  checkSpec,
  loadSpec,
  MAX_SPEC_BYTES,
  parseSpec,
  SpecError,
} from '../../src/spec/load-spec.js';
import { inexpressibleCycle } from '../../src/spec/schema-cycles.js';
import { startEmulator } from '../../src/emulator/index.js';

const withRefs = (...refs: string[]) => ({
  openapi: '3.1.0',
  paths: {
    '/a/{id}': { get: { parameters: refs.map(($ref) => ({ $ref })), responses: {} } },
  },
  components: { parameters: { 'Id~Param': { name: 'id', in: 'path' } } },
});

describe('checkSpec', () => {
  it('accepts local $refs that resolve, escaped names and array indices included', () => {
    const doc = withRefs(
      '#/components/parameters/Id~0Param',
      '#/paths/~1a~1%7Bid%7D/get/parameters/0',
    );
    expect(checkSpec(doc, 'spec.yaml')).toBe(doc);
  });

  it('names the first $ref that points at nothing, and where it stands', () => {
    expect(() =>
      checkSpec(
        withRefs('#/components/parameters/Id~0Param', '#/components/parameters/Nope'),
        'spec.yaml',
      ),
    ).toThrow(
      new SpecError(
        'spec.yaml: $ref "#/components/parameters/Nope" at #/paths/~1a~1{id}/get/parameters/1 points at nothing',
      ),
    );
  });

  it('leaves external $refs to the generator', () => {
    const doc = withRefs('other.yaml#/Param');
    expect(checkSpec(doc, 'spec.yaml')).toBe(doc);
  });

  it('is what the emulator checks a parsed document with', async () => {
    const doc = withRefs('#/components/parameters/Nope');
    await expect(startEmulator({ spec: doc, key: 'k', secret: 's' })).rejects.toThrow(
      /^the spec object: \$ref "#\/components\/parameters\/Nope" .* points at nothing$/,
    );
  });
});

describe('parseSpec', () => {
  it('reads JSON as well as YAML', () => {
    expect(parseSpec('{"openapi": "3.0.3", "paths": {}}', 'spec.json')).toEqual({
      openapi: '3.0.3',
      paths: {},
    });
  });

  it('refuses duplicate keys with their line and column', () => {
    expect(() => parseSpec('openapi: 3.1.0\npaths: {}\npaths: {}\n', 'spec.yaml')).toThrow(
      /^spec\.yaml: invalid YAML at line 3, column 1: Map keys must be unique/,
    );
  });
});

describe('loadSpec', () => {
  it('refuses a file over MAX_SPEC_BYTES without reading it', async () => {
    const dir = await makeTempDir('dwolla-load-spec-');
    try {
      const file = join(dir, 'huge.yaml');
      await writeFile(file, '');
      await truncate(file, MAX_SPEC_BYTES + 1); // sparse: no disk used
      await expect(loadSpec(file)).rejects.toThrow(
        new SpecError(
          `${file}: the spec is ${MAX_SPEC_BYTES + 1} bytes, over the limit of ${MAX_SPEC_BYTES}`,
        ),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('inexpressibleCycle', () => {
  const withSchemas = (schemas: Record<string, object>) =>
    ({ openapi: '3.1.0', paths: {}, components: { schemas } }) as never;
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

  it('finds cycles through bare $refs and compositions, not through properties or items', () => {
    expect(inexpressibleCycle(withSchemas({ A: ref('B'), B: { anyOf: [ref('A')] } }))).toEqual([
      'A',
      'B',
      'A',
    ]);
    expect(
      inexpressibleCycle(
        withSchemas({
          A: { type: 'object', properties: { a: ref('A'), b: ref('B') } },
          B: { type: 'array', items: ref('A') },
        }),
      ),
    ).toBeUndefined();
  });

  it('follows a chain of 20,000 $refs without overflowing the stack', () => {
    const schemas: Record<string, object> = {};
    for (let i = 0; i < 20_000; i++) schemas[`S${i}`] = ref(`S${(i + 1) % 20_000}`);
    expect(inexpressibleCycle(withSchemas(schemas))).toHaveLength(20_001);
  });
});
