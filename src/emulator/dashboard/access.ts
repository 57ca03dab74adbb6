import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isLoopbackHost } from '../../common/url-scheme.js';

export type AccessPolicy = {
  /** Whether the emulator listens on a loopback address only (127.0.0.1, ::1, localhost). */
  loopback: boolean;
  /** The emulator's key and secret: what the dashboard asks for on another interface. */
  credentials: { key: string; secret: string };
};

/** Why a request to the dashboard is refused. */
export type Refusal = { status: 401 | 403; message: string; headers?: Record<string, string> };

/** The Host header's host name (`[::1]` keeps its brackets), or undefined when unreadable. */
function hostName(host: string | undefined): string | undefined {
  if (!host || !URL.canParse(`http://${host}`)) return undefined;
  return new URL(`http://${host}`).hostname;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Whether an Authorization header carries HTTP Basic `key:secret` (as a browser sends it). */
function hasCredentials(authorization: string | undefined, policy: AccessPolicy): boolean {
  const encoded = /^basic +(\S+) *$/i.exec(authorization ?? '')?.[1];
  if (!encoded) return false;
  const given = Buffer.from(encoded, 'base64').toString('utf8');
  const { key, secret } = policy.credentials;
  return timingSafeEqual(digest(given), digest(`${key}:${secret}`));
}

/**
 * Who may read the dashboard. On loopback, anyone who reaches it by a loopback name (a page of
 * another site that renamed 127.0.0.1 through its own DNS, "DNS rebinding", is refused by its
 * Host); on another interface, only a request with the emulator's key and secret (HTTP Basic:
 * the browser asks for them).
 */
export function readRefusal(req: IncomingMessage, policy: AccessPolicy): Refusal | undefined {
  if (policy.loopback) {
    const host = hostName(req.headers.host);
    if (host && isLoopbackHost(host)) return undefined;
    return { status: 403, message: 'The dashboard answers loopback host names only.' };
  }
  if (hasCredentials(req.headers.authorization, policy)) return undefined;
  return {
    status: 401,
    message: "The dashboard needs the emulator's key (user name) and secret (password).",
    headers: { 'www-authenticate': 'Basic realm="Dwolla emulator dashboard", charset="UTF-8"' },
  };
}

/**
 * Who may press a button: a reader (above) whose request comes from the dashboard's own origin.
 * Browsers send `Origin` with every POST and `Sec-Fetch-Site` with most; a page of another site
 * cannot forge either, so a form or script there cannot press the buttons.
 */
export function writeRefusal(req: IncomingMessage, policy: AccessPolicy): Refusal | undefined {
  const refused = readRefusal(req, policy);
  if (refused) return refused;
  const { origin, host } = req.headers;
  const site = req.headers['sec-fetch-site'];
  if (origin !== undefined && origin === `http://${host}` && (!site || site === 'same-origin')) {
    return undefined;
  }
  return {
    status: 403,
    message: "The dashboard's buttons work from the dashboard's own page only (same origin).",
  };
}
