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

/** How many verified access tokens are remembered (about 1 KB each), so a client's token is checked by signature once, not on every request. */
export const VERIFIED_TOKEN_CACHE_SIZE = 10_000;

// A token already verified: its claims, when it expires (seconds) and the key that signed it.
interface Verified {
  claims: Readonly<AccessClaims>;
  exp: number;
  kid: string;
}

/**
 * Issues and verifies short-lived EdDSA access JWTs. Time comes from the Clock so tests can expire tokens.
 * Verified tokens are remembered by their exact text until they expire (least recently used evicted beyond the cache size):
 * only a byte-identical copy of a token whose signature was checked can hit, and expiry and the signing key are checked again
 * on every hit. Whether the session and account are still alive is not cached here: the authenticator asks the database each time.
 */
export class AccessTokens {
  private readonly verified = new Map<string, Verified>();

  constructor(
    private readonly keys: SigningKeys,
    private readonly clock: Clock,
    private readonly cacheSize = VERIFIED_TOKEN_CACHE_SIZE,
  ) {}

  /** How many verified tokens are remembered (for tests and metrics). */
  get cachedTokens(): number {
    return this.verified.size;
  }

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

  /** Verifies signature (EdDSA only, known kid only), issuer, audience and expiry. Expired → TOKEN_EXPIRED, anything else → UNAUTHENTICATED. The claims are frozen. */
  async verify(token: string): Promise<AccessClaims> {
    const hit = this.verified.get(token);
    if (hit) {
      this.verified.delete(token);
      // Same rule as jose (expired when exp <= now, no leeway); a key no longer known stops its tokens at once.
      if (hit.exp <= Math.floor(this.clock.now().getTime() / 1000)) throw new ApiError('TOKEN_EXPIRED', 'access token expired; refresh it');
      if (!this.keys.publicKey(hit.kid)) throw new ApiError('UNAUTHENTICATED', 'access token signed by an unknown key');
      this.verified.set(token, hit); // most recently used goes last
      return hit.claims;
    }
    const verified = await this.verifySignature(token);
    this.verified.set(token, verified);
    if (this.verified.size > this.cacheSize) this.verified.delete(this.verified.keys().next().value as string);
    return verified.claims;
  }

  // The full check through jose: signature, alg, kid, issuer, audience, expiry and the claims we need.
  private async verifySignature(token: string): Promise<Verified> {
    try {
      const { payload, protectedHeader } = await jwtVerify(
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
      return {
        claims: Object.freeze({ sub: payload.sub, sid: payload.sid, tenant: payload.tenant }),
        exp: payload.exp as number, // requiredClaims made jose check it is a number
        kid: protectedHeader.kid as string, // the key resolver refused tokens without a known kid
      };
    } catch (err) {
      if (err instanceof errors.JWTExpired) throw new ApiError('TOKEN_EXPIRED', 'access token expired; refresh it');
      if (err instanceof ApiError) throw err;
      throw new ApiError('UNAUTHENTICATED', 'access token is not valid');
    }
  }
}
