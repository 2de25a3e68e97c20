// Makes a genuinely expired access token: the same claims as a live one, signed with the test server's own key
// (from its data dir) with an `exp` in the past, so the server itself answers TOKEN_EXPIRED.
import { createPrivateKey } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';

/** The same token as `live`, expired an hour ago. */
export async function expiredCopy(live: string): Promise<string> {
  const dir = process.env.NOVACRON_E2E_DATA_DIR;
  if (!dir) throw new Error('NOVACRON_E2E_DATA_DIR is not set');
  const { kid } = decodeProtectedHeader(live);
  const file = readdirSync(join(dir, 'keys')).find((f) => f.startsWith(`${kid}.`));
  if (!file) throw new Error(`signing key ${kid} not found`);
  const { jwk } = JSON.parse(readFileSync(join(dir, 'keys', file), 'utf8')) as { jwk: Record<string, string> };
  const claims = decodeJwt(live);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sid: claims.sid, tenant: claims.tenant })
    .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'JWT' })
    .setSubject(String(claims.sub))
    .setIssuer(String(claims.iss))
    .setAudience(claims.aud as string)
    .setIssuedAt(now - 7200)
    .setExpirationTime(now - 3600)
    .sign(createPrivateKey({ key: jwk, format: 'jwk' }));
}
