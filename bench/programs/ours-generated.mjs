// Same program through the generated-operation path: the configured hey-api client (what every
// generated operation calls), on the client's pipeline.
import { createDwollaClient } from 'dwolla-openapi-client';

const { BENCH_URL: url, BENCH_KEY: key, BENCH_SECRET: secret } = process.env;
const dwolla = createDwollaClient({ key, secret, baseUrl: url });
await dwolla.getAccessToken();
const { data, response } = await dwolla.client.get({ url: '/' });
console.log('ok', response.status, data._links.self.href);
