import { cp } from 'node:fs/promises';
import { defineConfig } from 'tsup';

// ESM (.js) and CommonJS (.cjs) with declarations (.d.ts / .d.cts) for each public entry point.
// Entry names keep src/'s folder depth (dist/emulator/index.js sits where src/emulator/index.ts
// does), so the emulator's `new URL('../../openapi/dwolla.yaml', import.meta.url)` resolves to
// the package's openapi/ folder from dist/ just as it does from src/. `shims` gives the CommonJS
// build an `import.meta.url`. No code splitting: a shared chunk (dist/chunk-*.js) would sit at a
// different depth and move `import.meta.url` with it; the entry points share no code anyway.
// (Declarations do share a chunk: `dwolla.client`'s type and the one `./client`'s users import
// are one declaration.)
const library = defineConfig({
  entry: {
    index: 'src/index.ts',
    'emulator/index': 'src/emulator/index.ts',
    'transport/index': 'src/transport/index.ts',
    // The generated client runtime, for the operations users generate with the bin.
    'client/index': 'src/generated/client/index.ts',
    'redis/index': 'src/redis/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  outDir: 'dist',
  // Everything but what the other builds write at the same time.
  clean: ['!bin/**', '!emulator/body-worker.js', '!emulator/dashboard/**'],
  platform: 'node',
  target: 'node20',
  shims: true,
  // Keep `node:` specifiers (tsup 8 strips them by default); every supported Node has them.
  removeNodeProtocol: false,
  splitting: false,
  sourcemap: false,
  // Whitespace and syntax only: identifiers are not minified, so class and function names stay
  // readable in stack traces. No keepNames: with identifiers kept it only guards the rare name
  // esbuild changes to avoid a clash between modules (an internal `send` becomes `send2`) and
  // costs 32 KB; test/package checks every error class keeps its name. Keeps the installed
  // package under its 600 KB budget (test/package).
  minifyWhitespace: true,
  minifySyntax: true,
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

// What the emulator loads by its path beside emulator/index, from either format: its body thread
// (src/emulator/check/body-thread.ts starts it) and the dashboard's server code (src/emulator/
// index.ts imports it on the dashboard's first request). ES modules only, no declarations: one
// copy of each in the package, as the package is small. The dashboard's stylesheet and script are
// served as written (no build step): copied beside its module, which finds them in ./assets/.
const besideEmulator = defineConfig({
  ...library,
  entry: {
    'emulator/body-worker': 'src/emulator/check/body-worker.ts',
    'emulator/dashboard/dashboard': 'src/emulator/dashboard/dashboard.ts',
  },
  format: ['esm'],
  dts: false,
  clean: false,
  shims: false,
  async onSuccess() {
    await cp('src/emulator/dashboard/assets', 'dist/emulator/dashboard/assets', {
      recursive: true,
    });
  },
});

export default [library, bin, besideEmulator];
