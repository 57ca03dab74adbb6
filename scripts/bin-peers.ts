import { findPackage, GENERATOR, GENERATOR_PEER_RANGE, newestGeneratorFor } from './hey-api.js';

/**
 * The packages the bin runs on: optional peers of dwolla-openapi-client (the client itself needs
 * none), with the ranges of package.json's peerDependencies (a test keeps them equal). Which
 * generator release, and the TypeScript it needs, generate-command.ts checks (hey-api.ts).
 */
export const BIN_PEERS: Readonly<Record<string, string>> = {
  [GENERATOR]: GENERATOR_PEER_RANGE,
  prettier: '^3.0.0',
  yaml: '^2.4.0',
};

/**
 * One line saying what to install when a peer of the bin is missing, or undefined when none
 * is. Only node: modules are loaded here, so this works before any peer is imported.
 */
export function missingPeersMessage(
  command: string,
  from = import.meta.filename,
  nodeVersion = process.versions.node,
): string | undefined {
  const absent = Object.keys(BIN_PEERS).filter((name) => !findPackage(name, from));
  if (absent.length === 0) return undefined;
  // The generator as the newest tested release this Node runs (its range has spaces).
  const install = absent.map((name) =>
    name === GENERATOR
      ? `${name}@${newestGeneratorFor(nodeVersion)}`
      : `${name}@${BIN_PEERS[name]}`,
  );
  return `${command} needs ${absent.join(', ')}: npm install --save-dev ${install.join(' ')}`;
}
