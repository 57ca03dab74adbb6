import { SpecError } from '../src/spec/load-spec.js';
import { GeneratorError } from './generator-error.js';

/**
 * Runs a command's main function with the process arguments and sets the exit code it returns.
 * A SpecError (a spec that cannot be used) or a GeneratorError is printed as its message alone,
 * anything else in full; both exit 1.
 */
export function runCli(main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const expected = error instanceof SpecError || error instanceof GeneratorError;
      console.error(expected ? error.message : error);
      process.exitCode = 1;
    },
  );
}
