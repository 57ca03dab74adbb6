// createUndiciTransport(): the dispatcher transport on an undici Agent of its own (./transport).
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createDwollaClient } from '../../src/index.js';
import { createUndiciTransport } from '../../src/transport/index.js';
import { createTestCertificates } from '../helpers/test-ca.js';
import { transportContract } from './contract.js';
import { json, routes, startServer, tokenOr, transportRequest } from './http-server.js';

transportContract('createUndiciTransport()', () => {
  const transport = createUndiciTransport();
  return { transport, close: () => transport.close() };
});

describe('createUndiciTransport()', () => {
  it('opens at most 16 connections per origin by default, or as many as asked; reuses them', async () => {
    for (const [connections, limit] of [
      [undefined, 16],
      [3, 3],
    ] as const) {
      const server = await startServer(routes);
      const transport = createUndiciTransport({ connections });
      try {
        const send = (path: string) => transport.send(transportRequest(server.url, path));
        const answers = await Promise.all(Array.from({ length: 100 }, () => send('/slow?ms=20')));
        expect(answers.every((a) => a.status === 200)).toBe(true);
        expect(server.maxOpen).toBeLessThanOrEqual(limit);
        const opened = server.connections;
        for (let i = 0; i < 20; i++) await send('/echo');
        expect(server.connections).toBe(opened);
      } finally {
        await transport.close();
        await server.close();
      }
    }
  });

  it('refuses options it cannot use, naming them', () => {
    expect(() => createUndiciTransport({ connections: 0 })).toThrow(
      'createUndiciTransport: options.connections must be a positive integer',
    );
    expect(() => createUndiciTransport({ connections: 1.5 })).toThrow(TypeError);
    expect(() => createUndiciTransport({ connectTimeoutMs: Number.NaN })).toThrow(
      /options\.connectTimeoutMs/,
    );
  });

  it('trusts a private CA passed in tls options, and only then', async () => {
    const certs = await createTestCertificates();
    const secure = await startServer(tokenOr(routes), { key: certs.key, cert: certs.cert });
    const trusting = createUndiciTransport({ tls: { ca: certs.ca } });
    const plain = createUndiciTransport();
    try {
      const client = (transport: typeof plain) =>
        createDwollaClient({
          key: 'k',
          secret: 's',
          baseUrl: secure.url,
          transport,
          maxRetries: 0,
        });
      await expect(client(trusting).post('/echo', { over: 'tls' })).resolves.toMatchObject({
        data: { method: 'POST', body: '{"over":"tls"}' },
      });
      const refused = await client(plain)
        .getAccessToken()
        .catch((e: unknown) => e);
      expect(String((refused as Error).cause)).toMatch(/certificate/i);
    } finally {
      await trusting.close();
      await plain.close();
      await secure.close();
    }
  });

  it('leaves nothing that keeps a process alive after its last call (once closed)', async () => {
    const api = await startServer(tokenOr((_req, res) => json(res, 200, { ok: true })));
    try {
      const src = (path: string) =>
        JSON.stringify(new URL(`../../src/${path}`, import.meta.url).href);
      const program = `
        const { createDwollaClient } = await import(${src('index.ts')});
        const { createUndiciTransport } = await import(${src('transport/index.ts')});
        const transport = createUndiciTransport();
        const dwolla = createDwollaClient({ key: 'k', secret: 's', baseUrl: ${JSON.stringify(api.url)}, transport });
        await dwolla.get('/');
        await transport.close();
        console.log('called');
      `;
      const started = performance.now();
      const child = spawn(process.execPath, [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        program,
      ]);
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      const code = await new Promise((resolve) => child.on('close', resolve));
      expect([code, stdout.trim()]).toEqual([0, 'called']);
      // No attempt timer (attemptTimeoutMs, 30 s by default) may hold the process.
      expect(performance.now() - started).toBeLessThan(20_000);
    } finally {
      await api.close();
    }
  });
});
