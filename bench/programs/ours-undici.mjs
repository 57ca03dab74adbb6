// Same program with the undici transport (undici itself is a peer: loaded from node_modules,
// not bundled).
import { createDwollaClient } from 'dwolla-openapi-client';
import { createUndiciFetch } from 'dwolla-openapi-client/transport';

const { BENCH_URL: url, BENCH_KEY: key, BENCH_SECRET: secret } = process.env;
const transport = createUndiciFetch();
const dwolla = createDwollaClient({ key, secret, baseUrl: url, fetch: transport });
await dwolla.getAccessToken();
const { data, response } = await dwolla.get('/');
console.log('ok', response.status, data._links.self.href);
process.exit(0);
