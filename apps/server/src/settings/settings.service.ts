import { PasswordPolicy, SmtpSettings, type Settings } from '@novacron/api';
import type { z } from 'zod';
import type { SettingsPatch } from '@novacron/api';
import type { Clock } from '../lib/clock';
import type { Store } from '../store/db';

type Stored = Omit<Settings, 'smtp'> & { smtp: z.infer<typeof SmtpSettings> & { password: string } };

/** SMTP settings including the secret: for the mailer only, never for answers. */
export type SmtpConfig = Stored['smtp'];

function defaults(publicUrl: string): Stored {
  return {
    registration: 'invite',
    passwordPolicy: PasswordPolicy.parse({}),
    accessTokenTtlSeconds: 900,
    refreshTokenTtlSeconds: 30 * 86_400,
    require2fa: false,
    requireEmailVerification: false,
    publicUrl,
    metricsPublic: false,
    smtp: { ...SmtpSettings.parse({}), password: '' },
  };
}

const KEY = 'system';

/** System settings: one JSON document, defaults merged in, secrets kept out of answers. */
export class SettingsService {
  private cache: Stored | null = null;
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly publicUrl: string,
  ) {}

  private async load(): Promise<Stored> {
    if (this.cache) return this.cache;
    const row = await this.store.db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
    const base = defaults(this.publicUrl);
    const saved = row ? (JSON.parse(row.value) as Partial<Stored>) : {};
    this.cache = {
      ...base,
      ...saved,
      passwordPolicy: { ...base.passwordPolicy, ...saved.passwordPolicy },
      smtp: { ...base.smtp, ...saved.smtp },
    };
    return this.cache;
  }

  /** Settings as the API shows them. */
  async get(): Promise<Settings> {
    const { smtp, ...rest } = await this.load();
    const { password, ...visible } = smtp;
    return { ...rest, smtp: { ...visible, passwordSet: password.length > 0 } };
  }

  /** Settings including secrets, for internal use. */
  async internal(): Promise<Stored> {
    return this.load();
  }

  /** Applies a validated partial update. */
  async update(patch: z.infer<typeof SettingsPatch>): Promise<Settings> {
    const current = await this.load();
    const next: Stored = {
      ...current,
      ...patch,
      passwordPolicy: { ...current.passwordPolicy, ...patch.passwordPolicy },
      smtp: { ...current.smtp, ...patch.smtp },
    } as Stored;
    const value = JSON.stringify(next);
    const now = this.clock.now().toISOString();
    const exists = await this.store.db.selectFrom('settings').select('key').where('key', '=', KEY).executeTakeFirst();
    if (exists) await this.store.db.updateTable('settings').set({ value, updated_at: now }).where('key', '=', KEY).execute();
    else await this.store.db.insertInto('settings').values({ key: KEY, value, updated_at: now }).execute();
    this.cache = next;
    return this.get();
  }
}
