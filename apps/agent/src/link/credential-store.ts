import { chmod, mkdir, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isErrno, writeFileAtomic } from '../lib/fs-util';

/** The node credential the control plane issued in `welcome`, kept in one file with mode 0600. */
export class CredentialStore {
  private cached: string | undefined;

  constructor(readonly path: string) {}

  /** The stored credential, or undefined before the first successful join. */
  async load(): Promise<string | undefined> {
    try {
      const st = await stat(this.path);
      if ((st.mode & 0o077) !== 0) await chmod(this.path, 0o600); // tighten a copy made with a lax umask
      this.cached = (await readFile(this.path, 'utf8')).trim() || undefined;
    } catch (error) {
      if (!isErrno(error, 'ENOENT')) throw error;
      this.cached = undefined;
    }
    return this.cached;
  }

  /** The credential last loaded or saved (sync, for upload fetches). */
  current(): string | undefined {
    return this.cached;
  }

  /** Stores a new credential atomically with mode 0600. */
  async save(credential: string): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.path, `${credential}\n`, 0o600);
    this.cached = credential;
  }
}
