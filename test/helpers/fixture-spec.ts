/**
 * A small Dwolla-like spec for tests that need more than POST /token: a list with a typed query
 * parameter, a create (201 + Location) with a HAL+JSON body, a read with a valid example, a read
 * whose example is wrong (so the emulator must synthesise), an operation answering 200 and 201,
 * a required header parameter and a multipart upload.
 */
export function fixtureSpec() {
  const hal = 'application/vnd.dwolla.v1.hal+json';
  const accept = { $ref: '#/components/parameters/Accept' };
  const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
  return {
    openapi: '3.1.0',
    info: { title: 'fixture', version: '1' },
    security: [{ clientCredentials: [] }],
    paths: {
      '/token': {
        post: {
          operationId: 'createApplicationAccessToken',
          security: [{ basicAuth: [] }],
          requestBody: {
            required: true,
            content: {
              'application/x-www-form-urlencoded': {
                schema: {
                  type: 'object',
                  required: ['grant_type'],
                  properties: { grant_type: { type: 'string', enum: ['client_credentials'] } },
                },
              },
            },
          },
          responses: {
            '200': {
              description: 'ok',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['access_token', 'token_type', 'expires_in'],
                    properties: {
                      access_token: { type: 'string' },
                      token_type: { type: 'string' },
                      expires_in: { type: 'integer' },
                    },
                  },
                },
              },
            },
          },
        },
      },
      '/customers': {
        get: {
          operationId: 'listCustomers',
          parameters: [
            accept,
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200 } },
          ],
          responses: {
            '200': {
              description: 'ok',
              content: { [hal]: { schema: { $ref: '#/components/schemas/CustomerList' } } },
            },
          },
        },
        post: {
          operationId: 'createCustomer',
          parameters: [accept],
          requestBody: {
            required: true,
            content: { [hal]: { schema: { $ref: '#/components/schemas/CreateCustomer' } } },
          },
          responses: {
            '201': {
              description: 'created',
              headers: { Location: { $ref: '#/components/headers/Location' } },
            },
            '400': { description: 'bad', content: { [hal]: { schema: { type: 'object' } } } },
          },
        },
      },
      '/customers/{id}': {
        get: {
          operationId: 'getCustomer',
          parameters: [idParam, accept],
          responses: {
            '200': {
              description: 'ok',
              content: {
                [hal]: {
                  schema: { $ref: '#/components/schemas/Customer' },
                  example: {
                    id: 'c41125c5-99c4-4303-a9f6-d066d28a61e3',
                    firstName: 'Jane',
                    status: 'verified',
                  },
                },
              },
            },
            '404': { description: 'nf' },
          },
        },
      },
      '/customers/{id}/documents': {
        post: {
          operationId: 'createCustomerDocument',
          parameters: [idParam, accept],
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  required: ['documentType', 'file'],
                  properties: {
                    documentType: { type: 'string', enum: ['passport', 'license'] },
                    file: { type: 'string', format: 'binary' },
                  },
                },
              },
            },
          },
          responses: {
            '201': {
              description: 'created',
              headers: { Location: { $ref: '#/components/headers/Location' } },
            },
          },
        },
      },
      '/documents/{id}': {
        get: {
          operationId: 'getDocument',
          parameters: [idParam, accept],
          responses: {
            '200': {
              description: 'ok',
              content: {
                [hal]: {
                  schema: {
                    type: 'object',
                    required: ['id', 'type', 'status'],
                    properties: {
                      id: { type: 'string' },
                      type: { const: 'passport' },
                      status: { type: 'string', enum: ['pending', 'reviewed'] },
                    },
                  },
                  // Wrong on purpose: the emulator must not send it.
                  example: { id: 42, type: 'license' },
                },
              },
            },
          },
        },
      },
      '/transfers': {
        post: {
          operationId: 'initiateTransfer',
          parameters: [
            accept,
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: true,
              schema: { type: 'string', minLength: 8 },
            },
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['amount'],
                  properties: {
                    amount: {
                      type: 'object',
                      required: ['value'],
                      properties: {
                        value: { type: 'string', pattern: '^[0-9]+\\.[0-9]{2}$', example: '10.00' },
                      },
                    },
                  },
                },
              },
            },
          },
          responses: {
            '201': {
              description: 'created',
              headers: { Location: { $ref: '#/components/headers/Location' } },
            },
            '200': { description: 'ok', content: { [hal]: { schema: { type: 'object' } } } },
          },
        },
      },
    },
    components: {
      securitySchemes: {
        clientCredentials: {
          type: 'oauth2',
          flows: { clientCredentials: { tokenUrl: '/token', scopes: {} } },
        },
      },
      parameters: {
        Accept: {
          name: 'Accept',
          in: 'header',
          required: true,
          schema: { type: 'string', enum: [hal] },
        },
      },
      headers: { Location: { schema: { type: 'string' } } },
      schemas: {
        Customer: {
          type: 'object',
          required: ['id', 'firstName'],
          properties: {
            id: { type: 'string' },
            firstName: { type: 'string' },
            status: { type: 'string', enum: ['unverified', 'verified'] },
          },
        },
        CustomerList: {
          type: 'object',
          required: ['_embedded', 'total'],
          properties: {
            _embedded: {
              type: 'object',
              properties: {
                customers: { type: 'array', items: { $ref: '#/components/schemas/Customer' } },
              },
            },
            total: { type: 'integer' },
          },
        },
        CreateCustomer: {
          type: 'object',
          required: ['firstName', 'lastName', 'email'],
          properties: {
            firstName: { type: 'string', minLength: 1 },
            lastName: { type: 'string', minLength: 1 },
            email: { type: 'string', format: 'email' },
            type: { type: 'string', enum: ['receive-only', 'personal'] },
          },
          additionalProperties: false,
        },
      },
    },
  };
}
