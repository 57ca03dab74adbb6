import { describe, expect, it } from 'vitest';
import { fixtureSpec } from '../helpers/fixture-spec.js';
import { HAS_UPSTREAM_SPEC, UPSTREAM_SPEC } from '../helpers/upstream-spec.js';
import { api, emulator, getToken } from './helpers.js';

/** The fixture plus GET /events whose schema has Dwolla's defect: a keyword under `properties`. */
function specWithDefect() {
  const spec = fixtureSpec();
  const hal = 'application/vnd.dwolla.v1.hal+json';
  const link = { type: 'object', properties: { href: { type: 'string' } } };
  const events = {
    type: 'object',
    properties: {
      _links: { type: 'object' },
      additionalProperties: link,
      patternProperties: link,
      // Member names that data does use, and a keyword the spec makes required: all kept.
      type: { type: 'string', enum: ['event-list'] },
      items: { type: 'array', items: { type: 'string' } },
      unevaluatedProperties: { type: 'string' },
      total: { type: 'integer' },
    },
    required: ['unevaluatedProperties'],
  };
  return {
    ...spec,
    paths: {
      ...spec.paths,
      '/events': {
        get: {
          operationId: 'listEvents',
          parameters: [{ $ref: '#/components/parameters/Accept' }],
          responses: { '200': { description: 'ok', content: { [hal]: { schema: events } } } },
        },
      },
    },
  };
}

describe('optional members that exist only because of a spec defect', () => {
  it('are left out of synthesised answers; members named like keywords that data uses stay', async () => {
    const emu = await emulator({ spec: specWithDefect() });
    const token = await getToken(emu.url);
    const response = await api(emu.url, token, '/events');
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).not.toHaveProperty('additionalProperties');
    expect(body).not.toHaveProperty('patternProperties');
    expect(Object.keys(body).sort()).toEqual(
      ['_links', 'items', 'total', 'type', 'unevaluatedProperties'].sort(),
    );
  });

  it.skipIf(!HAS_UPSTREAM_SPEC)("are not in GET /events on Dwolla's spec", async () => {
    const emu = await emulator({ spec: UPSTREAM_SPEC });
    const token = await getToken(emu.url);
    const body = (await (await api(emu.url, token, '/events')).json()) as Record<string, unknown>;
    expect(body).toHaveProperty('_embedded.events');
    expect(body).not.toHaveProperty('additionalProperties');
  });
});
