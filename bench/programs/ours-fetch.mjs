// Same program on the fetch adapter (the client sends through the global fetch it is given).
import { createDwollaClient } from 'dwolla-openapi-client';

const { BENCH_URL: url, BENCH_KEY: key, BENCH_SECRET: secret } = process.env;
const dwolla = createDwollaClient({ key, secret, baseUrl: url, fetch: globalThis.fetch });
await dwolla.getAccessToken();
const { data, response } = await dwolla.get('/');
console.log('ok', response.status, data._links.self.href);
