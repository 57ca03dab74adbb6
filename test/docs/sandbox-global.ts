import type { Emulator } from '../../src/emulator/index.js';

declare global {
  /** The emulator the documentation's `sandbox` examples run on (run-examples.ts sets it). */
  var docsSandbox: { emu: Emulator; key: string; secret: string };
}

export {};
