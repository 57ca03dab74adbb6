import { describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../../src/spec/load-spec.js';
import { SpecError } from '../../src/spec/load-spec.js';
import {
  applySpecFixes,
  defineBasicAuthScheme,
  dropAcceptHeaderParameter,
  dropGetRequestBodies,
  nameOperationsAsFunctions,
  renameReservedOperationIds,
  secureTokenOperation,
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

describe('secureTokenOperation', () => {
  const tokenWith = (security: unknown, schemes: Record<string, unknown> = {}) => {
    const doc = dwollaShaped();
    const post = (doc.paths['/token'] as { post: Record<string, unknown> }).post;
    if (security === undefined) delete post.security;
    else post.security = security;
    doc.components!.securitySchemes = {
      clientCredentials: {
        type: 'oauth2',
        flows: { clientCredentials: { tokenUrl: 'https://api.example.com/token', scopes: {} } },
      },
      ...schemes,
    };
    return doc;
  };
  const tokenSecurity = (doc: OpenApiDocument) =>
    (doc.paths['/token'] as { post: { security?: unknown } }).post.security;

  it.each([
    ['absent (inherits the global OAuth2)', undefined],
    ['OAuth2', [{ clientCredentials: [] }]],
    ['empty', []],
    ['Basic or OAuth2', [{ basicAuth: [] }, { clientCredentials: [] }]],
  ])('gives the operation at the tokenUrl HTTP Basic when its security is %s', (_, security) => {
    const input = tokenWith(security);
    const before = structuredClone(input);
    const { doc, count } = secureTokenOperation.apply(input);
    expect(count).toBe(1);
    expect(tokenSecurity(doc)).toEqual([{ basicAuth: [] }]);
    expect(input).toEqual(before);
    // then define-basic-auth-scheme defines it, and the whole chain is idempotent
    const fixed = applySpecFixes(input).doc;
    expect(fixed.components?.securitySchemes).toMatchObject({
      basicAuth: { type: 'http', scheme: 'basic' },
    });
    expect(applySpecFixes(fixed).report).toEqual([]);
  });

  it('uses an HTTP Basic scheme the document defines, whatever its name', () => {
    const { doc } = secureTokenOperation.apply(
      tokenWith(undefined, { clientSecret: { type: 'http', scheme: 'Basic' } }),
    );
    expect(tokenSecurity(doc)).toEqual([{ clientSecret: [] }]);
  });

  it('defines its own scheme when basicAuth is taken by something else', () => {
    const { doc } = secureTokenOperation.apply(
      tokenWith(undefined, { basicAuth: { type: 'apiKey', in: 'header', name: 'X-Key' } }),
    );
    expect(tokenSecurity(doc)).toEqual([{ tokenBasicAuth: [] }]);
    expect(doc.components?.securitySchemes).toMatchObject({
      tokenBasicAuth: { type: 'http', scheme: 'basic' },
    });
  });

  it('leaves alone a token operation that names basicAuth (defined or not) or has no tokenUrl path', () => {
    for (const input of [
      tokenWith([{ basicAuth: [] }]),
      tokenWith([{ basicAuth: [] }], { basicAuth: { type: 'http', scheme: 'basic' } }),
    ]) {
      expect(secureTokenOperation.apply(input)).toEqual({ doc: input, count: 0 });
    }
    const elsewhere = tokenWith(undefined);
    (elsewhere.components!.securitySchemes as Record<string, unknown>).clientCredentials = {
      type: 'oauth2',
      flows: { clientCredentials: { tokenUrl: '/oauth/token', scopes: {} } },
    };
    expect(secureTokenOperation.apply(elsewhere).count).toBe(0);
  });
});

describe('dropGetRequestBodies', () => {
  it('drops the request body of GET and HEAD operations only, with its count', () => {
    const body = { content: { 'application/json': { schema: { type: 'object' } } } };
    const input: OpenApiDocument = {
      openapi: '3.1.0',
      paths: {
        '/a': {
          get: { requestBody: body },
          head: { requestBody: body },
          post: { requestBody: body },
        },
      },
    };
    const before = structuredClone(input);
    const { doc, count } = dropGetRequestBodies.apply(input);
    expect(count).toBe(2);
    expect(doc.paths['/a']).toEqual({ get: {}, head: {}, post: { requestBody: body } });
    expect(input).toEqual(before);
    expect(dropGetRequestBodies.apply(doc)).toEqual({ doc, count: 0 });
  });
});

describe('nameOperationsAsFunctions', () => {
  const withIds = (...ids: Array<string | undefined>): OpenApiDocument => ({
    openapi: '3.1.0',
    paths: Object.fromEntries(
      ids.map((operationId, i) => [`/things/${i}/{id}`, { get: { operationId } }]),
    ),
  });
  const ids = (doc: OpenApiDocument) =>
    Object.values(doc.paths).map(
      (item) => (item as { get: { operationId: string } }).get.operationId,
    );

  it('renames each operationId to the camelCase name the generator gives its function', () => {
    const input = withIds(
      'ListAccountMassPayments',
      'get-customer',
      'list_funding_sources_v2',
      'getHTTPStatus',
      '2fa-check',
      'camelCase',
      undefined,
    );
    const { doc, count } = nameOperationsAsFunctions.apply(input);
    expect(ids(doc)).toEqual([
      'listAccountMassPayments',
      'getCustomer',
      'listFundingSourcesV2',
      'getHttpStatus',
      'operation2FaCheck',
      'camelCase',
      'getThings6ById',
    ]);
    expect(count).toBe(6);
    expect(nameOperationsAsFunctions.apply(doc)).toEqual({ doc, count: 0 });
  });

  it('refuses operationIds that would name the same function, naming each', () => {
    expect(() =>
      nameOperationsAsFunctions.apply(withIds('get-customer', 'getCustomer', 'get_customer')),
    ).toThrow(
      new SpecError(
        'operationIds "get-customer", "getCustomer", "get_customer" all name the generated function getCustomer; give them distinct operationIds',
      ),
    );
  });

  it('refuses them through applySpecFixes, naming the spec', () => {
    expect(() => applySpecFixes(withIds('a', 'A'), undefined, 'x.yaml')).toThrow(
      /^x\.yaml: operationIds "a", "A" all name the generated function a;/,
    );
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

  it('renames then, which would make the generated module thenable', () => {
    const { doc } = renameReservedOperationIds.apply(
      withOperations({ get: { operationId: 'then', summary: 'Then what', responses: {} } }),
    );
    expect(ids(doc)).toEqual(['thenWhat']);
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
