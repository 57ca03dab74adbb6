// Unit checks for two small helpers whose edge cases the wire tests cannot reach.
import { describe, expect, it } from 'vitest';
import { abortable } from '../../src/auth/abortable.js';
import { redactSecrets } from '../../src/auth/redact.js';
import { DwollaError } from '../../src/index.js';

describe('abortable', () => {
  it('rejects at once for an already-aborted signal and keeps the shared rejection handled', async () => {
    const reason = new Error('stop');
    let rejectShared!: (e: unknown) => void;
    const shared = new Promise<string>((_resolve, reject) => {
      rejectShared = reject;
    });
    const error = await abortable(shared, AbortSignal.abort(reason)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DwollaError);
    expect((error as Error).cause).toBe(reason);
    rejectShared(new Error('later')); // must not surface as an unhandled rejection
  });

  it('passes the result through without a signal', async () => {
    await expect(abortable(Promise.resolve(1), undefined)).resolves.toBe(1);
  });
});

describe('redactSecrets', () => {
  it('removes Authorization values and literal secrets, but not too-short fragments', () => {
    const text = 'key abcdef used, Bearer tok.123 and basic QWxhZGRpbjpvcGVu; k';
    expect(redactSecrets(text, ['abcdef', 'k'])).toBe(
      'key [REDACTED] used, Bearer [REDACTED] and basic [REDACTED]; k',
    );
  });
});
