// Same program with the undici transport (undici itself is a peer: loaded from node_modules,
// not bundled).
import { createDwollaClient } from 'dwolla-openapi-client';
import { createUndiciTransport } from 'dwolla-openapi-client/transport';

const { BENCH_URL: url, BENCH_KEY: key, BENCH_SECRET: secret } = process.env;
const transport = createUndiciTransport();
const dwolla = createDwollaClient({ key, secret, baseUrl: url, transport });
await dwolla.getAccessToken();
const { data, response } = await dwolla.get('/');
console.log('ok', response.status, data._links.self.href);
await transport.close();
