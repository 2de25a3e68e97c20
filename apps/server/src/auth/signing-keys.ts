import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../lib/clock';

/** One Ed25519 signing key. */
export interface SigningKey {
  kid: string;
  createdAt: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

// On-disk form: the private key as a JWK plus metadata, one file per key, so a new key can be added without losing old ones.
interface KeyFile {
  kid: string;
  createdAt: string;
  jwk: Record<string, string>;
}

/** The access-token signing keys in `dataDir/keys`: generated on first start, the newest signs, any known `kid` verifies. */
export class SigningKeys {
  private constructor(private readonly keys: SigningKey[]) {}

  /** Loads every `*.jwk.json` in `dir`, creating the directory (0700) and a first key (0600) when there is none. */
  static load(dir: string, clock: Clock): SigningKeys {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    const keys = readdirSync(dir)
      .filter((f) => f.endsWith('.jwk.json'))
      .map((f) => SigningKeys.read(join(dir, f)));
    if (keys.length === 0) keys.push(SigningKeys.generate(dir, clock));
    keys.sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
    return new SigningKeys(keys);
  }

  /** Adds a new key that signs from now on; older keys keep verifying tokens they signed. */
  static generate(dir: string, clock: Clock): SigningKey {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const kid = `${clock.now().toISOString().slice(0, 10)}-${randomBytes(6).toString('hex')}`;
    const file: KeyFile = { kid, createdAt: clock.now().toISOString(), jwk: privateKey.export({ format: 'jwk' }) as Record<string, string> };
    const path = join(dir, `${kid}.jwk.json`);
    // 'wx' refuses to overwrite; mode applies at creation so the secret is never world-readable, even briefly.
    writeFileSync(path, JSON.stringify(file), { mode: 0o600, flag: 'wx' });
    return { kid, createdAt: file.createdAt, privateKey, publicKey };
  }

  private static read(path: string): SigningKey {
    if (!existsSync(path)) throw new Error(`signing key ${path} vanished`);
    const file = JSON.parse(readFileSync(path, 'utf8')) as KeyFile;
    const privateKey = createPrivateKey({ key: file.jwk, format: 'jwk' });
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`signing key ${path} is not Ed25519`);
    return { kid: file.kid, createdAt: file.createdAt, privateKey, publicKey: createPublicKey(privateKey) };
  }

  /** The key new tokens are signed with. */
  current(): SigningKey {
    return this.keys[this.keys.length - 1];
  }

  /** The public key of `kid`, if it is one of ours. */
  publicKey(kid: string | undefined): KeyObject | undefined {
    return this.keys.find((k) => k.kid === kid)?.publicKey;
  }
}
