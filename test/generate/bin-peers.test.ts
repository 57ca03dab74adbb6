import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN_PEERS, missingPeersMessage } from '../../scripts/bin-peers.js';
import { makeTempDir } from '../../scripts/codegen.js';
import {
  findGenerator,
  GENERATOR_PEER_RANGE,
  GENERATOR_RANGE,
  generatorProblem,
  TESTED_GENERATORS,
  TYPESCRIPT_API,
  TYPESCRIPT_API_RANGE,
} from '../../scripts/hey-api.js';
import packageJson from '../../package.json' with { type: 'json' };

const newest = TESTED_GENERATORS.at(-1)!.version;

describe("the bin's peer and generator checks", () => {
  let project: string;
  const from = () => join(project, 'node_modules/dwolla-openapi-client/dist/bin/cli.js');
  /** Installs a stand-in package (a package.json) into the temporary project. */
  const install = async (name: string, version: string, more: object = {}) => {
    const dir = join(project, 'node_modules', name);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name, version, ...more }));
    await writeFile(join(dir, 'index.js'), '');
  };
  const generator = async (version: string, node = '>=20.19.0') => {
    await install('@hey-api/openapi-ts', version, {
      engines: { node },
      exports: { '.': { import: './dist/index.mjs' }, './package.json': './package.json' },
    });
    return findGenerator(from())!;
  };

  beforeEach(async () => {
    project = await makeTempDir('dwolla-bin-peers-');
    await install('dwolla-openapi-client', '0.1.0');
  });
  afterEach(() => rm(project, { recursive: true, force: true }));

  it('passes when every peer is installed', async () => {
    for (const name of Object.keys(BIN_PEERS)) await install(name, '99.0.0');
    expect(missingPeersMessage('gen', from())).toBeUndefined();
  });

  it('names every missing peer in one line, the generator as the newest tested release for this Node', async () => {
    await install('yaml', '2.9.1');
    const command = 'dwolla-openapi-client generate';
    expect(missingPeersMessage(command, from(), '20.19.0')).toBe(
      `${command} needs @hey-api/openapi-ts, prettier: npm install --save-dev @hey-api/openapi-ts@0.95.0 prettier@${BIN_PEERS.prettier}`,
    );
    expect(missingPeersMessage(command, from(), '24.0.0')).toContain(
      `@hey-api/openapi-ts@${newest} `,
    );
  });

  it('finds the installed generator, its module and the Node it asks for', async () => {
    const found = await generator('0.99.0', '>=22.18.0');
    expect(found).toMatchObject({ version: '0.99.0', node: '22.18.0', typescript: undefined });
    expect(fileURLToPath(found.url)).toBe(
      join(project, 'node_modules/@hey-api/openapi-ts/dist/index.mjs'),
    );
  });

  it('refuses a release outside the supported range, naming the one to install', async () => {
    await install('typescript', '5.9.3');
    for (const version of ['0.94.5', GENERATOR_RANGE.below, '1.0.0']) {
      const message = generatorProblem('gen', await generator(version), '20.19.0');
      expect(message).toBe(
        `gen runs on @hey-api/openapi-ts ${GENERATOR_PEER_RANGE} (tested: 0.95.0 to ${newest}; found ${version}): npm install --save-dev @hey-api/openapi-ts@0.95.0`,
      );
    }
    // A later patch release of a tested line is accepted.
    const patch = newest.replace(/\d+$/, (n) => String(Number(n) + 7));
    expect(generatorProblem('gen', await generator(patch), '24.0.0')).toBeUndefined();
  });

  it('refuses a release whose engines need a newer Node', async () => {
    await install('typescript', '5.9.3');
    const found = await generator(newest, '>=22.18.0');
    expect(generatorProblem('gen', found, '20.19.5')).toBe(
      `@hey-api/openapi-ts ${newest} needs Node >= 22.18.0 (this is Node 20.19.5): run gen on a newer Node, or npm install --save-dev @hey-api/openapi-ts@0.95.0`,
    );
    expect(generatorProblem('gen', found, '22.18.0')).toBeUndefined();
  });

  it('asks for TypeScript when the generator finds none', async () => {
    expect(generatorProblem('gen', await generator('0.95.0'), '20.19.0')).toBe(
      'gen needs typescript for @hey-api/openapi-ts: npm install --save-dev typescript',
    );
  });

  it("hands TypeScript 7's generator TypeScript 6's compiler API, and asks for it when missing", async () => {
    await install('typescript', '7.0.2');
    const without = await generator('0.95.0');
    expect(without.typescriptApi).toBeUndefined();
    const message = generatorProblem('gen', without, '20.19.0');
    expect(message).toBe(
      `@hey-api/openapi-ts needs a TypeScript compiler API, which typescript 7.0.2 does not have: npm install --save-dev ${TYPESCRIPT_API}@${TYPESCRIPT_API_RANGE} (TypeScript 6's API, used only by the generator)`,
    );
    await install(TYPESCRIPT_API, '6.0.2', { main: 'index.js' });
    const withApi = await generator('0.95.0');
    expect(fileURLToPath(withApi.typescriptApi!)).toBe(
      join(project, 'node_modules', TYPESCRIPT_API, 'index.js'),
    );
    expect(generatorProblem('gen', withApi, '20.19.0')).toBeUndefined();
  });

  it('lets TypeScript 5 or 6 serve the generator itself', async () => {
    for (const version of ['5.9.3', '6.0.3']) {
      await install('typescript', version);
      const found = await generator('0.95.0');
      expect(found.typescriptApi).toBeUndefined();
      expect(generatorProblem('gen', found, '20.19.0')).toBeUndefined();
    }
  });

  it("matches package.json's optional peers", () => {
    const declared: Record<string, string> = packageJson.peerDependencies;
    for (const [name, range] of Object.entries(BIN_PEERS)) expect(declared[name], name).toBe(range);
    expect(declared[TYPESCRIPT_API]).toBe(TYPESCRIPT_API_RANGE);
  });
});
