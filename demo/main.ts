/**
 * npm start: the client at work. With DWOLLA_KEY, DWOLLA_SECRET and DWOLLA_ENVIRONMENT set it
 * talks to Dwolla; with none of them set, to the built-in emulator. It makes 20 calls (10 at once
 * on a cold client, then 10 in a row) and shows how many token requests they took.
 */
import { createDwollaClient, DwollaError, type DwollaClientOptions } from '../src/index.js';
import { startEmulator } from '../src/emulator/index.js';

const CONCURRENT = 10;
const SEQUENTIAL = 10;

/** Wraps fetch to count what goes over the wire and to read the token's lifetime. */
function countingFetch() {
  const counts = { tokenRequests: 0, apiCalls: 0, expiresAt: 0 };
  const wrapped: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const isToken = new URL(request.url).pathname === '/token';
    if (isToken) counts.tokenRequests++;
    else counts.apiCalls++;
    const response = await fetch(request);
    if (isToken && response.ok) {
      const { expires_in } = (await response.clone().json()) as { expires_in: number };
      counts.expiresAt = Date.now() + Number(expires_in) * 1000;
    }
    return response;
  };
  return { fetch: wrapped, counts };
}

async function target(): Promise<{
  options: DwollaClientOptions;
  where: string;
  stop(): Promise<void>;
}> {
  const { DWOLLA_KEY: key, DWOLLA_SECRET: secret, DWOLLA_ENVIRONMENT: environment } = process.env;
  if (key || secret || environment) {
    if (!key || !secret || !environment) {
      throw new TypeError('Set all of DWOLLA_KEY, DWOLLA_SECRET and DWOLLA_ENVIRONMENT, or none');
    }
    const options = { key, secret, environment: environment as 'sandbox' | 'production' };
    return { options, where: `Dwolla's ${environment} API`, stop: async () => {} };
  }
  const credentials = { key: 'demo-key', secret: 'demo-secret' };
  const emulator = await startEmulator({
    ...credentials,
    spec: new URL('./demo-spec.yaml', import.meta.url),
  });
  return {
    options: { ...credentials, baseUrl: emulator.url },
    where: `the built-in emulator at ${emulator.url} (set DWOLLA_KEY, DWOLLA_SECRET and DWOLLA_ENVIRONMENT to use Dwolla)`,
    stop: () => emulator.close(),
  };
}

async function main(): Promise<void> {
  const { options, where, stop } = await target();
  try {
    const wire = countingFetch();
    const dwolla = createDwollaClient({ ...options, fetch: wire.fetch });
    console.log(`Dwolla client demo, on ${where}`);

    const started = performance.now();
    const cold = await Promise.all(Array.from({ length: CONCURRENT }, () => dwolla.get('/')));
    for (let i = 0; i < SEQUENTIAL; i++) await dwolla.get('/');
    const ms = Math.round(performance.now() - started);

    const { data, response } = cold[0]!;
    const links = Object.keys((data as { _links?: object } | undefined)?._links ?? {});
    console.log(`GET / → ${response.status}: links to ${links.join(', ') || 'nothing'}`);
    const calls = CONCURRENT + SEQUENTIAL;
    console.log(
      `${calls} calls (${CONCURRENT} at once on a cold client, then ${SEQUENTIAL} in a row) in ${ms} ms`,
    );
    const { tokenRequests, expiresAt } = wire.counts;
    const left = Math.max(0, Math.round((expiresAt - Date.now()) / 1000));
    console.log(
      `${tokenRequests} token request${tokenRequests === 1 ? '' : 's'} for ${calls} calls; ` +
        `the token has ${Math.floor(left / 60)} min ${left % 60} s of life left`,
    );
  } finally {
    await stop();
  }
}

main().catch((error: unknown) => {
  const known = error instanceof DwollaError || error instanceof TypeError;
  console.error(known ? `${error.name}: ${error.message}` : error);
  process.exitCode = 1;
});
