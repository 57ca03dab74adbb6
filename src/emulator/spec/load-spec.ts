import { checkSpec, loadSpec as readSpec, type OpenApiDocument } from '../../spec/load-spec.js';

export type { OpenApiDocument } from '../../spec/load-spec.js';

/**
 * Loads a spec from a YAML or JSON file, or takes an already parsed document (deep-copied, so the
 * emulator never mutates its caller's object). A spec that is not usable is a SpecError.
 */
export async function loadSpec(spec: string | URL | object): Promise<OpenApiDocument> {
  return typeof spec === 'string' || spec instanceof URL
    ? readSpec(spec)
    : checkSpec(structuredClone(spec), 'the spec object');
}
