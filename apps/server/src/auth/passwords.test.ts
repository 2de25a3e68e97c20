import { ApiError, PasswordPolicy } from '@novacron/api';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertStrongPassword, hashPassword, policyFailures, verifyPassword } from './passwords';

const policy = (p: Partial<PasswordPolicy> = {}) => PasswordPolicy.parse(p);
type PasswordPolicy = import('zod').infer<typeof PasswordPolicy>;

describe('passwords', () => {
  it('hashes with argon2id at m=19456 t=2 p=1 and verifies', async () => {
    const hash = await hashPassword('correct horse battery staple');
    assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.equal(await verifyPassword(hash, 'correct horse battery staple'), true);
    assert.equal(await verifyPassword(hash, 'correct horse battery stapl'), false);
    assert.notEqual(await hashPassword('same'), await hashPassword('same'), 'salted');
  });

  it('answers false for missing or garbage hashes, still spending the time of a verify', async () => {
    const real = await hashPassword('x'.repeat(12));
    await verifyPassword(null, 'warm-up');
    const t0 = performance.now();
    assert.equal(await verifyPassword(null, 'whatever'), false);
    const unknown = performance.now() - t0;
    const t1 = performance.now();
    await verifyPassword(real, 'whatever');
    const known = performance.now() - t1;
    // Both run one argon2id verify; on a noisy box allow a wide ratio, but the no-hash path must not be instant.
    assert.ok(unknown > known / 4, `unknown-user path took ${unknown.toFixed(1)} ms vs ${known.toFixed(1)} ms`);
    assert.equal(await verifyPassword('not-a-phc-string', 'x'), false);
  });

  it('names every unmet rule', () => {
    assert.deepEqual(policyFailures('short', policy()), ['at least 12 characters']);
    assert.deepEqual(policyFailures('alllowercase-long', policy({ requireMixedCase: true, requireDigit: true, requireSymbol: true })), [
      'upper- and lower-case letters',
      'a digit',
    ]);
    assert.deepEqual(policyFailures('Abcdefghijk1!', policy({ requireMixedCase: true, requireDigit: true, requireSymbol: true })), []);
    assert.deepEqual(policyFailures('abcdefghijkl', policy({ requireSymbol: true })), ['a symbol']);
    assert.deepEqual(policyFailures('Ann@Example.com', policy({ minLength: 8 }), { email: 'ann@example.com' }), ['something other than the email address']);
    // Length counts characters, not UTF-16 units.
    assert.deepEqual(policyFailures('🔑'.repeat(12), policy()), []);
  });

  it('throws WEAK_PASSWORD with field errors', () => {
    try {
      assertStrongPassword('abc', policy({ requireDigit: true }), 'newPassword');
      assert.fail('expected WEAK_PASSWORD');
    } catch (err) {
      assert.ok(err instanceof ApiError);
      assert.equal(err.code, 'WEAK_PASSWORD');
      assert.match(err.message, /at least 12 characters, a digit/);
      assert.deepEqual(err.errors?.map((e) => e.path), ['newPassword', 'newPassword']);
    }
  });
});
