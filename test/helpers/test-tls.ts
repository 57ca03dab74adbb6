/**
 * A local HTTPS server whose certificate is signed by a throwaway test CA, made with the
 * system's `openssl` (a test fails, not skips, if it is missing). Clients trust the CA only when
 * told to: a child process through NODE_EXTRA_CA_CERTS=<caFile>.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import type { RequestListener } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestCertificates {
  /** The CA's certificate (PEM file), for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  key: string;
  cert: string;
}

/** A CA and a server certificate for 127.0.0.1 and localhost, valid for a day, under `dir`. */
export async function makeTestCertificates(dir: string): Promise<TestCertificates> {
  const file = (name: string) => join(dir, name);
  const ec = '-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes';
  const openssl = (args: string) => run('openssl', args.split(/\s+/), { cwd: dir });
  await openssl(
    `req -x509 ${ec} -keyout ca.key -out ca.pem -days 1 -subj /CN=dwolla-test-ca ` +
      '-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign',
  );
  await openssl(`req ${ec} -keyout server.key -out server.csr -subj /CN=127.0.0.1`);
  await writeFile(
    file('server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n',
  );
  await openssl(
    'x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem ' +
      '-days 1 -extfile server.ext',
  );
  return {
    caFile: file('ca.pem'),
    key: await readFile(file('server.key'), 'utf8'),
    cert: await readFile(file('server.pem'), 'utf8'),
  };
}

export interface TlsServer {
  /** e.g. https://127.0.0.1:54321 */
  origin: string;
  close(): Promise<void>;
}

/** An HTTPS server on 127.0.0.1 (port 0). */
export async function startTlsServer(
  certificates: TestCertificates,
  listener: RequestListener,
): Promise<TlsServer> {
  const server = createServer({ key: certificates.key, cert: certificates.cert }, listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A listener serving one file's text at `path` (404 elsewhere). */
export const serveFile =
  (path: string, text: string): RequestListener =>
  (req, res) => {
    if (req.url !== path) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/yaml' }).end(text);
  };
