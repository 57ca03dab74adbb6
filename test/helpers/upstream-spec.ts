import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Dwolla's full public spec: test data kept outside the repo, in ../shared/upstream (or the
 * path in DWOLLA_UPSTREAM_SPEC). Under CI=true a missing file fails the run instead of skipping.
 */
export const UPSTREAM_SPEC = resolve(
  process.env.DWOLLA_UPSTREAM_SPEC ?? '../shared/upstream/dwolla-openapi.yml',
);
export const HAS_UPSTREAM_SPEC = existsSync(UPSTREAM_SPEC);

if (!HAS_UPSTREAM_SPEC && process.env.CI) {
  throw new Error(`CI needs Dwolla's upstream spec at ${UPSTREAM_SPEC}, and it is missing`);
}
