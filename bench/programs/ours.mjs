// Smallest useful program with this client: get a token, call GET /.
import { createDwollaClient } from 'dwolla-openapi-client';

const { BENCH_URL: url, BENCH_KEY: key, BENCH_SECRET: secret } = process.env;
const dwolla = createDwollaClient({ key, secret, baseUrl: url });
await dwolla.getAccessToken();
const { data, response } = await dwolla.get('/');
console.log('ok', response.status, data._links.self.href);
