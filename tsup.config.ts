import { defineConfig } from 'tsup';

// ESM (.js) and CommonJS (.cjs) with declarations (.d.ts / .d.cts) for each public entry point.
// Entry names keep src/'s folder depth (dist/emulator/index.js sits where src/emulator/*.ts
// does), so the emulator's `new URL('../../openapi/dwolla.yaml', import.meta.url)` resolves to
// the package's openapi/ folder from dist/ just as it does from src/. `shims` gives the CommonJS
// build an `import.meta.url`. No code splitting: a shared chunk (dist/chunk-*.js) would sit at a
// different depth and move `import.meta.url` with it; the entry points share no code anyway.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'emulator/index': 'src/emulator/index.ts',
    'transport/index': 'src/transport/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  outDir: 'dist',
  clean: true,
  platform: 'node',
  target: 'node20',
  shims: true,
  // Keep `node:` specifiers (tsup 8 strips them by default); every supported Node has them.
  removeNodeProtocol: false,
  splitting: false,
  sourcemap: false,
  minify: false,
});
