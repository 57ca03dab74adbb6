// The clients under test. Each entry loads only its own library, so a worker process that runs
// one client pays only for that client. `create()` returns `call()` (one GET /, resolving to the
// parsed root body) for a client pointed at the bench server through the library's own options.

const HAL = 'application/vnd.dwolla.v1.hal+json';

/** @param {string} key @param {string} secret */
const basic = (key, secret) => 'Basic ' + Buffer.from(`${key}:${secret}`).toString('base64');

/**
 * The hand-made token cache the raw floors use: one in-flight token request shared by every
 * caller, reused until a minute before it expires.
 * @param {() => Promise<{ access_token: string, expires_in: number }>} request
 */
function tokenCache(request) {
  /** @type {string | undefined} */ let token;
  let expiresAt = 0;
  /** @type {Promise<string> | undefined} */ let pending;
  return () => {
    if (token !== undefined && Date.now() < expiresAt) return token;
    return (pending ??= request().then(
      (t) => {
        token = t.access_token;
        expiresAt = Date.now() + (t.expires_in - 60) * 1000;
        pending = undefined;
        return token;
      },
      (e) => {
        pending = undefined;
        throw e;
      },
    ));
  };
}

/**
 * @typedef {{ url: string, key: string, secret: string }} Target
 * @typedef {{ call: () => Promise<any>, links: (result: any) => any }} Client
 * @typedef {{ label: string, create: (t: Target) => Promise<Client> }} ClientSpec
 */

/** @type {Record<string, ClientSpec>} */
export const CLIENTS = {
  fetch: {
    label: 'raw fetch + token cache (floor)',
    async create({ url, key, secret }) {
      const getToken = tokenCache(async () => {
        const res = await fetch(`${url}/token`, {
          method: 'POST',
          headers: {
            authorization: basic(key, secret),
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: 'grant_type=client_credentials',
        });
        if (!res.ok) throw new Error(`token: HTTP ${res.status}`);
        return res.json();
      });
      return {
        async call() {
          const token = await getToken();
          const res = await fetch(`${url}/`, {
            headers: { authorization: `Bearer ${token}`, accept: HAL },
          });
          if (!res.ok) throw new Error(`GET /: HTTP ${res.status}`);
          return res.json();
        },
        links: (r) => r._links,
      };
    },
  },

  'node-http': {
    label: 'raw node:http keep-alive + token cache',
    async create({ url, key, secret }) {
      const http = await import('node:http');
      const agent = new http.Agent({ keepAlive: true });
      /** @returns {Promise<{ status: number, body: string }>} */
      const request = (method, path, headers, body) =>
        new Promise((resolve, reject) => {
          const req = http.request(`${url}${path}`, { method, headers, agent }, (res) => {
            let data = '';
            res.setEncoding('utf8');
            res.on('data', (c) => (data += c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
            res.on('error', reject);
          });
          req.on('error', reject);
          req.end(body);
        });
      const getToken = tokenCache(async () => {
        const form = 'grant_type=client_credentials';
        const res = await request(
          'POST',
          '/token',
          {
            authorization: basic(key, secret),
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': String(form.length),
          },
          form,
        );
        if (res.status !== 200) throw new Error(`token: HTTP ${res.status}`);
        return JSON.parse(res.body);
      });
      return {
        async call() {
          const token = await getToken();
          const res = await request('GET', '/', { authorization: `Bearer ${token}`, accept: HAL });
          if (res.status !== 200) throw new Error(`GET /: HTTP ${res.status}`);
          return JSON.parse(res.body);
        },
        links: (r) => r._links,
      };
    },
  },

  undici: {
    label: 'raw undici request() keep-alive + token cache (reference)',
    async create({ url, key, secret }) {
      const { Agent } = await import('undici');
      // The same pool as createUndiciTransport's default: keep-alive, 16 connections per origin.
      const agent = new Agent({ connections: 16 });
      const getToken = tokenCache(async () => {
        const res = await agent.request({
          origin: url,
          path: '/token',
          method: 'POST',
          headers: {
            authorization: basic(key, secret),
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: 'grant_type=client_credentials',
        });
        if (res.statusCode !== 200) throw new Error(`token: HTTP ${res.statusCode}`);
        return res.body.json();
      });
      return {
        async call() {
          const token = await getToken();
          const res = await agent.request({
            origin: url,
            path: '/',
            method: 'GET',
            headers: { authorization: `Bearer ${token}`, accept: HAL },
          });
          if (res.statusCode !== 200) throw new Error(`GET /: HTTP ${res.statusCode}`);
          return res.body.json();
        },
        links: (r) => r._links,
      };
    },
  },

  ours: {
    label: 'dwolla-openapi-client (default options)',
    async create({ url, key, secret }) {
      const { createDwollaClient } = await import('dwolla-openapi-client');
      const dwolla = createDwollaClient({ key, secret, baseUrl: url });
      return { call: () => dwolla.get('/'), links: (r) => r.data._links };
    },
  },

  'ours-generated': {
    label: 'dwolla-openapi-client, generated-operation path (dwolla.client.get)',
    async create({ url, key, secret }) {
      const { createDwollaClient } = await import('dwolla-openapi-client');
      const dwolla = createDwollaClient({ key, secret, baseUrl: url });
      // What a generated GET operation calls: dwolla.client, hey-api's Client on the pipeline.
      return { call: () => dwolla.client.get({ url: '/' }), links: (r) => r.data._links };
    },
  },

  'ours-fetch': {
    label: 'dwolla-openapi-client, fetch adapter (fetch: globalThis.fetch)',
    async create({ url, key, secret }) {
      const { createDwollaClient } = await import('dwolla-openapi-client');
      const dwolla = createDwollaClient({ key, secret, baseUrl: url, fetch: globalThis.fetch });
      return { call: () => dwolla.get('/'), links: (r) => r.data._links };
    },
  },

  'ours-undici': {
    label: 'dwolla-openapi-client + createUndiciTransport()',
    async create({ url, key, secret }) {
      const { createDwollaClient } = await import('dwolla-openapi-client');
      const { createUndiciTransport } = await import('dwolla-openapi-client/transport');
      const transport = createUndiciTransport();
      const dwolla = createDwollaClient({ key, secret, baseUrl: url, transport });
      return { call: () => dwolla.get('/'), links: (r) => r.data._links };
    },
  },

  dwolla: {
    label: 'dwolla 1.1.x (official Speakeasy SDK)',
    async create({ url, key, secret }) {
      const { Dwolla } = await import('dwolla');
      const dwolla = new Dwolla({
        serverURL: url,
        security: { clientID: key, clientSecret: secret, tokenURL: `${url}/token` },
      });
      return { call: () => dwolla.root.get(), links: (r) => r.links };
    },
  },

  'dwolla-v2': {
    label: 'dwolla-v2 3.4.x (hand-written SDK)',
    async create({ url, key, secret }) {
      const { Client } = await import('dwolla-v2');
      const client = new Client({ key, secret, environment: 'sandbox' });
      client.tokenUrl = `${url}/token`;
      client.apiUrl = url;
      return { call: () => client.get('/'), links: (r) => r.body._links };
    },
  },
};

/** What each client's user imports, for the cold-import row. */
export const IMPORTS = {
  fetch: [],
  'node-http': ['node:http'],
  ours: ['dwolla-openapi-client'],
  'ours-generated': ['dwolla-openapi-client'],
  'ours-fetch': ['dwolla-openapi-client'],
  undici: ['undici'],
  'ours-undici': ['dwolla-openapi-client', 'dwolla-openapi-client/transport'],
  dwolla: ['dwolla'],
  'dwolla-v2': ['dwolla-v2'],
};
