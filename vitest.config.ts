import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One temporary folder per run for what test files build once and share.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    coverage: {
      provider: 'v8',
      include: [
        'src/auth/**/*.ts',
        'src/common/**/*.ts',
        'src/request/**/*.ts',
        'src/transport/**/*.ts',
        'src/errors.ts',
        'src/client.ts',
        'src/webhooks/**/*.ts',
        'src/links/**/*.ts',
        'src/pagination/**/*.ts',
        'src/documents/**/*.ts',
      ],
      thresholds: { lines: 95, branches: 95, functions: 95, statements: 95 },
    },
  },
});
