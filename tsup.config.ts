import { cp, writeFile } from 'node:fs/promises';
import { defineConfig } from 'tsup';

// The public entry points, by their path under dist/. Names keep src/'s folder depth
// (dist/emulator/index.js sits where src/emulator/*.ts does), so the emulator's
// `new URL('../../openapi/dwolla.yaml', import.meta.url)` resolves to the package's openapi/
// folder from dist/ just as it does from src/, and its body thread's `./body-worker.js` sits
// beside it. No code splitting: a shared chunk (dist/chunk-*.js) would sit at a different depth
// and move `import.meta.url` with it.
const entry = {
  index: 'src/index.ts',
  'emulator/index': 'src/emulator/index.ts',
  'transport/index': 'src/transport/index.ts',
  // The generated client runtime, for the operations users generate with the bin.
  'client/index': 'src/generated/client/index.ts',
  'redis/index': 'src/redis/index.ts',
};

// One build, ES modules (.js) with declarations (.d.ts), not minified: an error's stack and the
// source line Node prints for it read like the source (test/package checks the line lengths).
// CommonJS users get the same modules: each entry's .cjs is one line that require()s its .js
// (Node >= 20.19, the engines floor, loads ES modules with require(), without a warning from
// node_modules), so `import` and `require` share one instance (no dual-package hazard) and the
// package ships the code once. Its .d.cts declarations come from the second build below.
const library = defineConfig({
  entry,
  format: ['esm'],
  dts: true,
  outDir: 'dist',
  // Everything but what the other builds write at the same time.
  clean: ['!bin/**', '!emulator/body-worker.js', '!emulator/dashboard/**', '!**/*.d.cts'],
  platform: 'node',
  target: 'node20',
  // Keep `node:` specifiers (tsup 8 strips them by default); every supported Node has them.
  removeNodeProtocol: false,
  splitting: false,
  sourcemap: false,
  onSuccess: async () => {
    for (const name of Object.keys(entry)) {
      const file = name.slice(name.lastIndexOf('/') + 1);
      await writeFile(
        `dist/${name}.cjs`,
        `'use strict';\n// The ES module, for require() (Node >= 20.19).\nmodule.exports = require('./${file}.js');\n`,
      );
    }
  },
});

// Declarations for require() (.d.cts): TypeScript's node16 resolution types a CommonJS import
// from them, as if the .cjs held the code.
const commonJsTypes = defineConfig({
  entry,
  format: ['cjs'],
  dts: { only: true },
  outDir: 'dist',
  clean: false,
});

// The bin (`npx dwolla-openapi-client generate`): ESM only, no declarations. Split so that the
// generator and its peers (imported dynamically, once bin-peers.ts found them) sit in chunks the
// entry loads only then: a static import of a missing peer would fail before any check ran.
const bin = defineConfig({
  entry: { 'dwolla-openapi-client': 'scripts/bin.ts' },
  format: ['esm'],
  outDir: 'dist/bin',
  clean: true,
  platform: 'node',
  target: 'node20',
  external: ['@hey-api/openapi-ts', 'prettier', 'yaml', 'typescript'],
  removeNodeProtocol: false,
  splitting: true,
  sourcemap: false,
  minify: false,
});

// The emulator's body thread (src/emulator/check/body-thread.ts starts it by its path beside
// emulator/index): an ES module without declarations. The emulator dashboard's stylesheet and
// script are served as written (no build step): copied to dist/emulator/dashboard/assets/, where
// src/emulator/index.ts finds them as it does in src/.
const besideEmulator = defineConfig({
  ...library,
  entry: { 'emulator/body-worker': 'src/emulator/check/body-worker.ts' },
  dts: false,
  clean: false,
  async onSuccess() {
    await cp('src/emulator/dashboard/assets', 'dist/emulator/dashboard/assets', {
      recursive: true,
    });
  },
});

export default [library, commonJsTypes, bin, besideEmulator];
