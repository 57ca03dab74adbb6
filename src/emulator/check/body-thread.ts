import { extname } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { BodyVerdict } from './body-check.js';
import type { BodyJob, CompileJob } from './body-worker.js';
import type { OpenApiDocument } from '../spec/load-spec.js';
import type { WantedValidator } from './schemas.js';

export type BodyThreadOptions = {
  /** How long one job (a body to parse and validate, validators to compile) may take, queueing
   * included (default 10,000 ms; the first also waits for the thread to start). */
  timeoutMs?: number;
  /** Memory and stack of the thread (defaults below). */
  resourceLimits?: ResourceLimits;
};

const DEFAULT_LIMITS: ResourceLimits = {
  maxOldGenerationSizeMb: 256,
  maxYoungGenerationSizeMb: 32,
  stackSizeMb: 4,
};

/** Why a job got no answer: it took too long, or the thread failed (out of memory). */
export class BodyThreadError extends Error {}

type Pending = { resolve(v: unknown): void; reject(e: Error): void; timer: NodeJS.Timeout };

/**
 * One worker thread that parses and validates request bodies, and compiles validators, off the
 * main thread (see body-worker.ts). Started on the first job, jobs run in turn; a job over
 * `timeoutMs` ends the thread (it may be stuck on that body) and fails with every queued job;
 * the next job starts a new thread. `close()` ends it.
 */
export function createBodyThread(doc: OpenApiDocument, options: BodyThreadOptions = {}) {
  const timeoutMs = options.timeoutMs ?? 10_000;
  let worker: Worker | undefined;
  let nextId = 0;
  const pending = new Map<number, Pending>();
  let closed = false;

  function failAll(error: Error): void {
    for (const job of pending.values()) {
      clearTimeout(job.timer);
      job.reject(error);
    }
    pending.clear();
  }

  function stop(error: Error): void {
    const ending = worker;
    worker = undefined;
    failAll(error);
    void ending?.terminate();
  }

  function start(): Worker {
    const started = spawn(doc, { ...DEFAULT_LIMITS, ...options.resourceLimits });
    started.on('message', (m: { id: number; value?: unknown; error?: string }) => {
      const job = pending.get(m.id);
      if (!job) return;
      pending.delete(m.id);
      clearTimeout(job.timer);
      if (m.value) job.resolve(m.value);
      else job.reject(new BodyThreadError(m.error ?? 'the job failed'));
    });
    const lost = (reason: string) => {
      if (worker !== started) return;
      stop(new BodyThreadError(reason));
    };
    started.on('error', (error) => lost(`the body thread failed: ${error.message}`));
    started.on('exit', (code) => lost(`the body thread stopped (exit code ${code})`));
    started.unref();
    return started;
  }

  function run<T>(job: Omit<BodyJob, 'id'> | Omit<CompileJob, 'id'>, what: string): Promise<T> {
    if (closed) return Promise.reject(new BodyThreadError('the emulator is closing'));
    worker ??= start();
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        stop(new BodyThreadError(`${what} took over ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      worker!.postMessage({ ...job, id });
    });
  }

  return {
    check: (job: Omit<BodyJob, 'id'>) => run<BodyVerdict>(job, 'parsing and validating it'),
    /** Ajv standalone code of each validator (see compile-ahead.ts). */
    compile: (wanted: WantedValidator[]) =>
      run<string[]>({ compile: wanted }, 'compiling validators'),
    async close(): Promise<void> {
      closed = true;
      const ending = worker;
      worker = undefined;
      failAll(new BodyThreadError('the emulator is closing'));
      await ending?.terminate();
    },
  };
}

export type BodyThread = ReturnType<typeof createBodyThread>;

/**
 * Starts body-worker beside this module: the package's `.js` (an ES module, from the ESM and the
 * CommonJS build alike, both of which bundle this module into dist/emulator/index), or, run from source (tests, `npm run emulator`), the `.ts` through tsx's
 * loader (a devDependency).
 */
function spawn(doc: OpenApiDocument, resourceLimits: ResourceLimits): Worker {
  const fromSource = extname(fileURLToPath(import.meta.url)) === '.ts';
  const file = new URL(`./body-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url);
  const options = { workerData: { doc }, resourceLimits };
  if (!fromSource) return new Worker(file, options);
  const tsx = createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const code = [
    `const { register } = await import(${JSON.stringify(pathToFileURL(tsx).href)});`,
    'register();',
    `await import(${JSON.stringify(file.href)});`,
  ].join('\n');
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), options);
}
