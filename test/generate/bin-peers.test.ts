import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN_PEERS, missingPeersMessage } from '../../scripts/bin-peers.js';
import { makeTempDir } from '../../scripts/codegen.js';
import packageJson from '../../package.json' with { type: 'json' };

describe("the bin's peer check", () => {
  let project: string;
  const from = () => join(project, 'node_modules/dwolla-openapi-client/dist/bin/cli.js');
  /** Installs a stand-in package (a package.json with a version) into the temporary project. */
  const install = async (name: string, version: string) => {
    const dir = join(project, 'node_modules', name);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name, version }));
  };

  beforeEach(async () => {
    project = await makeTempDir('dwolla-bin-peers-');
    await install('dwolla-openapi-client', '0.1.0');
  });
  afterEach(() => rm(project, { recursive: true, force: true }));

  it('passes when every peer and TypeScript 5 are installed', async () => {
    for (const name of Object.keys(BIN_PEERS)) await install(name, '99.0.0');
    await install('typescript', '5.9.3');
    expect(missingPeersMessage('gen', from())).toBeUndefined();
  });

  it('names every missing peer, with its range, in one line', async () => {
    await install('yaml', '2.9.1');
    const message = missingPeersMessage('dwolla-openapi-client generate', from());
    expect(message).toBe(
      `dwolla-openapi-client generate needs @hey-api/openapi-ts, prettier: npm install --save-dev @hey-api/openapi-ts@${BIN_PEERS['@hey-api/openapi-ts']} prettier@${BIN_PEERS.prettier}`,
    );
  });

  it('asks for TypeScript 5 when the generator would find none, or TypeScript 7', async () => {
    for (const name of Object.keys(BIN_PEERS)) await install(name, '99.0.0');
    expect(missingPeersMessage('gen', from())).toBe(
      'gen needs typescript: npm install --save-dev typescript@5.9',
    );
    await install('typescript', '7.0.2');
    const message = missingPeersMessage('gen', from())!;
    expect(message).toMatch(
      /^gen needs TypeScript 5 for @hey-api\/openapi-ts \(found typescript 7\.0\.2\)/,
    );
    expect(message).not.toContain('\n');
  });

  it("matches package.json's optional peers", () => {
    const declared: Record<string, string> = packageJson.peerDependencies;
    for (const [name, range] of Object.entries(BIN_PEERS)) expect(declared[name], name).toBe(range);
  });
});
