import { describe, expect, it } from 'vitest';
import { basic, emulator, getToken, KEY, SECRET, tokenRequest } from './helpers.js';

describe('POST /token (default spec: openapi/dwolla.yaml)', () => {
  it('issues a random opaque bearer token for the configured key and secret', async () => {
    const emu = await emulator();
    const response = await tokenRequest(emu.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({
      access_token: expect.any(String),
      token_type: 'bearer',
      expires_in: 3600,
    });
    expect(String(body.access_token).length).toBeGreaterThanOrEqual(40);
    const second = await getToken(emu.url);
    expect(second).not.toBe(body.access_token);
  });

  it('form-decodes the Basic user and password (RFC 6749 §2.3.1): "+" is a space', async () => {
    const emu = await emulator({ key: 'a key+', secret: 'p%ss word' });
    // form encoding: space → '+', '+' → %2B, '%' → %25
    const good = 'Basic ' + Buffer.from('a+key%2B:p%25ss+word').toString('base64');
    expect((await tokenRequest(emu.url, { authorization: good })).status).toBe(200);
    // the same key and secret sent raw, not form-encoded, do not match
    const raw = 'Basic ' + Buffer.from('a key+:p%ss word').toString('base64');
    expect((await tokenRequest(emu.url, { authorization: raw })).status).toBe(401);
  });

  it.each([
    ['no Authorization header', undefined],
    ['a wrong secret', basic(KEY, 'wrong')],
    ['a wrong key', basic('wrong', SECRET)],
    ['a Bearer header', 'Bearer abc'],
    ['malformed Basic', 'Basic !!!'],
    ['Basic without a colon', 'Basic ' + Buffer.from('nocolon').toString('base64')],
    ['a bad percent escape', 'Basic ' + Buffer.from('%zz:%zz').toString('base64')],
  ])('answers 401 invalid_client for %s', async (_, authorization) => {
    const emu = await emulator();
    const response = await tokenRequest(emu.url, { authorization });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'invalid_client' });
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic /);
  });

  it.each([
    ['a missing grant_type', 'scope=x', 'invalid_request'],
    ['an empty body', '', 'invalid_request'],
    [
      'two grant_types',
      'grant_type=client_credentials&grant_type=client_credentials',
      'invalid_request',
    ],
    ['another grant_type', 'grant_type=password', 'unsupported_grant_type'],
  ])('answers 400 for %s', async (_, body, error) => {
    const emu = await emulator();
    const response = await tokenRequest(emu.url, { body });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error });
  });

  it('wants an application/x-www-form-urlencoded body', async () => {
    const emu = await emulator();
    const response = await tokenRequest(emu.url, {
      contentType: 'application/json',
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'invalid_request' });
  });

  it('reports the configured lifetime, and setTokenLifetime changes it for new tokens', async () => {
    const emu = await emulator({ tokenLifetime: 120 });
    expect(
      ((await (await tokenRequest(emu.url)).json()) as { expires_in: number }).expires_in,
    ).toBe(120);
    emu.setTokenLifetime(5);
    expect(
      ((await (await tokenRequest(emu.url)).json()) as { expires_in: number }).expires_in,
    ).toBe(5);
    expect(() => emu.setTokenLifetime(-1)).toThrow(RangeError);
    expect(() => emu.setTokenLifetime(1.5)).toThrow(RangeError);
  });

  it('needs a key and a secret', async () => {
    const { startEmulator } = await import('../../src/emulator/index.js');
    await expect(startEmulator({ key: '', secret: 'x' })).rejects.toThrow(/key and a secret/);
  });
});
