/** @hey-api/openapi-ts could not generate a client from a spec that parsed and checked. */
export class GeneratorError extends Error {
  override name = 'GeneratorError';
}

/** The generator's own reason, without its stack (its errors wrap the cause in `originalError`). */
export function generatorReason(error: unknown): string {
  const original = (error as { originalError?: { error?: unknown } })?.originalError?.error;
  const cause = original instanceof Error ? original : error;
  return cause instanceof Error ? cause.message : String(cause);
}
