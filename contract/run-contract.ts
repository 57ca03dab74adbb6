import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateInto, makeTempDir, prepareSpec } from '../scripts/codegen.js';
import { createDwollaClient } from '../src/index.js';
import { startEmulator, type SampleRequest } from '../src/emulator/index.js';
import { pathParams } from '../src/emulator/http/router.js';
import { listOperations, type Operation } from '../src/emulator/spec/operations.js';
import { createSchemaChecker, type SchemaChecker } from '../src/emulator/check/schemas.js';
import { synthesise } from '../src/emulator/answer/synthesise.js';
import { loadSpec, type OpenApiDocument } from '../src/spec/load-spec.js';
import { isTokenOperation } from '../src/spec/token-operation.js';
import { checkExchange } from './check-exchange.js';
import { compareResult, type ClientResult } from './client-result.js';
import { createOracle } from './oracle.js';
import {
  findOverlappingOneOfs,
  relaxOverlappingOneOfs,
  type OverlappingOneOf,
} from '../src/emulator/spec/one-of-overlaps.js';
import { checkUploads, fileFields, withUploads } from './upload.js';

export interface OperationResult {
  operationId: string;
  method: string;
  path: string;
  /** Why the operation failed; empty when it passed. */
  problems: string[];
}

/** What a contract run found: a result per operation, and the spec defects whose check it
 * relaxed (each `oneOf` whose branches overlap, checked by OVERLAP_RULE instead of "exactly
 * one"). */
export interface ContractReport {
  results: OperationResult[];
  relaxed: OverlappingOneOf[];
}

export interface ContractOptions {
  spec: string;
  /** Changes one call's arguments before it is sent (to prove that a broken request fails). */
  tamper?: (operationId: string, request: SampleRequest) => SampleRequest;
  /** A body the emulator sends instead of its answer for an operation (to prove that a broken
   * response fails); undefined leaves the answer alone. */
  breakResponse?: (operationId: string) => unknown;
}

type GeneratedOperation = (options: Record<string, unknown>) => Promise<ClientResult>;

/**
 * Generates a client for the spec into a temporary folder (through the generate pipeline),
 * starts the emulator on the same spec, calls every operation through createDwollaClient with
 * arguments built from the spec, and checks each request on the wire and each answer against
 * the spec.
 */
export async function runContract(options: ContractOptions): Promise<ContractReport> {
  const { doc } = await prepareSpec(options.spec);
  const scratch = await makeTempDir('dwolla-contract-');
  const key = 'contract-key';
  const secret = 'contract-secret';
  // Stateless: each operation is called once with ids from the spec's examples, which a stateful
  // emulator never issued (it would answer 404).
  const emulator = await startEmulator({ spec: doc, key, secret, state: false });
  try {
    await generateInto(doc, scratch, options.spec);
    const sdk = (await import(pathToFileURL(join(scratch, 'sdk.gen.ts')).href)) as Record<
      string,
      GeneratedOperation | undefined
    >;
    const dwolla = createDwollaClient({ key, secret, baseUrl: emulator.url });
    const checker = createSchemaChecker(doc);
    // The judge of responses: compiled here from the spec file as loaded, not the emulator's,
    // with the one rule for overlapping oneOf branches (a spec defect) and plain oneOf elsewhere.
    const loaded = await loadSpec(options.spec);
    const relaxed = findOverlappingOneOfs(loaded);
    const oracle = createOracle(relaxOverlappingOneOfs(loaded, relaxed));
    const results: OperationResult[] = [];
    for (const operation of listOperations(doc)) {
      const problems = await exercise(operation);
      results.push({ ...pick(operation), problems });
    }
    return { results, relaxed };

    async function exercise(operation: Operation): Promise<string[]> {
      const call = sdk[operation.operationId];
      if (typeof call !== 'function') return ['the generated client has no such function'];
      let request: SampleRequest;
      try {
        request = emulator.sampleRequest(operation.operationId);
      } catch (error) {
        return [`cannot build a valid request: ${(error as Error).message}`];
      }
      if (options.tamper) request = options.tamper(operation.operationId, request);
      const isToken = isTokenOperation(doc, operation.method, operation.path);
      if (!isToken) await dwolla.getAccessToken(); // the token request is not this call's exchange
      const broken = options.breakResponse?.(operation.operationId);
      if (broken !== undefined) {
        const status = Number(
          Object.keys(operation.responses).find((s) => /^2\d\d$/.test(s)) ?? 200,
        );
        emulator.fault({ method: operation.method, path: operation.path, status, body: broken });
      }
      emulator.resetStats();
      const { accept: _, ...headers } = request.headers; // the client sets Accept itself
      const query = withOptionalQuery(doc, checker, operation, request.query);
      const files = request.contentType === 'multipart/form-data' ? fileFields(doc, operation) : [];
      const result = await call({
        client: dwolla.client,
        path: pathParams(operation.path, request.path),
        query,
        headers,
        body: withUploads(request.body, files),
      }).catch((error: unknown): ClientResult => ({ error, response: undefined }));

      const exchanges = emulator.requests().filter((r) => r.operationId === operation.operationId);
      if (exchanges.length !== 1) {
        return [`put ${exchanges.length} requests for it on the wire, not 1`, ...errorOf(result)];
      }
      const exchange = exchanges[0]!;
      const problems = await checkExchange(
        checker,
        oracle,
        operation,
        exchange,
        emulator.url,
        isToken,
      );
      const arrived = new URLSearchParams(exchange.query);
      for (const name of Object.keys(query)) {
        if (![...arrived.keys()].some((key) => key === name || key.startsWith(`${name}[`))) {
          problems.push(`query parameter ${name} did not reach the wire`);
        }
      }
      problems.push(...(await checkUploads(exchange, files)));
      if (exchange.response) problems.push(...compareResult(result, exchange.response));
      if (problems.length === 0 && result.error !== undefined) problems.push(...errorOf(result));
      return problems;
    }
  } finally {
    await emulator.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * The sampled query (required parameters) plus a value for every optional one, as typed data
 * (numbers, enums, arrays), so the generated client serialises each in its declared style.
 */
function withOptionalQuery(
  doc: OpenApiDocument,
  checker: SchemaChecker,
  operation: Operation,
  query: Record<string, string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...query };
  for (const param of operation.parameters) {
    if (param.in !== 'query' || param.name in out) continue;
    out[param.name] =
      param.schemaAt === undefined ? 'string' : synthesise(doc, checker, param.schemaAt);
  }
  return out;
}

const pick = ({ operationId, method, path }: Operation) => ({ operationId, method, path });

function errorOf(result: { error?: unknown }): string[] {
  if (result.error === undefined) return [];
  const error = result.error;
  const text = error instanceof Error ? error.message : JSON.stringify(error);
  return [`the client reported an error: ${text.slice(0, 300)}`];
}
