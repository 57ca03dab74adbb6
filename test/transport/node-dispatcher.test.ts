// The dispatcher adapter on Node's own built-in dispatcher (the one Node's fetch sends through),
// the default transport's path on Node (when the default takes it: default-transport.test.ts).
// No static import of undici: on import it would put an Agent of its own in the empty dispatcher
// slot, and the contract would run on the undici package, not on the undici inside Node.
import { describe, expect, it } from 'vitest';
import { builtinDispatcher } from '../../src/transport/default-transport.js';
import { dispatcherTransport } from '../../src/transport/dispatcher-transport.js';
import { transportContract } from './contract.js';
import { transportRequest } from './http-server.js';

transportContract("Node's built-in dispatcher", () => ({
  transport: dispatcherTransport(() => builtinDispatcher()!),
  close: async () => {},
}));

describe('the dispatcher adapter', () => {
  it('a dispatcher that throws at once fails the exchange, leaving no timer behind', async () => {
    const broken = dispatcherTransport(() => ({
      dispatch: () => {
        throw new Error('boom');
      },
    }));
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    await expect(
      broken.send(transportRequest('http://127.0.0.1:9', '/x', { timeoutMs: 60_000 })),
    ).rejects.toThrow('boom');
    expect(timers()).toBe(before);
  });

  it("the contract above ran on Node's own dispatcher, not on the undici package's Agent", async () => {
    const { Agent } = await import('undici');
    expect(builtinDispatcher()).not.toBeInstanceOf(Agent);
  });
});
