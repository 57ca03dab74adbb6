import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestCertificates {
  /** PEM of a throwaway certificate authority, to trust through a client's TLS options. */
  ca: string;
  /** PEM key and certificate for 127.0.0.1, signed by `ca`. */
  key: string;
  cert: string;
}

/**
 * A fresh CA and a server certificate for 127.0.0.1 signed by it, made with the `openssl` CLI
 * (Node has no X.509 generation API). Nothing is trusted but what a test passes explicitly.
 * A missing `openssl` fails the test with a message saying so.
 */
export async function createTestCertificates(): Promise<TestCertificates> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dwolla-test-ca-'));
  const at = (f: string) => path.join(dir, f);
  const openssl = (args: string[]) =>
    run('openssl', args, { cwd: dir }).catch((error: NodeJS.ErrnoException) => {
      throw new Error(
        error.code === 'ENOENT'
          ? 'The TLS tests need the openssl CLI (apt-get install openssl)'
          : `openssl ${args.join(' ')} failed: ${error.message}`,
        { cause: error },
      );
    });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    await openssl([
      'req',
      '-x509',
      ...ec,
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '1',
      '-subj',
      '/CN=dwolla-openapi-client test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign',
    ]);
    await openssl([
      'req',
      ...ec,
      '-keyout',
      'server.key',
      '-out',
      'server.csr',
      '-subj',
      '/CN=127.0.0.1',
    ]);
    await writeFile(at('ext.cnf'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    await openssl([
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.crt',
      '-days',
      '1',
      '-extfile',
      'ext.cnf',
    ]);
    const [ca, key, cert] = await Promise.all(
      ['ca.crt', 'server.key', 'server.crt'].map((f) => readFile(at(f), 'utf8')),
    );
    return { ca: ca!, key: key!, cert: cert! };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
