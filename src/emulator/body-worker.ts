import { parentPort, workerData } from 'node:worker_threads';
import { checkBody } from './body-check.js';
import type { OpenApiDocument } from './load-spec.js';
import type { Operation } from './operations.js';
import { createSchemaChecker } from './schemas.js';

/** A job for the body thread: one request body to parse and validate. */
export type BodyJob = {
  id: number;
  operation: Operation;
  contentType: string | undefined;
  raw: Uint8Array;
};

/**
 * The body thread (started by body-thread.ts): parses and validates large request bodies with
 * validators compiled here from the same spec, so that the main thread stays free meanwhile.
 */
const doc = (workerData as { doc: OpenApiDocument }).doc;
const checker = createSchemaChecker(doc);
parentPort!.on('message', (job: BodyJob) => {
  checkBody(doc, checker, job.operation, job.contentType, job.raw).then(
    (verdict) => parentPort!.postMessage({ id: job.id, verdict }),
    (error: unknown) => parentPort!.postMessage({ id: job.id, error: String(error) }),
  );
});
