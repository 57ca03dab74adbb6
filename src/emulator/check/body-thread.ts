import { extname } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { BodyVerdict } from './body-check.js';
import type { BodyJob, CompileJob } from './body-worker.js';
import type { OpenApiDocument } from '../spec/load-spec.js';
import type { WantedValidator } from './schemas.js';

/** The emulator's `bodyThread` option: the worker thread that checks large bodies. */
export type BodyThreadOptions = {
  /** How long the thread may spend on one job (a body to parse and validate, validators to
   * compile), from when its turn comes (default 10,000 ms; the first job of a thread also waits
   * for it to start). */
  timeoutMs?: number;
  /** Memory and stack of the thread (defaults below). */
  resourceLimits?: ResourceLimits;
};

const DEFAULT_LIMITS: ResourceLimits = {
  maxOldGenerationSizeMb: 256,
  maxYoungGenerationSizeMb: 32,
  stackSizeMb: 4,
};

/** Jobs waiting for the thread at most (each may hold a body of up to 10 MiB); past it a job is
 * refused at once with a BodyThreadBusyError. */
export const MAX_WAITING_JOBS = 64;

/** Why a job got no answer: it took too long, or the thread failed (out of memory). */
export class BodyThreadError extends Error {}

/** The thread has MAX_WAITING_JOBS jobs waiting: try again shortly. */
export class BodyThreadBusyError extends BodyThreadError {}

type Pending = {
  message: (BodyJob | CompileJob) & { id: number };
  what: string;
  resolve(v: unknown): void;
  reject(e: Error): void;
};

/**
 * One worker thread that parses and validates request bodies, and compiles validators, off the
 * main thread (see body-worker.ts). Started on the first job; jobs run in turn, and the one whose
 * turn it is (the oldest unanswered) has `timeoutMs`. A job over it, or one under way when the
 * thread fails (out of memory), fails alone: the thread is ended (it may be stuck on that body)
 * and a new one takes the jobs that were waiting. `close()` ends it.
 */
export function createBodyThread(doc: OpenApiDocument, options: BodyThreadOptions = {}) {
  const timeoutMs = options.timeoutMs ?? 10_000;
  let worker: Worker | undefined;
  let nextId = 0;
  /** Unanswered jobs, oldest (the one under way) first. */
  const pending = new Map<number, Pending>();
  /** The job `timer` times, and the timer. */
  let timed: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  /** Times the oldest unanswered job, unless it is already the one timed. */
  function timeHead(): void {
    const head = pending.keys().next();
    const id = head.done ? undefined : head.value;
    if (id === timed) return;
    clearTimeout(timer);
    timed = id;
    timer =
      id === undefined
        ? undefined
        : setTimeout(() => {
            const what = pending.get(id)?.what ?? 'a job';
            restart(id, new BodyThreadError(`${what} took over ${timeoutMs} ms`));
          }, timeoutMs);
  }

  function settle(id: number): Pending | undefined {
    const job = pending.get(id);
    pending.delete(id);
    timeHead();
    return job;
  }

  /** Fails job `failed`, ends the thread, and gives the jobs still waiting to a new one. */
  function restart(failed: number | undefined, error: Error): void {
    const ending = worker;
    worker = undefined;
    void ending?.terminate();
    if (failed !== undefined) settle(failed)?.reject(error);
    if (!pending.size || closed) return;
    worker = start();
    for (const job of pending.values()) worker.postMessage(job.message);
    timed = undefined;
    timeHead();
  }

  function start(): Worker {
    const started = spawn(doc, { ...DEFAULT_LIMITS, ...options.resourceLimits });
    started.on('message', (m: { id: number; value?: unknown; error?: string }) => {
      if (worker !== started) return;
      const job = settle(m.id);
      if (!job) return;
      if (m.value) job.resolve(m.value);
      else job.reject(new BodyThreadError(m.error ?? 'the job failed'));
    });
    const lost = (reason: string) => {
      if (worker !== started) return;
      const head = pending.keys().next();
      restart(head.done ? undefined : head.value, new BodyThreadError(reason));
    };
    started.on('error', (error) => lost(`the body thread failed: ${error.message}`));
    started.on('exit', (code) => lost(`the body thread stopped (exit code ${code})`));
    started.unref();
    return started;
  }

  function run<T>(job: Omit<BodyJob, 'id'> | Omit<CompileJob, 'id'>, what: string): Promise<T> {
    if (closed) return Promise.reject(new BodyThreadError('the emulator is closing'));
    if (pending.size >= MAX_WAITING_JOBS) {
      const busy = `the body thread has ${pending.size} jobs waiting`;
      return Promise.reject(new BodyThreadBusyError(busy));
    }
    worker ??= start();
    const id = nextId++;
    const message = { ...job, id } as Pending['message'];
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { message, what, resolve: resolve as (v: unknown) => void, reject });
      worker!.postMessage(message);
      timeHead();
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
      const jobs = [...pending.values()];
      pending.clear();
      timeHead();
      for (const job of jobs) job.reject(new BodyThreadError('the emulator is closing'));
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
