/**
 * How long one call takes when the API answers 400 with an error message of 10 KB, 100 KB and
 * 1 MB that the client must redact: `npx tsx bench/redaction.ts [shape]` (shapes below; default
 * `dots`, the worst case of a backtracking pattern). Prints one line per size; a size that took
 * over 60 s ends the run.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDwollaClient } from '../src/index.js';

const SHAPES: Record<string, (bytes: number) => string> = {
  /** A long run of what may end a token, after `Bearer `. */
  dots: (n) => `Bearer ${'.'.repeat(n)}x`,
  /** Ordinary text. */
  plain: (n) => 'a'.repeat(n),
  /** Many token-shaped values to redact. */
  tokens: (n) => `Bearer ${'A1b2C3d4e5F6g7H8i9'}. `.repeat(Math.ceil(n / 27)),
};

const shape = process.argv[2] ?? 'dots';
const make = SHAPES[shape];
if (!make) throw new Error(`unknown shape ${shape}: one of ${Object.keys(SHAPES).join(', ')}`);

let message = '';
const server = createServer((req, res) => {
  const token = { access_token: 'tok-1', token_type: 'bearer', expires_in: 3600 };
  const [status, body] = req.url === '/token' ? [200, token] : [400, { code: 'Long', message }];
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;
const dwolla = createDwollaClient({
  key: 'bench-key-0123456789',
  secret: 'bench-secret-0123456789',
  baseUrl: `http://127.0.0.1:${port}`,
  maxResponseBytes: 16 * 1024 * 1024,
});
await dwolla.getAccessToken();
for (const bytes of [10_000, 100_000, 1_000_000]) {
  message = make(bytes);
  const started = performance.now();
  await dwolla.get('/long').catch(() => {});
  const elapsed = performance.now() - started;
  console.log(`${shape} ${bytes / 1000} KB: ${Math.round(elapsed)} ms`);
  if (elapsed > 60_000) break;
}
server.close();
