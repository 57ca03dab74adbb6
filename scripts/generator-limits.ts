/** The generator's limits and their command-line options (no imports: the bin's usage uses them). */
export interface GeneratorLimits {
  /** Wall-clock seconds for the whole generation (generator, client fixes, prettier). */
  maxSeconds: number;
  /** The generator worker's V8 heap (old generation), in MB. */
  maxMemoryMb: number;
}

/**
 * Dwolla's full spec (82 operations) takes a few seconds and a few hundred MB here: the
 * defaults leave a wide margin for a loaded machine and a larger spec, and still stop a runaway.
 */
export const DEFAULT_LIMITS: GeneratorLimits = { maxSeconds: 120, maxMemoryMb: 1536 };

/** The limit options as every command's usage line shows them. */
export const LIMIT_OPTIONS = `[--max-seconds <s, default ${DEFAULT_LIMITS.maxSeconds}>] [--max-memory-mb <MB, default ${DEFAULT_LIMITS.maxMemoryMb}>]`;
