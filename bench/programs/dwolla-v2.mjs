// Same program with dwolla-v2: the token is fetched by its token manager.
import { Client } from 'dwolla-v2';

const { BENCH_URL: url, BENCH_KEY: key, BENCH_SECRET: secret } = process.env;
const client = new Client({ key, secret, environment: 'sandbox' });
client.tokenUrl = `${url}/token`;
client.apiUrl = url;
const res = await client.get('/');
console.log('ok', res.status, res.body._links.self.href);
process.exit(0);
