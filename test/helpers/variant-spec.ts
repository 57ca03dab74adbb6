import { fixtureSpec } from './fixture-spec.js';

/**
 * A small Dwolla-shaped spec with the shapes real versions of Dwolla's spec have had, each
 * switchable: how the token operation declares its security, how operationIds are cased, a
 * `$ref` cycle through a list's `_embedded` items (length 0–3), a GET declaring a body, and a
 * customer answered as a `oneOf` whose branches no body can tell apart.
 */
export type TokenSecurity = 'absent' | 'basicAuth' | 'oauth2' | 'empty';

export interface SpecVariant {
  tokenSecurity?: TokenSecurity;
  /** Turns a camelCase operationId into the one the spec declares (default: as is). */
  operationId?: (camelCase: string) => string;
  /** Length of the schema cycle under GET /accounts/{id}/mass-payments (0: none). */
  cycle?: 0 | 1 | 2 | 3;
  /** Whether GET /customers declares a request body. */
  getBody?: boolean;
  /** GET /customers/{id} answers a `oneOf` of this many customer schemas (2–5) that all accept
   * the same object (no `required`, no `enum`, no `additionalProperties: false`), as older
   * versions of Dwolla's spec do; with `discriminator`, the oneOf names its branches by `type`. */
  overlap?: { branches: number; discriminator: boolean };
}

/** The schemas of `overlap`: `CustomerAny`, a oneOf of `CustomerKind0…`. */
function overlapSchemas({ branches, discriminator }: NonNullable<SpecVariant['overlap']>) {
  const names = Array.from({ length: branches }, (_, i) => `CustomerKind${i}`);
  const schemas: Record<string, object> = {
    CustomerAny: {
      oneOf: names.map(ref),
      ...(discriminator
        ? {
            discriminator: {
              propertyName: 'type',
              mapping: Object.fromEntries(names.map((name, i) => [`kind-${i}`, ref(name).$ref])),
            },
          }
        : {}),
    },
  };
  for (const name of names) {
    schemas[name] = {
      type: 'object',
      properties: {
        id: { type: 'string' },
        firstName: { type: 'string' },
        ...(discriminator ? { type: { type: 'string' } } : {}),
      },
    };
  }
  return schemas;
}

const HAL = 'application/vnd.dwolla.v1.hal+json';
const accept = { $ref: '#/components/parameters/Accept' };
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const hal = (schema: object) => ({ content: { [HAL]: { schema } } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** Schemas `Node0 → Node1 → … → Node0` through optional `_embedded.items` arrays. */
function cycleSchemas(length: number): Record<string, object> {
  const schemas: Record<string, object> = {};
  for (let i = 0; i < length; i++) {
    schemas[`Node${i}`] = {
      type: 'object',
      required: ['id'],
      properties: {
        id: { type: 'string' },
        _embedded: {
          type: 'object',
          properties: { items: { type: 'array', items: ref(`Node${(i + 1) % length}`) } },
        },
        parent: ref(`Node${(i + 1) % length}`),
      },
    };
  }
  return schemas;
}

export function variantSpec(variant: SpecVariant = {}) {
  const id = variant.operationId ?? ((name: string) => name);
  const cycle = variant.cycle ?? 0;
  const security = {
    absent: {},
    empty: { security: [] },
    basicAuth: { security: [{ basicAuth: [] }] },
    oauth2: { security: [{ clientCredentials: [] }] },
  }[variant.tokenSecurity ?? 'basicAuth'];
  // The token operation of the shared fixture, with this variant's security and operationId.
  const { security: _, ...token } = fixtureSpec().paths['/token'].post;
  return {
    openapi: '3.1.0',
    info: { title: 'variant', version: '1' },
    security: [{ clientCredentials: [] }],
    paths: {
      '/token': {
        post: { ...token, operationId: id('createApplicationAccessToken'), ...security },
      },
      '/customers': {
        get: {
          operationId: id('listCustomers'),
          parameters: [
            accept,
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200 } },
          ],
          ...(variant.getBody
            ? { requestBody: { content: { 'application/json': { schema: { type: 'object' } } } } }
            : {}),
          responses: { '200': { description: 'ok', ...hal(ref('CustomerList')) } },
        },
        post: {
          operationId: id('createCustomer'),
          parameters: [accept],
          requestBody: { required: true, ...hal(ref('Customer')) },
          responses: {
            '201': {
              description: 'created',
              headers: { Location: { schema: { type: 'string' } } },
            },
          },
        },
      },
      ...(variant.overlap
        ? {
            '/customers/{id}': {
              get: {
                operationId: id('getCustomer'),
                parameters: [idParam, accept],
                responses: { '200': { description: 'ok', ...hal(ref('CustomerAny')) } },
              },
            },
          }
        : {}),
      '/accounts/{id}/mass-payments': {
        get: {
          operationId: id('listAccountMassPayments'),
          parameters: [idParam, accept],
          responses: {
            '200': {
              description: 'ok',
              ...hal(cycle > 0 ? ref('Node0') : { type: 'object' }),
            },
          },
        },
      },
    },
    components: {
      securitySchemes: {
        clientCredentials: {
          type: 'oauth2',
          flows: { clientCredentials: { tokenUrl: 'https://api.example.com/token', scopes: {} } },
        },
      },
      parameters: {
        Accept: {
          name: 'Accept',
          in: 'header',
          required: true,
          schema: { type: 'string', enum: [HAL] },
        },
      },
      schemas: {
        Customer: {
          type: 'object',
          required: ['firstName'],
          properties: { firstName: { type: 'string', minLength: 1 }, id: { type: 'string' } },
        },
        CustomerList: {
          type: 'object',
          required: ['_embedded'],
          properties: {
            _embedded: {
              type: 'object',
              properties: { customers: { type: 'array', items: ref('Customer') } },
            },
          },
        },
        ...cycleSchemas(cycle),
        ...(variant.overlap ? overlapSchemas(variant.overlap) : {}),
      },
    },
  };
}
