// A minimal, fast, Dwolla-like HTTP server for the benchmark. Runs in its own process.
//
//   POST /token      client-credentials grant (Basic auth, or client_id/client_secret in the
//                    form body as dwolla-v2 sends them) -> { access_token, token_type, expires_in }
//   GET  /           bearer-checked HAL root, as Dwolla returns it
//   GET  /__stats    { tokens, api, connections } counters
//   POST /__reset    zero the counters
//
// Prints one JSON line { "url": "http://127.0.0.1:<port>" } on stdout once listening.
import http from 'node:http';

const key = process.env.BENCH_KEY ?? 'bench-key';
const secret = process.env.BENCH_SECRET ?? 'bench-secret';
const basic = 'Basic ' + Buffer.from(`${key}:${secret}`).toString('base64');

let tokens = 0;
let api = 0;
let connections = 0;
const issued = new Set();
let rootBody = Buffer.alloc(0);

const HAL = 'application/vnd.dwolla.v1.hal+json; charset=UTF-8';

function send(res, status, type, body) {
  res.writeHead(status, { 'content-type': type, 'content-length': body.length });
  res.end(body);
}

function json(res, status, value, type = 'application/json') {
  send(res, status, type, Buffer.from(JSON.stringify(value)));
}

function unauthorized(res) {
  json(res, 401, { code: 'InvalidAccessToken', message: 'Invalid access token.' }, HAL);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const server = http.createServer(async (req, res) => {
  const { method, url } = req;
  if (method === 'GET' && url === '/') {
    const auth = req.headers.authorization;
    if (!auth || !auth.startsWith('Bearer ') || !issued.has(auth.slice(7))) {
      req.resume();
      return unauthorized(res);
    }
    api++;
    req.resume();
    return send(res, 200, HAL, rootBody);
  }
  if (method === 'POST' && url === '/token') {
    const form = new URLSearchParams(await readBody(req));
    const ok =
      req.headers.authorization === basic ||
      (form.get('client_id') === key && form.get('client_secret') === secret);
    if (!ok) return json(res, 401, { error: 'invalid_client' });
    if (form.get('grant_type') !== 'client_credentials') {
      return json(res, 400, { error: 'unsupported_grant_type' });
    }
    tokens++;
    const token = `bench-token-${tokens}-${Math.random().toString(36).slice(2)}`;
    issued.add(token);
    return json(res, 200, { access_token: token, token_type: 'bearer', expires_in: 3600 });
  }
  if (method === 'GET' && url === '/__stats') {
    req.resume();
    return json(res, 200, { tokens, api, connections });
  }
  if (method === 'POST' && url === '/__reset') {
    req.resume();
    tokens = 0;
    api = 0;
    connections = 0;
    return json(res, 200, { tokens, api, connections });
  }
  req.resume();
  json(res, 404, { code: 'NotFound', message: 'The requested resource was not found.' }, HAL);
});

server.on('connection', () => connections++);
server.keepAliveTimeout = 120_000;
server.headersTimeout = 130_000;
server.maxRequestsPerSocket = 0;

server.listen(Number(process.env.BENCH_PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address();
  const base = `http://127.0.0.1:${port}`;
  rootBody = Buffer.from(
    JSON.stringify({
      _links: {
        self: {
          href: `${base}/`,
          type: 'application/vnd.dwolla.v1.hal+json',
          'resource-type': 'root',
        },
        account: {
          href: `${base}/accounts/ca32853c-48fa-40be-ae75-77b37504581b`,
          type: 'application/vnd.dwolla.v1.hal+json',
          'resource-type': 'account',
        },
        customers: {
          href: `${base}/customers`,
          type: 'application/vnd.dwolla.v1.hal+json',
          'resource-type': 'customer',
        },
        events: {
          href: `${base}/events`,
          type: 'application/vnd.dwolla.v1.hal+json',
          'resource-type': 'event',
        },
        'webhook-subscriptions': {
          href: `${base}/webhook-subscriptions`,
          type: 'application/vnd.dwolla.v1.hal+json',
          'resource-type': 'webhook-subscription',
        },
      },
    }),
  );
  process.stdout.write(JSON.stringify({ url: base }) + '\n');
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
