/**
 * A small HAL spec for the emulator's links and success statuses: a root, an account, a paged
 * list of customers whose example links point at Dwolla's hosts (production, sandbox over http,
 * the bare host, the spec's own server) and at a partner's site, a customer, its funding sources,
 * events, and a micro-deposits-like operation that answers 201 without a body and 200 with one.
 * `withAccount: false` leaves out GET /accounts/{id}.
 */
import { fixtureSpec } from '../helpers/fixture-spec.js';

export const SERVER_HOST = 'api.dwolla-fixture.test';
export const PARTNER_HREF = 'https://partner.example.org/connect/abc?x=1';

export function halSpec({ withAccount = true } = {}) {
  const hal = 'application/vnd.dwolla.v1.hal+json';
  const accept = { $ref: '#/components/parameters/Accept' };
  const id = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
  const page = [
    { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200 } },
    { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0 } },
  ];
  const ok = (schema: object, example?: unknown) => ({
    '200': {
      description: 'ok',
      content: { [hal]: { schema, ...(example === undefined ? {} : { example }) } },
    },
  });
  const links = { type: 'object', additionalProperties: { $ref: '#/components/schemas/Link' } };
  const resource = {
    type: 'object',
    required: ['_links', 'id'],
    properties: { _links: links, id: { type: 'string' }, name: { type: 'string' } },
  };
  const customer = (n: string) => ({
    _links: {
      self: { href: `https://api.dwolla.com/customers/${n}` },
      'funding-sources': { href: `http://api-sandbox.dwolla.com/customers/${n}/funding-sources` },
      root: { href: 'https://api.dwolla.com' },
      account: { href: `https://${SERVER_HOST}/accounts/a1#top` },
      partner: { href: PARTNER_HREF },
      docs: { href: 'https://developers.dwolla.com/docs' },
    },
    id: n,
    name: 'not an href: https://api.dwolla.com/customers',
  });
  const list = (key: string) => ({
    type: 'object',
    required: ['_links', '_embedded', 'total'],
    properties: {
      _links: links,
      _embedded: {
        type: 'object',
        properties: { [key]: { type: 'array', items: { $ref: '#/components/schemas/Resource' } } },
      },
      total: { type: 'integer' },
    },
  });
  const paths: Record<string, unknown> = {
    '/': {
      get: {
        operationId: 'getRoot',
        parameters: [accept],
        responses: ok({ type: 'object', properties: { _links: links } }, { _links: {} }),
      },
    },
    '/customers': {
      get: {
        operationId: 'listCustomers',
        parameters: [accept, ...page, { name: 'search', in: 'query', schema: { type: 'string' } }],
        responses: ok(list('customers'), {
          _links: {},
          _embedded: { customers: [customer('c-1'), customer('c-2')] },
          total: 60,
        }),
      },
    },
    '/customers/{id}': {
      get: {
        operationId: 'getCustomer',
        parameters: [id, accept],
        responses: ok(resource, customer('c-1')),
      },
    },
    '/customers/{id}/funding-sources': {
      get: {
        operationId: 'listCustomerFundingSources',
        parameters: [id, accept],
        responses: ok(list('funding-sources')),
      },
    },
    '/funding-sources/{id}': {
      get: { operationId: 'getFundingSource', parameters: [id, accept], responses: ok(resource) },
    },
    '/funding-sources/{id}/micro-deposits': {
      get: {
        operationId: 'getMicroDeposits',
        parameters: [id, accept],
        responses: ok({
          type: 'object',
          properties: { _links: links, status: { type: 'string' } },
        }),
      },
      post: {
        operationId: 'initiateOrVerifyMicroDeposits',
        parameters: [id, accept],
        requestBody: {
          required: false,
          content: {
            'application/json': {
              schema: {
                oneOf: [
                  { type: ['object', 'null'], title: 'Initiate' },
                  {
                    type: 'object',
                    required: ['amount1', 'amount2'],
                    properties: { amount1: { type: 'object' }, amount2: { type: 'object' } },
                  },
                ],
              },
            },
          },
        },
        responses: {
          '201': {
            description: 'created',
            headers: { Location: { $ref: '#/components/headers/Location' } },
          },
          ...ok(
            { type: 'object', properties: { _links: links } },
            {
              _links: {
                self: { href: 'https://api-sandbox.dwolla.com/funding-sources/x/micro-deposits' },
              },
            },
          ),
        },
      },
    },
    '/events': {
      get: {
        operationId: 'listEvents',
        parameters: [accept, ...page],
        responses: ok(list('events')),
      },
    },
  };
  if (withAccount) {
    paths['/accounts/{id}'] = {
      get: { operationId: 'getAccount', parameters: [id, accept], responses: ok(resource) },
    };
  }
  // The token endpoint, security and shared components of the general fixture.
  const base = fixtureSpec();
  return {
    ...base,
    info: { title: 'hal fixture', version: '1' },
    servers: [{ url: `https://${SERVER_HOST}` }, { url: '/relative' }],
    paths: { '/token': base.paths['/token'], ...paths },
    components: {
      ...base.components,
      schemas: {
        Link: { type: 'object', required: ['href'], properties: { href: { type: 'string' } } },
        Resource: resource,
      },
    },
  };
}
