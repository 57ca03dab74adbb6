/**
 * @hey-api/openapi-ts bounded in time and memory, for the commands (`npm run generate`, the
 * bin): it runs in a worker thread with a V8 heap limit and a wall-clock limit. A run over
 * either is terminated and becomes a GeneratorError naming the spec, the limit and the option
 * that raises it; the caller (generateAtomically, checkGenerated) then removes its folder.
 */
import { Worker } from 'node:worker_threads';
import type { UserConfig } from '@hey-api/openapi-ts';
import type { Generator } from './codegen.js';
import { GeneratorError } from './generator-error.js';
import type { GeneratorLimits } from './generator-limits.js';
import { typescriptApiHook, type InstalledGenerator } from './hey-api.js';

/**
 * The worker, plain JavaScript: it imports the generator (a plain JS package) and nothing of
 * this project's TypeScript, so it starts as fast from the sources under tsx (whose hooks a
 * worker does not inherit, and which cost seconds when registered in one) as from the bin. It
 * imports the generator at once, then waits for its configuration; it posts the generator's own
 * error (`originalError.error`, see generatorReason): only an Error's name, message and stack
 * cross to this thread. When the generator's `typescript` is 7 (no compiler API), a resolve hook
 * hands it TypeScript 6's API instead (hey-api.ts's typescriptApiHook).
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
if (workerData.hook) require('node:module').register(workerData.hook);
const generator = import(workerData.generator);
parentPort.once('message', (config) =>
  generator
    .then(({ createClient }) => createClient(config))
    .then(
      () => parentPort.postMessage({ ok: true }),
      (error) => parentPort.postMessage({ ok: false, error: error?.originalError?.error ?? error }),
    ),
);
`;

type Outcome = { ok: true } | { ok: false; error: unknown };

/** A started worker and how it ended: its message, or the error that ended it. */
function startWorker(limits: GeneratorLimits, installed: InstalledGenerator) {
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: {
      generator: installed.url,
      hook: installed.typescriptApi && typescriptApiHook(installed.typescriptApi),
    },
    resourceLimits: { maxOldGenerationSizeMb: limits.maxMemoryMb },
  });
  const ended = new Promise<Outcome | NodeJS.ErrnoException | undefined>((resolve) => {
    let outcome: Outcome | NodeJS.ErrnoException | undefined;
    worker.on('message', (message: Outcome) => {
      outcome ??= message;
      void worker.terminate();
    });
    worker.on('error', (error) => (outcome ??= error));
    // Only once the thread is gone: nothing writes into the output folder after that.
    worker.on('exit', () => resolve(outcome));
  });
  // Not kept alive before it runs (after the listeners, which would ref it again): a refused
  // spec ends the process without it.
  worker.unref();
  return { worker, ended };
}

/**
 * The installed @hey-api/openapi-ts, run in a worker within `limits`; a run settles once the
 * worker is gone. The first worker starts at once, so that importing the generator (over a
 * second) overlaps the caller's reading and fixing of the spec. The time limit counts from the
 * call, the memory limit holds throughout.
 */
export function boundedGenerator(
  limits: GeneratorLimits,
  installed: InstalledGenerator,
): Generator {
  let warm: ReturnType<typeof startWorker> | undefined = startWorker(limits, installed);
  const run = async (config: UserConfig, source: string) => {
    const { worker, ended } = warm ?? startWorker(limits, installed);
    warm = undefined;
    worker.ref();
    worker.postMessage(config);
    let timedOut = false;
    const timer = setTimeout(
      () => {
        timedOut = true;
        void worker.terminate();
      },
      Math.min(limits.maxSeconds * 1000, 2 ** 31 - 1),
    );
    const outcome = await ended;
    clearTimeout(timer);
    if (timedOut) {
      throw new GeneratorError(
        `${source}: generation stopped at its time limit of ${limits.maxSeconds} s; raise it with --max-seconds <seconds>`,
      );
    }
    if (outcome instanceof Error && outcome.code === 'ERR_WORKER_OUT_OF_MEMORY') {
      throw new GeneratorError(
        `${source}: generation stopped at its memory limit of ${limits.maxMemoryMb} MB; raise it with --max-memory-mb <MB>`,
      );
    }
    if (outcome === undefined) throw new Error("the generator's worker ended without an answer");
    if (outcome instanceof Error) throw outcome;
    if (!outcome.ok) throw outcome.error;
  };
  return { version: installed.version, run };
}
