import type { ValidateFunction } from 'ajv/dist/2020.js';
import { emulatorPeer } from './peers.js';
import type { SchemaChecker, WantedValidator } from './schemas.js';

/** Runs a synchronous step that changes nothing, with every validator it uses at hand. */
export type Prepared = <T>(step: () => T) => Promise<T>;

/** Rounds of noting and loading at most; then what is still missing compiles here. */
const MAX_ROUNDS = 20;

/**
 * Keeps the main thread from compiling validators (up to about 0.5 s each on Dwolla's full
 * spec): a step is first run noting the validators it lacks; `load` has them compiled elsewhere
 * (the body thread) as Ajv standalone code, which is evaluated here in a few milliseconds, one
 * validator a turn of the event loop; then the step runs again, until it lacks none. When
 * `load` fails (the thread died or timed out) the step runs at once, compiling what it lacks
 * here: slower, but answered.
 */
export function compileAhead(
  checker: SchemaChecker,
  load: (wanted: WantedValidator[]) => Promise<string[]>,
): Prepared {
  return async (step) => {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const { value, wanted } = checker.noting(step);
      if (!wanted.length) return value;
      let codes: string[];
      try {
        codes = await load(wanted);
      } catch {
        break;
      }
      for (const [i, code] of codes.entries()) {
        checker.adopt(wanted[i]!, fromStandalone(code));
        await new Promise((next) => setImmediate(next));
      }
    }
    return step();
  };
}

/** A validator from Ajv's standalone (CommonJS) code; its requires are ajv's runtime helpers
 * and ajv-formats' formats. */
function fromStandalone(code: string): ValidateFunction {
  const module = { exports: {} as { default?: ValidateFunction } };
  new Function('require', 'module', 'exports', code)(emulatorPeer, module, module.exports);
  return module.exports.default!;
}
