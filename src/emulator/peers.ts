import { requirePeers } from '../peers.js';

/**
 * The libraries the emulator runs on: optional peers of `dwolla-openapi-client/emulator` (see the
 * README). Modules that load one at their top level do it with {@link emulatorPeer}, so importing
 * the emulator without them fails at once with a message naming every missing one.
 */
export const EMULATOR_PEERS = [
  'ajv',
  'ajv-formats',
  'dereference-json-schema',
  'find-my-way',
  'mock-json-schema',
  'yaml',
] as const;

export const emulatorPeer = requirePeers('dwolla-openapi-client/emulator', EMULATOR_PEERS);
