import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../scripts/codegen.js';
import { fetchSpecText, loadSpecFromUrl, SPEC_URL_LIMITS } from '../../src/spec/fetch-spec.js';
import { parseSpec, SpecError } from '../../src/spec/load-spec.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';
import { runScript } from '../helpers/run-script.js';
import {
  makeTestCertificates,
  serveFile,
  startTlsServer,
  type TestCertificates,
  type TlsServer,
} from '../helpers/test-tls.js';

const SPEC = 'openapi/dwolla.yaml';

describe('--input <URL> (fetch-spec), on a plain-http loopback server', () => {
  let server: RecordingServer;
  let text: string;
  beforeAll(async () => {
    text = await readFile(SPEC, 'utf8');
    server = await startRecordingServer();
  });
  afterAll(() => server.close());

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => expect.fail('resolved'),
      (error: unknown) => {
        expect(error).toBeInstanceOf(SpecError);
        return (error as Error).message;
      },
    );

  it('parses the spec it fetches exactly as the file (http is allowed on loopback only)', async () => {
    server.handle((_req, res) => res.writeHead(200).end(text));
    expect(await loadSpecFromUrl(server.url('/dwolla.yaml'))).toEqual(parseSpec(text, SPEC));
  });

  it('refuses http:// to any other host, and URLs with credentials, before connecting', async () => {
    expect(await refusal(fetchSpecText('http://example.com/openapi.yml'))).toBe(
      'http://example.com/openapi.yml: only https:// URLs are fetched (http:// only on 127.0.0.1, [::1] or localhost)',
    );
    const withCredentials = server.url('/x').replace('//', '//user:hunter2@');
    const message = await refusal(fetchSpecText(withCredentials));
    expect(message).toMatch(/must not carry credentials$/);
    expect(message).not.toContain('hunter2');
    expect(await refusal(fetchSpecText('https://exa mple.com/'))).toBe(
      'the --input URL is not a valid URL',
    );
  });

  it('checks every redirect like the first URL, and follows a bounded number', async () => {
    server.handle((req, res) => {
      if (req.path === '/moved') return res.writeHead(302, { location: '/dwolla.yaml' }).end();
      if (req.path === '/away')
        return res.writeHead(301, { location: 'http://example.com/spec.yml' }).end();
      if (req.path === '/loop') return res.writeHead(307, { location: '/loop' }).end();
      res.writeHead(200).end(text);
    });
    expect(await fetchSpecText(server.url('/moved'))).toBe(text);
    expect(await refusal(fetchSpecText(server.url('/away')))).toBe(
      `${server.url('/away')} (redirected to http://example.com/spec.yml): only https:// URLs are fetched (http:// only on 127.0.0.1, [::1] or localhost)`,
    );
    const limits = { ...SPEC_URL_LIMITS, maxRedirects: 3 };
    const before = server.requests.length;
    expect(await refusal(fetchSpecText(server.url('/loop'), limits))).toBe(
      `${server.url('/loop')}: more than 3 redirects`,
    );
    expect(server.requests.length - before).toBe(4);
  });

  it('names the HTTP status of a failed fetch, never the query (it may hold a token)', async () => {
    server.handle((_req, res) => res.writeHead(404).end('no'));
    const message = await refusal(fetchSpecText(server.url('/spec.yml?token=s3cr3t')));
    expect(message).toBe(`${server.url('/spec.yml')}?…: cannot fetch the spec (HTTP 404)`);
  });

  it('refuses a body over the size cap, announced or streamed', async () => {
    const limits = { ...SPEC_URL_LIMITS, maxBytes: 1024 * 1024 };
    const big = 'x'.repeat(1024 * 1024 + 1);
    server.handle((_req, res) => res.writeHead(200, { 'content-length': big.length }).end(big));
    expect(await refusal(fetchSpecText(server.url('/big'), limits))).toMatch(
      /: the spec is larger than 1 MiB$/,
    );
    server.handle((_req, res) => {
      res.writeHead(200); // chunked: no content-length to refuse up front
      for (let i = 0; i < 5; i++) res.write('y'.repeat(300 * 1024));
      res.end();
    });
    expect(await refusal(fetchSpecText(server.url('/stream'), limits))).toMatch(
      /: the spec is larger than 1 MiB$/,
    );
  });

  it('gives up after the timeout, whether the headers or the body hang', async () => {
    const limits = { ...SPEC_URL_LIMITS, timeoutMs: 300 };
    server.handle(() => undefined);
    expect(await refusal(fetchSpecText(server.url('/silent'), limits))).toBe(
      `${server.url('/silent')}: no complete answer within 0.3 s`,
    );
    server.handle((_req, res) => res.writeHead(200).write('openapi: 3.1.0\n'));
    expect(await refusal(fetchSpecText(server.url('/slow-body'), limits))).toBe(
      `${server.url('/slow-body')}: no complete answer within 0.3 s`,
    );
  });

  it('names the network error when nothing listens', async () => {
    const closed = await startRecordingServer();
    await closed.close();
    expect(await refusal(fetchSpecText(closed.url('/spec.yml')))).toBe(
      `${closed.url('/spec.yml')}: cannot fetch the spec (ECONNREFUSED)`,
    );
  });
});

describe('npm run generate -- --input https://… (a local TLS server with a test CA)', () => {
  let scratch: string;
  let certificates: TestCertificates;
  let server: TlsServer;
  beforeAll(async () => {
    scratch = await makeTempDir('dwolla-spec-url-');
    certificates = await makeTestCertificates(scratch);
    server = await startTlsServer(
      certificates,
      serveFile('/dwolla.yaml', await readFile(SPEC, 'utf8')),
    );
  });
  afterAll(async () => {
    await server?.close();
    await rm(scratch, { recursive: true, force: true });
  });

  it('generates the same output as the file: src/generated is up to date with the URL', async () => {
    const url = `${server.origin}/dwolla.yaml`;
    const result = await runScript('scripts/generate.ts', ['--check', '--input', url], {
      ...process.env,
      NODE_EXTRA_CA_CERTS: certificates.caFile,
    });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(`src/generated is up to date with ${url}`);
    expect(result.code).toBe(0);
  });

  it('refuses a server its CA does not vouch for, in one line, writing nothing', async () => {
    const output = join(scratch, 'untrusted');
    const result = await runScript('scripts/generate.ts', [
      '--input',
      `${server.origin}/dwolla.yaml`,
      '--output',
      output,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(
      new RegExp(
        `^${server.origin}/dwolla.yaml: cannot fetch the spec \\((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN)\\)$`,
      ),
    );
    expect(existsSync(output)).toBe(false);
  });
});
