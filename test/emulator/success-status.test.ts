import { describe, expect, it } from 'vitest';
import { fixtureSpec } from '../helpers/fixture-spec.js';
import { halSpec } from './hal-spec.js';
import { api, emulator, getToken, HAL } from './helpers.js';

const MICRO_DEPOSITS = '/funding-sources/fs-1/micro-deposits';

async function started(spec: object = halSpec()) {
  const emu = await emulator({ spec });
  return { emu, token: await getToken(emu.url) };
}

describe('an operation declaring 200 (with content) and 201 (without), its body optional', () => {
  it('answers a request without a body 201, with a followable Location and no body', async () => {
    const { emu, token } = await started();
    const response = await fetch(emu.url + MICRO_DEPOSITS, {
      method: 'POST',
      headers: { accept: HAL, authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(201);
    expect(await response.text()).toBe('');
    const location = response.headers.get('location')!;
    expect(location).toBe(emu.url + MICRO_DEPOSITS);
    expect((await api(emu.url, token, location.slice(emu.url.length))).status).toBe(200);
  });

  it.each([['null'], ['{}']])('reads a body of %s as no body: 201', async (body) => {
    const { emu, token } = await started();
    const response = await api(emu.url, token, MICRO_DEPOSITS, {
      body,
      contentType: 'application/json',
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe(emu.url + MICRO_DEPOSITS);
  });

  it('answers a body with content 200 and the declared body, its links on the emulator', async () => {
    const { emu, token } = await started();
    const amount = { value: '0.03', currency: 'USD' };
    const response = await api(emu.url, token, MICRO_DEPOSITS, {
      body: { amount1: amount, amount2: amount },
      contentType: 'application/json',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('location')).toBeNull();
    const body = (await response.json()) as { _links: Record<string, { href: string }> };
    expect(body._links.self!.href).toBe(emu.url + MICRO_DEPOSITS);
    expect(body._links['funding-source']!.href).toBe(`${emu.url}/funding-sources/fs-1`);
  });

  it('still refuses a body that matches neither kind of request', async () => {
    const { emu, token } = await started();
    const response = await api(emu.url, token, MICRO_DEPOSITS, {
      body: '"amounts"',
      contentType: 'application/json',
    });
    expect(response.status).toBe(400);
  });
});

describe('an operation whose body is required', () => {
  it('answers its lowest declared 2xx (200 of 200 and 201), whatever the body', async () => {
    const { emu, token } = await started(fixtureSpec());
    const response = await api(emu.url, token, '/transfers', {
      body: { amount: { value: '10.00' } },
      contentType: 'application/json',
      headers: { 'idempotency-key': 'key-123456' },
    });
    expect(response.status).toBe(200);
  });
});
