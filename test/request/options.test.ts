// The pipeline's options: checked at construction with a TypeError naming the option.
import { describe, expect, it, vi } from 'vitest';
import { createDwollaClient, type DwollaClientOptions } from '../../src/index.js';

const base = { key: 'k', secret: 's', baseUrl: 'https://api.example' };
const make = (extra: Record<string, unknown>) =>
  createDwollaClient({ ...base, ...extra } as DwollaClientOptions);

describe('request options', () => {
  it.each([
    [{ attemptTimeoutMs: 0 }, 'options.attemptTimeoutMs must be a positive finite number'],
    [{ attemptTimeoutMs: Infinity }, 'options.attemptTimeoutMs must be a positive finite number'],
    [{ attemptTimeoutMs: null }, 'options.attemptTimeoutMs must be a positive finite number'],
    [{ callTimeoutMs: -1 }, 'options.callTimeoutMs must be a positive finite number'],
    [{ callTimeoutMs: '5s' }, 'options.callTimeoutMs must be a positive finite number'],
    [{ maxRetries: -1 }, 'options.maxRetries must be an integer from 0 to 10'],
    [{ maxRetries: 1.5 }, 'options.maxRetries must be an integer from 0 to 10'],
    [{ maxRetries: 11 }, 'options.maxRetries must be an integer from 0 to 10'],
    [{ maxResponseBytes: '10MB' }, 'options.maxResponseBytes must be a positive number of bytes'],
    [{ hooks: 'yes' }, 'options.hooks must be an object'],
    [{ hooks: null }, 'options.hooks must be an object'],
    [{ hooks: { onRetry: 1 } }, 'options.hooks.onRetry must be a function'],
    [{ debug: 'verbose' }, 'options.debug must be a boolean or a function'],
  ])('%j is refused', (extra, message) => {
    expect(() => make(extra)).toThrow(TypeError);
    expect(() => make(extra)).toThrow(message);
  });

  it('debug: true and DWOLLA_DEBUG=true write one line per attempt to stderr', async () => {
    const lines: unknown[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((line: unknown) => {
      lines.push(line);
    });
    const transport: typeof fetch = async (input) =>
      String(input).endsWith('/token')
        ? Response.json({ access_token: 'tok-abc-123', token_type: 'bearer', expires_in: 60 })
        : new Response('{}', { headers: { 'X-Request-Id': 'r-1' } });
    vi.stubEnv('DWOLLA_DEBUG', 'true');
    try {
      await make({ fetch: transport, debug: true }).get('/a');
      await make({ fetch: transport }).get('/b');
      await make({ fetch: transport, debug: false }).get('/c');
    } finally {
      vi.unstubAllEnvs();
      spy.mockRestore();
    }
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^dwolla: GET https:\/\/api.example\/a \| attempt 1 \| HTTP 200 .*request-id r-1 \| auth Bearer$/,
    );
    expect(lines[1]).toMatch(/\/b \|/);
    expect(lines.join('\n')).not.toContain('tok-abc-123');
  });
});
