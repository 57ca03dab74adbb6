// Same program with raw node:http.
import http from 'node:http';

const { BENCH_URL: url, BENCH_KEY: key, BENCH_SECRET: secret } = process.env;
const request = (method, path, headers, body) =>
  new Promise((resolve, reject) => {
    const req = http.request(`${url}${path}`, { method, headers }, (res) => {
      let data = '';
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(data) }));
    });
    req.on('error', reject);
    req.end(body);
  });
const form = 'grant_type=client_credentials';
const token = await request(
  'POST',
  '/token',
  {
    authorization: 'Basic ' + Buffer.from(`${key}:${secret}`).toString('base64'),
    'content-type': 'application/x-www-form-urlencoded',
    'content-length': form.length,
  },
  form,
);
const res = await request('GET', '/', { authorization: `Bearer ${token.body.access_token}` });
console.log('ok', res.status, res.body._links.self.href);
process.exit(0);
