// Dwolla's own TypeScript SDK (the `dwolla` package) against the emulator on Dwolla's full spec.
import { Dwolla } from 'dwolla';
import { describe, expect, it } from 'vitest';
import { HAS_UPSTREAM_SPEC, UPSTREAM_SPEC } from '../helpers/upstream-spec.js';
import { emulator } from './helpers.js';

describe.skipIf(!HAS_UPSTREAM_SPEC)("Dwolla's official SDK on the emulator", () => {
  it('creates a customer and reads it back', async () => {
    // The SDK sends the key and secret as Basic credentials without form-encoding them.
    const emu = await emulator({ spec: UPSTREAM_SPEC, key: 'sdk-key', secret: 'sdk-secret' });
    const dwolla = new Dwolla({
      serverURL: emu.url,
      security: { clientID: 'sdk-key', clientSecret: 'sdk-secret', tokenURL: `${emu.url}/token` },
    });
    const created = await dwolla.customers.create({
      firstName: 'Sdk',
      lastName: 'User',
      email: 'sdk@example.com',
      type: 'unverified',
    });
    const location = created?.headers.location?.[0] ?? created?.headers.Location?.[0];
    expect(location).toMatch(new RegExp(`^${emu.url}/customers/[0-9a-f-]{36}$`));
    const id = location!.split('/').pop()!;
    const customer = await dwolla.customers.get({ id });
    expect(customer).toMatchObject({
      id,
      firstName: 'Sdk',
      lastName: 'User',
      email: 'sdk@example.com',
      status: 'unverified',
    });
    expect(emu.stats().calls).toMatchObject({ createCustomer: 1, getCustomer: 1 });
  });
});
