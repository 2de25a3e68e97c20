import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Encrypts small secrets at rest (TOTP seeds) with AES-256-GCM under a key kept in the data directory, so a database dump alone does not reveal them. */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  /** Loads `dir/secret-box.key`, creating it (0600) on first start. */
  static load(dir: string): SecretBox {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, 'secret-box.key');
    if (!existsSync(path)) {
      try {
        writeFileSync(path, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
      } catch (err) {
        // Another process created it between the check and the write: use theirs.
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
    const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${path}: expected a 256-bit key`);
    return new SecretBox(key);
  }

  /** `v1.<iv>.<ciphertext>.<tag>` in base64url. */
  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv, ct, cipher.getAuthTag()].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  /** Decrypts what `seal` produced; throws when the text was altered or sealed under another key. */
  open(sealed: string): string {
    const [v, iv, ct, tag] = sealed.split('.');
    if (v !== 'v1' || !iv || !ct || !tag) throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }
}
