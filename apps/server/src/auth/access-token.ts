import { randomUUID } from 'node:crypto';
import { ApiError } from '@novacron/api';
import { errors, jwtVerify, SignJWT } from 'jose';
import type { Clock } from '../lib/clock';
import type { SigningKeys } from './signing-keys';

/** What an access token says: the user, their session and home tenant. */
export interface AccessClaims {
  sub: string;
  sid: string;
  tenant: string;
}

const ISSUER = 'novacron';
const AUDIENCE = 'novacron-api';

/** Issues and verifies short-lived EdDSA access JWTs. Time comes from the Clock so tests can expire tokens. */
export class AccessTokens {
  constructor(
    private readonly keys: SigningKeys,
    private readonly clock: Clock,
  ) {}

  /** Signs an access token valid for `ttlSeconds`. */
  async issue(claims: AccessClaims, ttlSeconds: number): Promise<string> {
    const key = this.keys.current();
    const now = Math.floor(this.clock.now().getTime() / 1000);
    return new SignJWT({ sid: claims.sid, tenant: claims.tenant })
      .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'JWT' })
      .setSubject(claims.sub)
      // A unique id per token: two tokens issued in the same second still differ (logs, revocation lists).
      .setJti(randomUUID())
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + ttlSeconds)
      .sign(key.privateKey);
  }

  /** Verifies signature (EdDSA only, known kid only), issuer, audience and expiry. Expired → TOKEN_EXPIRED, anything else → UNAUTHENTICATED. */
  async verify(token: string): Promise<AccessClaims> {
    try {
      const { payload } = await jwtVerify(
        token,
        (header) => {
          // Pinning the algorithm here and in `algorithms` refuses `none`, HS256-with-public-key and other confusions.
          if (header.alg !== 'EdDSA') throw new ApiError('UNAUTHENTICATED', 'access token algorithm not accepted');
          const key = this.keys.publicKey(header.kid);
          if (!key) throw new ApiError('UNAUTHENTICATED', 'access token signed by an unknown key');
          return key;
        },
        { algorithms: ['EdDSA'], issuer: ISSUER, audience: AUDIENCE, currentDate: this.clock.now(), requiredClaims: ['sub', 'exp', 'iat'] },
      );
      if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string' || typeof payload.tenant !== 'string') {
        throw new ApiError('UNAUTHENTICATED', 'access token lacks claims');
      }
      return { sub: payload.sub, sid: payload.sid, tenant: payload.tenant };
    } catch (err) {
      if (err instanceof errors.JWTExpired) throw new ApiError('TOKEN_EXPIRED', 'access token expired; refresh it');
      if (err instanceof ApiError) throw err;
      throw new ApiError('UNAUTHENTICATED', 'access token is not valid');
    }
  }
}
