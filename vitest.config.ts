import { defineConfig } from 'vitest/config';

/**
 * Four projects:
 * - `client` (`npm test`, in a run of its own with coverage: `npm run test:client`): the client's
 *   own tests (what runs in a user's process: auth, the Redis store, the request layer,
 *   transports, webhooks, pagination, documents, workflows), several at a time. The coverage
 *   thresholds below are measured and enforced on this run: V8's block coverage slows every
 *   line a test process runs, and the client is all the coverage report counts.
 * - `fast` (`npm test`): every other test file not below, several at a time. Most of their time
 *   is spent waiting (on servers, child processes, timers), not computing, so more files run
 *   than there are cores (Vitest's default is one fewer than the cores: one file at a time on
 *   two).
 * - `timed` (`npm test` too): the files that assert the emulator answers within a bound while it
 *   works (a probe under 200 ms, a request under 2 s, a recursive schema sampled under 10 s),
 *   one at a time, after `fast`: a file beside them would measure the machine, not the emulator.
 * - `slow` (`npm run test:slow`; `npm run test:all` runs both suites, and so does CI): the
 *   package as users install it (packed once, installed with its peers and run, the bin on
 *   Dwolla's spec, every supported generator release), the user's whole flow with Dwolla's spec
 *   in place of the founding one, and the commands run as users run them, each call a fresh
 *   Node process that imports the generator, prettier and TypeScript anew (`npm run contract`
 *   on the founding spec, Dwolla's and each failure class, the refusals of `npm run generate`,
 *   the bin, the contract on random spec variants, TypeDoc): minutes of npm installs, cold
 *   starts and type checks.
 */
const CLIENT = [
  'test/auth/**/*.test.ts',
  'test/redis/**/*.test.ts',
  'test/request/**/*.test.ts',
  'test/transport/**/*.test.ts',
  'test/webhooks/**/*.test.ts',
  'test/pagination/**/*.test.ts',
  'test/documents/**/*.test.ts',
  'test/workflows/**/*.test.ts',
];
const TIMED = [
  'test/emulator/responsive.test.ts',
  'test/emulator/bounds.test.ts',
  'test/emulator/load-bounds.test.ts',
  'test/contract/cycles.test.ts',
];
const SLOW = [
  'test/package/**/*.test.ts',
  'test/generate/replace-spec.test.ts',
  'test/generate/hey-api-releases.test.ts',
  'test/generate/generate-refusals.test.ts',
  'test/generate/bin-cli.test.ts',
  'test/contract/contract.test.ts',
  'test/contract/failure-classes.test.ts',
  'test/contract/one-of-overlaps.test.ts',
  'test/contract/variants.property.test.ts',
  'test/docs/api-reference.test.ts',
];

export default defineConfig({
  test: {
    // One temporary folder per run for what test files build once and share.
    globalSetup: ['test/global-setup.ts'],
    // Generous: four files share two cores, and the machine may be busy besides.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: { name: 'client', include: CLIENT, maxWorkers: 4 },
      },
      {
        extends: true,
        test: {
          name: 'fast',
          include: ['test/**/*.test.ts'],
          exclude: [...CLIENT, ...TIMED, ...SLOW],
          maxWorkers: 4,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'timed', include: TIMED, maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
      {
        extends: true,
        test: { name: 'slow', include: SLOW, maxWorkers: 2, sequence: { groupOrder: 2 } },
      },
    ],
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
