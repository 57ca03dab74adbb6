import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Dwolla's full public spec: test data kept outside the repo, in ../shared/upstream (or the
 * path in DWOLLA_UPSTREAM_SPEC). Under CI=true a missing file fails the run; otherwise the tests
 * that need it skip, and each test file importing this says so on its output.
 */
export const UPSTREAM_SPEC = resolve(
  process.env.DWOLLA_UPSTREAM_SPEC ?? '../shared/upstream/dwolla-openapi.yml',
);
export const HAS_UPSTREAM_SPEC = existsSync(UPSTREAM_SPEC);

if (!HAS_UPSTREAM_SPEC) {
  const missing = `Dwolla's upstream spec is missing at ${UPSTREAM_SPEC} (set DWOLLA_UPSTREAM_SPEC to its path)`;
  if (process.env.CI) throw new Error(`CI needs it: ${missing}`);
  console.warn(`skipping the tests that need it: ${missing}; CI=true fails instead`);
}
