import type { ValidateFunction } from 'ajv/dist/2020.js';
import { emulatorPeer } from '../peers.js';
import type { SchemaChecker, WantedValidator } from './schemas.js';

/** Runs a synchronous step that changes nothing, with every validator it uses at hand. */
export type Prepared = <T>(step: () => T) => Promise<T>;

/** Rounds of noting and loading at most; then what is still missing compiles here. */
const MAX_ROUNDS = 20;
/** Standalone code kept for other emulators of this process on the same spec (a test suite
 * starts many), by spec and validator; past this many characters the oldest is dropped. */
const MAX_SHARED_CHARS = 32 * 1024 * 1024;
const shared = new Map<string, string>();
let sharedChars = 0;

/**
 * Keeps the main thread from compiling validators (up to about 0.2 s each on Dwolla's full
 * spec): a step is first run noting the validators it lacks; `load` has them compiled elsewhere
 * (the body thread) as Ajv standalone code, which is evaluated here in a few milliseconds, one
 * validator a turn of the event loop; then the step runs again, until it lacks none. Code
 * already made for an emulator of this process on the same spec (`specKey`) is evaluated
 * without asking `load`. When `load` fails (the thread died or timed out) the step runs at
 * once, compiling what it lacks here: slower, but answered.
 */
export function compileAhead(
  checker: SchemaChecker,
  specKey: string,
  load: (wanted: WantedValidator[]) => Promise<string[]>,
): Prepared {
  const keyOf = (w: WantedValidator) => `${specKey} ${w.kind} ${w.key}`;
  return async (step) => {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const { value, wanted } = checker.noting(step);
      if (!wanted.length) return value;
      const missing = wanted.filter((w) => !shared.has(keyOf(w)));
      try {
        const codes = missing.length ? await load(missing) : [];
        missing.forEach((w, i) => share(keyOf(w), codes[i]!));
      } catch {
        break;
      }
      for (const w of wanted) {
        const code = shared.get(keyOf(w));
        if (code !== undefined) checker.adopt(w, fromStandalone(code));
        await new Promise((next) => setImmediate(next));
      }
    }
    return step();
  };
}

function share(key: string, code: string): void {
  if (shared.has(key)) return;
  shared.set(key, code);
  sharedChars += code.length;
  for (const [oldest, dropped] of shared) {
    if (sharedChars <= MAX_SHARED_CHARS) break;
    shared.delete(oldest);
    sharedChars -= dropped.length;
  }
}

/** A validator from Ajv's standalone (CommonJS) code; its requires are ajv's runtime helpers
 * and ajv-formats' formats. */
function fromStandalone(code: string): ValidateFunction {
  const module = { exports: {} as { default?: ValidateFunction } };
  new Function('require', 'module', 'exports', code)(emulatorPeer, module, module.exports);
  return module.exports.default!;
}
