import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ApiError } from '@novacron/api';
import { SignJWT, UnsecuredJWT } from 'jose';
import { ManualClock } from '../testing/manual-clock';
import { AccessTokens } from './access-token';
import { SigningKeys } from './signing-keys';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'novacron-keys-'));
  dirs.push(d);
  return join(d, 'keys');
}
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    assert.ok(err instanceof ApiError, String(err));
    return err.code;
  }
}

const claims = { sub: 'u1', sid: 's1', tenant: 't1' };

describe('access tokens (EdDSA JWT)', () => {
  it('generates one Ed25519 key with 0600 in a 0700 directory, and reloads the same key', async () => {
    const clock = new ManualClock();
    const dir = tempDir();
    const keys = SigningKeys.load(dir, clock);
    const files = readdirSync(dir);
    assert.equal(files.length, 1);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(join(dir, files[0])).mode & 0o777, 0o600);
    const token = await new AccessTokens(keys, clock).issue(claims, 900);
    const again = SigningKeys.load(dir, clock);
    assert.equal(again.current().kid, keys.current().kid);
    assert.deepEqual(await new AccessTokens(again, clock).verify(token), claims);
  });

  it('carries sub, sid, tenant, kid and alg EdDSA', async () => {
    const clock = new ManualClock();
    const keys = SigningKeys.load(tempDir(), clock);
    const token = await new AccessTokens(keys, clock).issue(claims, 900);
    const [h, p] = token.split('.').slice(0, 2).map((s) => JSON.parse(Buffer.from(s, 'base64url').toString()));
    assert.equal(h.alg, 'EdDSA');
    assert.equal(h.kid, keys.current().kid);
    assert.equal(p.sub, 'u1');
    assert.equal(p.sid, 's1');
    assert.equal(p.tenant, 't1');
    assert.equal(p.exp - p.iat, 900);
  });

  it('expires: TOKEN_EXPIRED once the clock passes exp', async () => {
    const clock = new ManualClock();
    const tokens = new AccessTokens(SigningKeys.load(tempDir(), clock), clock);
    const token = await tokens.issue(claims, 900);
    clock.advance(899);
    assert.equal(await codeOf(tokens.verify(token)), 'ok');
    clock.advance(2);
    assert.equal(await codeOf(tokens.verify(token)), 'TOKEN_EXPIRED');
  });

  it('refuses alg none, another key, HS256 and tampering', async () => {
    const clock = new ManualClock();
    const keys = SigningKeys.load(tempDir(), clock);
    const tokens = new AccessTokens(keys, clock);
    const now = Math.floor(clock.now().getTime() / 1000);
    const base = () => ({ sid: 's1', tenant: 't1' });

    const none = new UnsecuredJWT(base()).setSubject('u1').setIssuer('novacron').setAudience('novacron-api').setIssuedAt(now).setExpirationTime(now + 900).encode();
    assert.equal(await codeOf(tokens.verify(none)), 'UNAUTHENTICATED');

    const other = generateKeyPairSync('ed25519').privateKey;
    const foreign = await new SignJWT(base())
      .setProtectedHeader({ alg: 'EdDSA', kid: keys.current().kid })
      .setSubject('u1').setIssuer('novacron').setAudience('novacron-api').setIssuedAt(now).setExpirationTime(now + 900)
      .sign(other);
    assert.equal(await codeOf(tokens.verify(foreign)), 'UNAUTHENTICATED');

    const hs = await new SignJWT(base())
      .setProtectedHeader({ alg: 'HS256', kid: keys.current().kid })
      .setSubject('u1').setIssuer('novacron').setAudience('novacron-api').setIssuedAt(now).setExpirationTime(now + 900)
      .sign(new TextEncoder().encode('x'.repeat(32)));
    assert.equal(await codeOf(tokens.verify(hs)), 'UNAUTHENTICATED');

    const good = await tokens.issue(claims, 900);
    const [h, p, sig] = good.split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, sub: 'admin' })).toString('base64url')}.${sig}`;
    assert.equal(await codeOf(tokens.verify(forged)), 'UNAUTHENTICATED');
    assert.equal(await codeOf(tokens.verify('not.a.jwt')), 'UNAUTHENTICATED');
  });

  it('keeps verifying tokens of an older key after a new one is added', async () => {
    const clock = new ManualClock();
    const dir = tempDir();
    const keys = SigningKeys.load(dir, clock);
    const old = await new AccessTokens(keys, clock).issue(claims, 900);
    clock.advance(60);
    SigningKeys.generate(dir, clock);
    const reloaded = SigningKeys.load(dir, clock);
    assert.notEqual(reloaded.current().kid, keys.current().kid);
    assert.deepEqual(await new AccessTokens(reloaded, clock).verify(old), claims);
  });

  it('remembers verified tokens but still refuses expired ones, other keys and any altered copy', async () => {
    const clock = new ManualClock();
    const dir = tempDir();
    const keys = SigningKeys.load(dir, clock);
    const tokens = new AccessTokens(keys, clock);
    const good = await tokens.issue(claims, 900);
    assert.deepEqual(await tokens.verify(good), claims);
    assert.equal(tokens.cachedTokens, 1);
    assert.deepEqual(await tokens.verify(good), claims, 'a cached token verifies again');
    assert.ok(Object.isFrozen(await tokens.verify(good)), 'cached claims cannot be changed by a caller');

    // A verified token in the cache must not make a near-copy pass: only the exact text hits.
    const [h, p, sig] = good.split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, sub: 'admin' })).toString('base64url')}.${sig}`;
    const flipped = `${h}.${p}.${sig.slice(0, -2)}${sig.at(-2) === 'A' ? 'B' : 'A'}${sig.at(-1)}`;
    for (const bad of [forged, flipped, `${good}x`, `${h}.${p}.`]) assert.equal(await codeOf(tokens.verify(bad)), 'UNAUTHENTICATED', bad);
    assert.equal(tokens.cachedTokens, 1, 'refused tokens are not remembered');

    // A token signed by a key this instance does not know is refused even though another instance cached it.
    const otherKeys = SigningKeys.load(tempDir(), clock);
    assert.equal(await codeOf(new AccessTokens(otherKeys, clock).verify(good)), 'UNAUTHENTICATED');

    clock.advance(899);
    assert.equal(await codeOf(tokens.verify(good)), 'ok');
    clock.advance(1);
    assert.equal(await codeOf(tokens.verify(good)), 'TOKEN_EXPIRED', 'expiry is checked on every cache hit (exp <= now)');
    assert.equal(tokens.cachedTokens, 0, 'an expired token leaves the cache');
    assert.equal(await codeOf(tokens.verify(good)), 'TOKEN_EXPIRED');
  });

  it('keeps at most its size of verified tokens, dropping the least recently used', async () => {
    const clock = new ManualClock();
    const tokens = new AccessTokens(SigningKeys.load(tempDir(), clock), clock, 2);
    const [a, b, c] = await Promise.all([1, 2, 3].map((i) => tokens.issue({ ...claims, sid: `s${i}` }, 900)));
    await tokens.verify(a);
    await tokens.verify(b);
    await tokens.verify(a); // a is now the most recent
    await tokens.verify(c); // evicts b
    assert.equal(tokens.cachedTokens, 2);
    assert.deepEqual(await tokens.verify(b), { ...claims, sid: 's2' }, 'an evicted token is verified afresh');
  });
});
