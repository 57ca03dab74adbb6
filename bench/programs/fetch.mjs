// Smallest useful program with raw fetch: get a token, call GET /.
const { BENCH_URL: url, BENCH_KEY: key, BENCH_SECRET: secret } = process.env;
const tokenRes = await fetch(`${url}/token`, {
  method: 'POST',
  headers: {
    authorization: 'Basic ' + btoa(`${key}:${secret}`),
    'content-type': 'application/x-www-form-urlencoded',
  },
  body: 'grant_type=client_credentials',
});
const { access_token } = await tokenRes.json();
const res = await fetch(`${url}/`, {
  headers: {
    authorization: `Bearer ${access_token}`,
    accept: 'application/vnd.dwolla.v1.hal+json',
  },
});
const root = await res.json();
console.log('ok', res.status, root._links.self.href);
