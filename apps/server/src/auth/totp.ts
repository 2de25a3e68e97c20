import { createHmac, randomBytes } from 'node:crypto';
import { safeEqual } from '../lib/hash';

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** Seconds per TOTP step (RFC 6238 default; what authenticator apps assume). */
export const TOTP_STEP_SECONDS = 30;

/** RFC 4648 base32 without padding. */
export function base32Encode(buf: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of buf) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

/** Decodes base32 (case-insensitive, spaces and padding ignored); throws on other characters. */
export function base32Decode(text: string): Buffer {
  const clean = text.toUpperCase().replace(/[\s=]/g, '');
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const idx = B32.indexOf(ch);
    if (idx < 0) throw new Error('not base32');
    value = (value << 5) | idx;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** A new 160-bit secret, base32 (the size RFC 4226 recommends for SHA-1). */
export function generateTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

/** The HOTP value (RFC 4226) of a counter: dynamic truncation of HMAC-SHA1. */
export function hotp(secret: Buffer, counter: number, digits = 6): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', secret).update(msg).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return String(bin % 10 ** digits).padStart(digits, '0');
}

/** The TOTP step number of a moment. */
export function totpStep(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_STEP_SECONDS);
}

/** The code of a base32 secret at a moment. */
export function totpCode(secretB32: string, now: Date, digits = 6): string {
  return hotp(base32Decode(secretB32), totpStep(now), digits);
}

/** Checks a code within ±1 step of now; answers the matching step, or null. Steps at or before `lastUsedStep` are refused (no replay). */
export function verifyTotp(secretB32: string, code: string, now: Date, lastUsedStep: number | null = null): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const secret = base32Decode(secretB32);
  const current = totpStep(now);
  let matched: number | null = null;
  // Every candidate is computed and compared so timing does not reveal which window matched.
  for (const step of [current - 1, current, current + 1]) {
    if (safeEqual(hotp(secret, step), code) && (lastUsedStep === null || step > lastUsedStep)) matched ??= step;
  }
  return matched;
}

/** The otpauth:// URI authenticator apps scan. */
export function otpauthUri(secretB32: string, account: string, issuer = 'NovaCron'): string {
  const label = encodeURIComponent(`${issuer}:${account}`);
  const params = new URLSearchParams({ secret: secretB32, issuer, algorithm: 'SHA1', digits: '6', period: String(TOTP_STEP_SECONDS) });
  return `otpauth://totp/${label}?${params}`;
}

/** Ten recovery codes like `k3vq8-2mfx7` (50 random bits each); the caller stores only their hashes. */
export function generateRecoveryCodes(count = 10): string[] {
  // 32 symbols without i, l, o, u: no look-alikes when typed from paper.
  const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
  return Array.from({ length: count }, () => {
    const bytes = randomBytes(10);
    const chars = [...bytes].map((b) => alphabet[b & 31]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5, 10)}`;
  });
}

/** Normalises a typed recovery code (case, spaces) before hashing. */
export function normalizeRecoveryCode(code: string): string {
  return code.trim().toLowerCase().replace(/\s+/g, '');
}
