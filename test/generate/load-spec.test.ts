import { describe, expect, it } from 'vitest';
import { checkSpec, parseSpec, SpecError } from '../../src/spec/load-spec.js';
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
