import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The packages the bin runs on: optional peers of dwolla-openapi-client (the client itself needs
 * none), with the ranges of package.json's peerDependencies (a test keeps them equal).
 * @hey-api/openapi-ts 0.95 also needs TypeScript 5's compiler API at run time.
 */
export const BIN_PEERS: Readonly<Record<string, string>> = {
  '@hey-api/openapi-ts': '~0.95.0',
  prettier: '^3.0.0',
  yaml: '^2.4.0',
};
export const GENERATOR_TYPESCRIPT = '5.9';

/** package.json of `name` as resolved from `from` (a file path), or undefined if not installed. */
function manifest(name: string, from: string): { path: string; version: string } | undefined {
  try {
    const path = createRequire(from).resolve(`${name}/package.json`);
    const { version } = JSON.parse(readFileSync(path, 'utf8')) as { version: string };
    return { path, version };
  } catch {
    return undefined;
  }
}

/**
 * One line saying what to install when the bin cannot run, or undefined when it can. Only
 * node: modules are loaded here, so this works before any peer is imported.
 */
export function missingPeersMessage(
  command: string,
  from = import.meta.filename,
): string | undefined {
  const absent = Object.keys(BIN_PEERS).filter((name) => !manifest(name, from));
  const generator = manifest('@hey-api/openapi-ts', from);
  const typescript = generator && manifest('typescript', generator.path);
  if (generator && !typescript) absent.push('typescript');
  if (absent.length > 0) {
    const install = absent.map((name) =>
      name === 'typescript' ? `typescript@${GENERATOR_TYPESCRIPT}` : `${name}@${BIN_PEERS[name]}`,
    );
    return `${command} needs ${absent.join(', ')}: npm install --save-dev ${install.join(' ')}`;
  }
  if (typescript && !typescript.version.startsWith('5.')) {
    return (
      `${command} needs TypeScript 5 for @hey-api/openapi-ts (found typescript ${typescript.version}): ` +
      `npm install --save-dev typescript@${GENERATOR_TYPESCRIPT} (compile with TypeScript 7 as an alias, e.g. tsgo@npm:typescript@7)`
    );
  }
  return undefined;
}
