import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readRefusal, writeRefusal, type AccessPolicy, type Refusal } from './access.js';
import { renderPage } from './page.js';
import { readView, type ViewSource } from './view.js';

export type DashboardDeps = AccessPolicy &
  ViewSource & {
    /** Where the dashboard is served (`/_dashboard`): a path no Dwolla API path uses. */
    prefix: string;
    /** The emulator's base URL. */
    origin: () => string;
    /** "Process bank transfers": what `POST /sandbox-simulations` does; undefined when the
     * emulator cannot (no state, or no such operation in its spec). */
    simulate?: () => Promise<void>;
    /** "Reset": as `emu.reset()`. */
    reset: () => void;
    /** The folder of the page's stylesheet and script (assets/). */
    assets: URL;
  };

/** The page's files, by the name they are served under. */
const ASSETS: Record<string, string> = {
  'dashboard.css': 'text/css; charset=utf-8',
  'dashboard.js': 'text/javascript; charset=utf-8',
};

/** What every answer of the dashboard carries: nothing runs or loads but its own files, it is
 * never framed (so no other site can trick a click), and no browser sniffs its types. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
};

/** Form bodies the buttons send are empty; a larger body than this is refused. */
const MAX_BUTTON_BODY = 16 * 1024;

/**
 * The sandbox dashboard: `GET /_dashboard` renders the state as a page (readable without
 * JavaScript), its script polls the same page and swaps in what changed; `POST
 * /_dashboard/process` and `POST /_dashboard/reset` are its buttons. Never logged or counted as
 * API requests (see http/handler.ts `pages`).
 */
export function createDashboard(deps: DashboardDeps) {
  const files = new Map<string, Promise<Buffer>>();
  const asset = (name: string) => {
    let file = files.get(name);
    if (!file) files.set(name, (file = readFile(new URL(name, deps.assets))));
    return file;
  };

  function send(
    res: ServerResponse,
    status: number,
    headers: Record<string, string>,
    body: string | Buffer = '',
  ): void {
    res.writeHead(status, {
      ...SECURITY_HEADERS,
      'cache-control': 'no-cache',
      ...headers,
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  }

  const refuse = (res: ServerResponse, refusal: Refusal) =>
    send(
      res,
      refusal.status,
      { 'content-type': 'text/plain; charset=utf-8', ...refusal.headers },
      refusal.message + '\n',
    );

  /** Answers with an ETag; a request that already has this version gets 304. */
  function sendVersioned(
    req: IncomingMessage,
    res: ServerResponse,
    type: string,
    body: string | Buffer,
  ): void {
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    if (req.headers['if-none-match'] === etag) return send(res, 304, { etag });
    send(res, 200, { 'content-type': type, etag }, body);
  }

  async function press(req: IncomingMessage, res: ServerResponse, button: string): Promise<void> {
    const refused = writeRefusal(req, deps);
    if (refused) return refuse(res, refused);
    if (!(await drained(req))) {
      return send(res, 413, { 'content-type': 'text/plain; charset=utf-8' }, 'Too large.\n');
    }
    if (button === 'process') {
      if (!deps.simulate) {
        const message = 'This emulator cannot process transfers (no state, or no simulation).\n';
        return send(res, 409, { 'content-type': 'text/plain; charset=utf-8' }, message);
      }
      await deps.simulate();
    } else deps.reset();
    // Post/redirect/get: the browser shows the page again, and a reload does not press again.
    send(res, 303, { location: deps.prefix });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://emulator.invalid').pathname;
    const name = path.slice(deps.prefix.length + 1);
    const method = req.method ?? 'GET';
    const button = name === 'process' || name === 'reset';
    // The page (with or without a trailing slash), a button, or one of the page's files.
    const known = name === '' || button || Object.hasOwn(ASSETS, name);
    if (!known) {
      req.resume();
      return send(res, 404, { 'content-type': 'text/plain; charset=utf-8' }, 'Not found.\n');
    }
    const allowed = button ? 'POST' : 'GET, HEAD';
    if (!allowed.split(', ').includes(method)) {
      req.resume();
      return send(res, 405, { allow: allowed, 'content-type': 'text/plain; charset=utf-8' });
    }
    if (button) return press(req, res, name);
    req.resume();
    const refused = readRefusal(req, deps);
    if (refused) return refuse(res, refused);
    if (name) return sendVersioned(req, res, ASSETS[name]!, await asset(name));
    const view = readView(deps);
    const page = renderPage(view, {
      prefix: deps.prefix,
      origin: deps.origin(),
      canProcess: deps.simulate !== undefined,
    });
    sendVersioned(req, res, 'text/html; charset=utf-8', page);
  }

  return handle;
}

/** Reads a request's body, keeping none of it; false when it was over MAX_BUTTON_BODY bytes. */
async function drained(req: IncomingMessage): Promise<boolean> {
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) size += chunk.length;
  return size <= MAX_BUTTON_BODY;
}
