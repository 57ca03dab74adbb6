// Same program with dwolla (Speakeasy SDK): the token is fetched by its client-credentials hook.
import { Dwolla } from 'dwolla';

const { BENCH_URL: url, BENCH_KEY: key, BENCH_SECRET: secret } = process.env;
const dwolla = new Dwolla({
  serverURL: url,
  security: { clientID: key, clientSecret: secret, tokenURL: `${url}/token` },
});
const root = await dwolla.root.get();
console.log('ok', 200, root.links.self.href);
