import { describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../../src/spec/load-spec.js';
import {
  applySpecFixes,
  defineBasicAuthScheme,
  dropAcceptHeaderParameter,
  renameReservedOperationIds,
} from '../../src/spec/spec-fixes.js';

const acceptRef = { $ref: '#/components/parameters/Accept' };
const acceptParameter = {
  name: 'Accept',
  in: 'header',
  required: true,
  schema: { type: 'string', enum: ['application/vnd.dwolla.v1.hal+json'] },
};
const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };

/** A small document shaped like Dwolla's: /token names basicAuth, the rest need Accept. */
function dwollaShaped(): OpenApiDocument {
  return {
    openapi: '3.1.0',
    paths: {
      '/token': { post: { operationId: 'token', security: [{ basicAuth: [] }], responses: {} } },
      '/customers/{id}': {
        parameters: [idParameter],
        get: { operationId: 'getCustomer', parameters: [acceptRef], responses: {} },
        post: {
          operationId: 'updateCustomer',
          parameters: [{ ...acceptParameter, name: 'accept' }, idParameter],
          responses: {},
        },
      },
      '/': { parameters: [acceptRef], get: { operationId: 'root', responses: {} } },
      '/exchanges': { post: { operationId: 'createExchange', responses: {} } },
    },
    components: {
      parameters: { Accept: acceptParameter },
      securitySchemes: { clientCredentials: { type: 'oauth2', flows: {} } },
    },
  };
}

describe('defineBasicAuthScheme', () => {
  it('defines basicAuth as HTTP Basic when an operation names it and nothing defines it', () => {
    const input = dwollaShaped();
    const before = structuredClone(input);
    const { doc, count } = defineBasicAuthScheme.apply(input);
    expect(count).toBe(1);
    expect(doc.components?.securitySchemes).toEqual({
      clientCredentials: { type: 'oauth2', flows: {} },
      basicAuth: { type: 'http', scheme: 'basic' },
    });
    expect(input).toEqual(before);
  });

  it('creates components when the document has none', () => {
    const input = dwollaShaped();
    delete input.components;
    expect(defineBasicAuthScheme.apply(input).doc.components).toEqual({
      securitySchemes: { basicAuth: { type: 'http', scheme: 'basic' } },
    });
  });

  it('is idempotent', () => {
    const once = defineBasicAuthScheme.apply(dwollaShaped()).doc;
    const twice = defineBasicAuthScheme.apply(once);
    expect(twice.count).toBe(0);
    expect(twice.doc).toBe(once);
  });

  it('leaves alone a document that defines basicAuth itself', () => {
    const input = dwollaShaped();
    (input.components!.securitySchemes as Record<string, unknown>).basicAuth = {
      type: 'http',
      scheme: 'digest',
    };
    const { doc, count } = defineBasicAuthScheme.apply(input);
    expect(count).toBe(0);
    expect(doc).toBe(input);
  });

  it('leaves alone a document where no operation names basicAuth', () => {
    const input = dwollaShaped();
    delete (input.paths['/token'] as { post: { security?: unknown } }).post.security;
    const { doc, count } = defineBasicAuthScheme.apply(input);
    expect(count).toBe(0);
    expect(doc).toBe(input);
  });
});

describe('dropAcceptHeaderParameter', () => {
  it('drops Accept header parameters (by $ref or inline, any case) and keeps the rest', () => {
    const input = dwollaShaped();
    const before = structuredClone(input);
    const { doc, count } = dropAcceptHeaderParameter.apply(input);
    expect(count).toBe(3);
    const paths = doc.paths as Record<string, Record<string, { parameters?: unknown[] }>>;
    expect(paths['/customers/{id}']!.get!.parameters).toEqual([]);
    expect(paths['/customers/{id}']!.post!.parameters).toEqual([idParameter]);
    expect(paths['/customers/{id}']!.parameters).toEqual([idParameter]);
    expect(paths['/']!.parameters).toEqual([]);
    expect(doc.components).toEqual(before.components);
    expect(input).toEqual(before);
  });

  it('is idempotent', () => {
    const once = dropAcceptHeaderParameter.apply(dwollaShaped()).doc;
    const twice = dropAcceptHeaderParameter.apply(once);
    expect(twice.count).toBe(0);
    expect(twice.doc).toBe(once);
  });

  it('leaves alone a document with no Accept header parameter', () => {
    const input = dwollaShaped();
    input.paths = { '/exchanges': input.paths['/exchanges']! };
    const { doc, count } = dropAcceptHeaderParameter.apply(input);
    expect(count).toBe(0);
    expect(doc).toBe(input);
  });

  it('keeps a query parameter that happens to be named Accept', () => {
    const query = { name: 'accept', in: 'query', schema: { type: 'string' } };
    const input: OpenApiDocument = {
      openapi: '3.1.0',
      paths: { '/x': { get: { parameters: [query], responses: {} } } },
    };
    expect(dropAcceptHeaderParameter.apply(input)).toEqual({ doc: input, count: 0 });
  });
});

describe('renameReservedOperationIds', () => {
  const withOperations = (ops: Record<string, Record<string, unknown>>): OpenApiDocument => ({
    openapi: '3.1.0',
    paths: { '/webhook-subscriptions/{id}': ops },
  });
  const ids = (doc: OpenApiDocument) =>
    Object.values(
      doc.paths['/webhook-subscriptions/{id}'] as Record<string, { operationId: string }>,
    ).map((op) => op.operationId);

  it('renames a reserved operationId from the summary, dropping articles', () => {
    const input = withOperations({
      delete: { operationId: 'delete', summary: 'Delete a webhook subscription', responses: {} },
      get: { operationId: 'getWebhookSubscription', summary: 'Get it', responses: {} },
    });
    const before = structuredClone(input);
    const { doc, count } = renameReservedOperationIds.apply(input);
    expect(count).toBe(1);
    expect(ids(doc)).toEqual(['deleteWebhookSubscription', 'getWebhookSubscription']);
    expect(input).toEqual(before);
  });

  it('falls back to an Operation suffix when the summary gives no free name', () => {
    const { doc } = renameReservedOperationIds.apply(
      withOperations({
        delete: { operationId: 'delete', summary: 'Delete', responses: {} },
        post: { operationId: 'new', responses: {} },
        get: { operationId: 'class', summary: 'Get it', responses: {} },
        put: { operationId: 'getIt', responses: {} },
      }),
    );
    expect(ids(doc)).toEqual(['deleteOperation', 'newOperation', 'classOperation', 'getIt']);
  });

  it('is idempotent and leaves alone a document without reserved operationIds', () => {
    const once = renameReservedOperationIds.apply(
      withOperations({ delete: { operationId: 'delete', summary: 'Remove it', responses: {} } }),
    ).doc;
    expect(ids(once)).toEqual(['removeIt']);
    const twice = renameReservedOperationIds.apply(once);
    expect(twice).toEqual({ doc: once, count: 0 });
    expect(twice.doc).toBe(once);
  });
});

describe('applySpecFixes', () => {
  it('reports each fix that changed something, once, with its count', () => {
    const { report } = applySpecFixes(dwollaShaped());
    expect(report).toEqual([
      'define-basic-auth-scheme: defined securitySchemes.basicAuth (HTTP Basic), named by 1 operation(s)',
      'drop-accept-header-parameter: dropped the Accept header parameter from 3 operation(s)',
    ]);
  });

  it('reports nothing on an already fixed document', () => {
    const fixed = applySpecFixes(dwollaShaped()).doc;
    expect(applySpecFixes(fixed)).toEqual({ doc: fixed, report: [] });
  });
});
