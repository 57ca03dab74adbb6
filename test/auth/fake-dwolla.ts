/**
 * A fake Dwolla on a recording loopback server: POST /token issues tok-1, tok-2, … to
 * correct client_secret_basic credentials; every other path requires a live bearer token.
 */
import type { ServerResponse } from 'node:http';
import {
  sendJson,
  startRecordingServer,
  type Handler,
  type RecordedRequest,
  type RecordingServer,
} from '../helpers/recording-server.js';

export const KEY = 'app-key-0123456789';
export const SECRET = 'app-secret-0123456789';

/** Form-urlencoded decoding of one component (RFC 6749 §2.3.1), independent of the client code. */
export function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

/** Decodes `Basic base64(enc(key):enc(secret))` back to the credentials. */
export function decodeBasic(
  header: string | undefined,
): { key: string; secret: string } | undefined {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '');
  if (!match) return undefined;
  const plain = Buffer.from(match[1]!, 'base64').toString('latin1');
  const colon = plain.indexOf(':');
  if (colon < 0 || plain.indexOf(':', colon + 1) >= 0) return undefined;
  return { key: formDecode(plain.slice(0, colon)), secret: formDecode(plain.slice(colon + 1)) };
}

export type TokenReply = (request: RecordedRequest, res: ServerResponse) => void;

export interface FakeDwolla {
  server: RecordingServer;
  origin: string;
  tokenRequests(): RecordedRequest[];
  apiRequests(): RecordedRequest[];
  /** Tokens issued so far, in order. */
  issued: string[];
  revoke(token: string): void;
  /** Answers a (held) token request with a freshly issued live token. */
  issue(res: ServerResponse): void;
  /** Replies used (first in, first out) for the next token requests instead of issuing a token. */
  tokenReplies: TokenReply[];
  /** Answers authorized API requests (default: 200 JSON echo). */
  api: Handler;
  expiresIn: unknown;
  /** The credentials the token endpoint accepts (mutable between runs). */
  credentials: { key: string; secret: string };
  /** Names the n-th issued token (default tok-n). */
  nameToken: (n: number) => string;
  close(): Promise<void>;
}

export const echo: Handler = (request, res) =>
  sendJson(res, 200, { method: request.method, path: request.path, body: request.body });

export async function startFakeDwolla(
  options: { key?: string; secret?: string; expiresIn?: unknown; tokenPrefix?: string } = {},
): Promise<FakeDwolla> {
  const live = new Set<string>();
  const server = await startRecordingServer();

  const fake: FakeDwolla = {
    server,
    origin: server.origin,
    tokenRequests: () => server.requests.filter((r) => r.path === '/token'),
    apiRequests: () => server.requests.filter((r) => r.path !== '/token'),
    issued: [],
    revoke: (token) => live.delete(token),
    issue(res) {
      const token = fake.nameToken(fake.issued.length + 1);
      fake.issued.push(token);
      live.add(token);
      sendJson(res, 200, { access_token: token, token_type: 'bearer', expires_in: fake.expiresIn });
    },
    tokenReplies: [],
    api: echo,
    expiresIn: options.expiresIn ?? 3600,
    credentials: { key: options.key ?? KEY, secret: options.secret ?? SECRET },
    nameToken: (n) => `${options.tokenPrefix ?? 'tok-'}${n}`,
    close: () => server.close(),
  };

  server.handle((request, res) => {
    if (request.path === '/token') {
      const reply = fake.tokenReplies.shift();
      if (reply) return reply(request, res);
      const credentials = decodeBasic(request.headers.authorization);
      if (
        request.method !== 'POST' ||
        credentials?.key !== fake.credentials.key ||
        credentials.secret !== fake.credentials.secret ||
        request.body !== 'grant_type=client_credentials'
      ) {
        return sendJson(res, 401, { error: 'invalid_client' });
      }
      return fake.issue(res);
    }
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (bearer === undefined || !live.has(bearer)) {
      return sendJson(res, 401, { code: 'InvalidAccessToken', message: 'Invalid access token.' });
    }
    return fake.api(request, res);
  });

  return fake;
}

/** An injectable monotonic clock for token expiry. */
export function fakeClock(start = 0): { now: () => number; advance(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
  };
}

export const noSleep = async (): Promise<void> => {};
