// Kept in sync with package.json (name, version); a test in test/auth/token-request.test.ts fails when they drift.
/** This package's name, as sent in `User-Agent`. */
export const PACKAGE_NAME = 'dwolla-openapi-client';
/** This package's version, as sent in `User-Agent`. */
export const PACKAGE_VERSION = '0.1.0';
export const USER_AGENT = `${PACKAGE_NAME}/${PACKAGE_VERSION}`;
