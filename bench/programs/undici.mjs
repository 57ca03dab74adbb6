// Same program with a bare undici request().
import { request } from 'undici';

const { BENCH_URL: url, BENCH_KEY: key, BENCH_SECRET: secret } = process.env;
const token = await request(`${url}/token`, {
  method: 'POST',
  headers: {
    authorization: 'Basic ' + Buffer.from(`${key}:${secret}`).toString('base64'),
    'content-type': 'application/x-www-form-urlencoded',
  },
  body: 'grant_type=client_credentials',
});
const { access_token } = await token.body.json();
const res = await request(`${url}/`, {
  headers: {
    authorization: `Bearer ${access_token}`,
    accept: 'application/vnd.dwolla.v1.hal+json',
  },
});
const data = await res.body.json();
console.log('ok', res.statusCode, data._links.self.href);
process.exit(0);
