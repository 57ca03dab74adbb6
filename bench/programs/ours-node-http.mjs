// Same program with the node:http transport.
import { createDwollaClient } from 'dwolla-openapi-client';
import { createNodeHttpFetch } from 'dwolla-openapi-client/transport';

const { BENCH_URL: url, BENCH_KEY: key, BENCH_SECRET: secret } = process.env;
const dwolla = createDwollaClient({ key, secret, baseUrl: url, fetch: createNodeHttpFetch() });
await dwolla.getAccessToken();
const { data, response } = await dwolla.get('/');
console.log('ok', response.status, data._links.self.href);
process.exit(0);
