import { join } from 'node:path';
import { inject } from 'vitest';
import { buildOnce } from './build-once.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** This run's temporary folder (test/global-setup.ts makes it and removes it at the end). */
    runDir: string;
  }
}

/** A folder `name` built once per test run and shared by its test files (build-once.ts). */
export const sharedFolder = (name: string, build: (staging: string) => Promise<void>) =>
  buildOnce(join(inject('runDir'), name), build);
