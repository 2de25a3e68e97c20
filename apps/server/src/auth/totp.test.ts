import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { base32Decode, base32Encode, generateRecoveryCodes, generateTotpSecret, hotp, otpauthUri, totpCode, verifyTotp } from './totp';

// RFC 6238 appendix B: SHA-1 seed "12345678901234567890", 8 digits.
const RFC_SECRET = Buffer.from('12345678901234567890');
const vectors: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('totp', () => {
  it('matches the RFC 6238 SHA-1 test vectors', () => {
    for (const [t, code] of vectors) assert.equal(hotp(RFC_SECRET, Math.floor(t / 30), 8), code, `T=${t}`);
  });

  it('matches RFC 4226 HOTP values (6 digits)', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expected.forEach((code, counter) => assert.equal(hotp(RFC_SECRET, counter), code));
  });

  it('round-trips base32 and decodes the RFC 4648 examples', () => {
    assert.equal(base32Encode(Buffer.from('foobar')), 'MZXW6YTBOI');
    assert.equal(base32Decode('MZXW6YTBOI======').toString(), 'foobar');
    assert.equal(base32Decode('mzxw 6ytb oi').toString(), 'foobar');
    const secret = generateTotpSecret();
    assert.equal(secret.length, 32);
    assert.equal(base32Decode(secret).length, 20);
    assert.throws(() => base32Decode('not-base32!'));
  });

  it('accepts the previous, current and next step only', () => {
    const secret = generateTotpSecret();
    const now = new Date('2026-01-01T00:00:15Z');
    const at = (s: number) => new Date(now.getTime() + s * 1000);
    assert.notEqual(verifyTotp(secret, totpCode(secret, now), now), null);
    assert.notEqual(verifyTotp(secret, totpCode(secret, at(-30)), now), null);
    assert.notEqual(verifyTotp(secret, totpCode(secret, at(30)), now), null);
    assert.equal(verifyTotp(secret, totpCode(secret, at(-60)), now), null);
    assert.equal(verifyTotp(secret, totpCode(secret, at(60)), now), null);
    assert.equal(verifyTotp(secret, 'abcdef', now), null);
    assert.equal(verifyTotp(secret, '12345', now), null);
  });

  it('refuses a step at or before the last one used (no replay)', () => {
    const secret = generateTotpSecret();
    const now = new Date('2026-01-01T00:00:15Z');
    const code = totpCode(secret, now);
    const step = verifyTotp(secret, code, now);
    assert.ok(step !== null);
    assert.equal(verifyTotp(secret, code, now, step), null);
    assert.equal(verifyTotp(secret, totpCode(secret, new Date(now.getTime() + 30_000)), now, step), step + 1);
  });

  it('makes an otpauth URI apps understand', () => {
    const uri = new URL(otpauthUri('JBSWY3DPEHPK3PXP', 'ann@example.com'));
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.host, 'totp');
    assert.equal(decodeURIComponent(uri.pathname), '/NovaCron:ann@example.com');
    assert.equal(uri.searchParams.get('secret'), 'JBSWY3DPEHPK3PXP');
    assert.equal(uri.searchParams.get('issuer'), 'NovaCron');
  });

  it('makes ten distinct recovery codes', () => {
    const codes = generateRecoveryCodes();
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);
    for (const c of codes) assert.match(c, /^[0-9a-z]{5}-[0-9a-z]{5}$/);
  });
});
