import type { Config } from '../config';
import type { Clock } from '../lib/clock';
import type { SettingsService } from '../settings/settings.service';
import type { Identity } from './identity';
import { assertStrongPassword, hashPassword } from './passwords';
import { seed } from './seed';

/** What the first start did. */
export interface BootstrapResult {
  /** Email of the admin created from NOVACRON_ADMIN_EMAIL/PASSWORD. */
  adminCreated?: string;
  /** A new setup token (only when no user exists and no env admin was given): print it once. */
  setupToken?: string;
  setupExpiresAt?: string;
}

/** Runs after migrations: seeds roles and the default tenant, then makes sure someone can become admin — the env admin, or a setup token. */
export async function bootstrap(deps: { config: Config; identity: Identity; settings: SettingsService; clock: Clock }): Promise<BootstrapResult> {
  const { config, identity } = deps;
  const { defaultTenantId } = await seed(identity.accounts, deps.clock);
  if ((await identity.accounts.countUsers()) > 0) return {};
  if (config.adminEmail && config.adminPassword) {
    const { passwordPolicy } = await deps.settings.internal();
    try {
      assertStrongPassword(config.adminPassword, passwordPolicy, 'NOVACRON_ADMIN_PASSWORD', { email: config.adminEmail });
    } catch (err) {
      throw new Error(`NOVACRON_ADMIN_PASSWORD: ${(err as Error).message}`);
    }
    const admin = await identity.accounts.roleByNameOrId('admin');
    if (!admin) throw new Error('built-in role admin missing after seeding');
    const user = await identity.create.create({
      email: config.adminEmail, name: 'Administrator', passwordHash: await hashPassword(config.adminPassword),
      tenantId: defaultTenantId, emailVerified: true, bindings: [{ roleId: admin.id, tenantId: null }],
    });
    return { adminCreated: user.email };
  }
  // Only the hash is stored, so a restart cannot reprint an old token: void it and issue a new one.
  await identity.oneTime.invalidate('setup');
  const { token, row } = await identity.oneTime.issue('setup');
  return { setupToken: token, setupExpiresAt: row.expires_at };
}

/** The text printed to stdout once with a new setup token. */
export function setupBanner(token: string, publicUrl: string, expiresAt: string): string {
  return [
    '',
    '  NovaCron has no users yet. Create the first administrator with this one-time setup token',
    `  (valid until ${expiresAt}; a restart issues a new one):`,
    '',
    `    ${token}`,
    '',
    `  Open ${publicUrl}/setup, or POST it to ${publicUrl}/api/v1/auth/setup.`,
    '',
  ].join('\n');
}
