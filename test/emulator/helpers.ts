import { afterEach } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';

export const HAL = 'application/vnd.dwolla.v1.hal+json';
export const KEY = 'emulator key';
export const SECRET = 's3cret+/=%';

const started: Emulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((e) => e.close()));
});

/** Starts an emulator that is closed after the test. */
export async function emulator(options: Partial<EmulatorOptions> = {}): Promise<Emulator> {
  const emu = await startEmulator({ key: KEY, secret: SECRET, ...options });
  started.push(emu);
  return emu;
}

/** RFC 6749 §2.3.1: Basic credentials are the form-url-encoded key and secret. */
export function basic(key: string, secret: string): string {
  const form = (s: string) => encodeURIComponent(s).replaceAll('%20', '+');
  return 'Basic ' + Buffer.from(`${form(key)}:${form(secret)}`).toString('base64');
}

export function tokenRequest(
  url: string,
  init: { authorization?: string; body?: string; contentType?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = {
    'content-type': init.contentType ?? 'application/x-www-form-urlencoded',
  };
  const authorization = 'authorization' in init ? init.authorization : basic(KEY, SECRET);
  if (authorization !== undefined) headers.authorization = authorization;
  return fetch(`${url}/token`, {
    method: 'POST',
    headers,
    body: init.body ?? 'grant_type=client_credentials',
  });
}

export async function getToken(url: string): Promise<string> {
  const response = await tokenRequest(url);
  if (response.status !== 200) throw new Error(`token request failed: ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** An API call with a bearer token and the HAL Accept header unless told otherwise. */
export function api(
  url: string,
  token: string | undefined,
  path: string,
  init: {
    method?: string;
    body?: unknown;
    contentType?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<Response> {
  const headers: Record<string, string> = { accept: HAL, ...init.headers };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (init.body !== undefined) {
    headers['content-type'] = init.contentType ?? HAL;
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  }
  return fetch(url + path, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body });
}

/** Bodies Dwolla's spec accepts: an unverified customer and a bank funding source. */
export const person = (n: number | string) => ({
  firstName: `Ann${n}`,
  lastName: 'Lee',
  email: `ann${String(n).replace(/[^\w.-]+/g, '-')}@example.com`,
  type: 'unverified',
});
let accounts = 0;
/** A bank with an account number of its own (the sandbox refuses the same bank twice). */
export const bank = (name: string, accountNumber = String(100_000_000 + ++accounts)) => ({
  routingNumber: '222222226',
  accountNumber,
  bankAccountType: 'checking',
  name,
});

/** Verifies a bank as Dwolla's Sandbox lets you: micro-deposits, then any two amounts under
 * $0.10 (a customer sends only from a verified bank). */
export async function verifyBank(emu: { url: string }, token: string, bank: string) {
  const path = `${bank.replace(emu.url, '')}/micro-deposits`;
  const cents = { value: '0.01', currency: 'USD' };
  for (const init of [{ method: 'POST' }, { body: { amount1: cents, amount2: cents } }]) {
    const response = await api(emu.url, token, path, init);
    if (response.status >= 300) throw new Error(`${path}: ${response.status}`);
  }
}
