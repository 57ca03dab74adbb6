// The package root's public names: the generated operations and the spec's types, never the
// generator's own helper types under generic names (`Options`, `ClientOptions`).
import { rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../scripts/codegen.js';
import { entryExports } from '../../scripts/entry-exports.js';
import { typecheck } from '../helpers/typecheck.js';

let scratch: string;
beforeAll(async () => {
  scratch = await makeTempDir('dwolla-entry-');
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('the generated entry', () => {
  it("leaves hey-api's Options and ClientOptions out, keeping every other name", () => {
    const code = [
      "export { createCustomer, getCustomer, type Options } from './sdk.gen.js';",
      'export type {',
      '  ClientOptions,',
      '  Customer,',
      '  CreateCustomerData,',
      "} from './types.gen.js';",
      "export { other, type Options } from './other.js';",
    ].join('\n');
    const fixed = entryExports(code);
    expect(fixed).toContain("export { createCustomer, getCustomer } from './sdk.gen.js';");
    expect(fixed).toContain("export type { Customer, CreateCustomerData } from './types.gen.js';");
    expect(fixed).toContain("export { other, type Options } from './other.js';");
  });

  it('drops an export whose every name is left out', () => {
    expect(entryExports("export type { ClientOptions } from './types.gen.js';\n")).toBe('\n');
  });
});

describe('the package root', () => {
  it('exports DwollaOperationOptions, and neither Options nor ClientOptions', async () => {
    const root = resolve('src/index.ts').replace(/\.ts$/, '.js');
    await writeFile(
      join(scratch, 'named.ts'),
      [
        `import type { DwollaOperationOptions, CreateApplicationAccessTokenData } from '${root}';`,
        'export type Token = DwollaOperationOptions<CreateApplicationAccessTokenData>;',
      ].join('\n'),
    );
    await expect(typecheck(scratch, ['named.ts'])).resolves.toEqual(
      expect.objectContaining({ stdout: '' }),
    );
    await writeFile(
      join(scratch, 'generic.ts'),
      `import type { Options, ClientOptions } from '${root}';\nexport type Both = [Options, ClientOptions];\n`,
    );
    const failed = await typecheck(scratch, ['generic.ts']).then(
      () => '',
      (error: { stdout: string }) => error.stdout,
    );
    expect(failed).toMatch(/has no exported member 'Options'/);
    expect(failed).toMatch(/has no exported member 'ClientOptions'/);
  });
});
