import { parentPort, workerData } from 'node:worker_threads';
import { checkBody } from './body-check.js';
import type { OpenApiDocument } from '../spec/load-spec.js';
import type { Operation } from '../spec/operations.js';
import { createSchemaChecker, type WantedValidator } from './schemas.js';

/** A job for the body thread: one request body to parse and validate. */
export type BodyJob = {
  id: number;
  operation: Operation;
  contentType: string | undefined;
  raw: Uint8Array;
};
/** A job for the body thread: validators to compile, answered as Ajv standalone code. */
export type CompileJob = { id: number; compile: WantedValidator[] };

/**
 * The body thread (started by body-thread.ts): parses and validates large request bodies, and
 * compiles validators for the main thread (compile-ahead.ts), with validators compiled here from
 * the same spec, so that the main thread stays free meanwhile.
 */
const doc = (workerData as { doc: OpenApiDocument }).doc;
const checker = createSchemaChecker(doc, true);
parentPort!.on('message', (job: BodyJob | CompileJob) => {
  const result =
    'compile' in job
      ? Promise.resolve().then(() => job.compile.map((wanted) => checker.exportCode(wanted)))
      : checkBody(doc, checker, job.operation, job.contentType, job.raw);
  result.then(
    (value) => parentPort!.postMessage({ id: job.id, value }),
    (error: unknown) => parentPort!.postMessage({ id: job.id, error: String(error) }),
  );
});
