import { ApiError, type InviteResult, type UserInvite } from '@novacron/api';
import type { z } from 'zod';
import type { AccountRepository } from '../auth/account.repository';
import type { OneTimeTokens } from '../auth/one-time-tokens';
import type { Principal } from '../auth/principal';
import type { Mail } from '../mail/mailer';
import type { SettingsService } from '../settings/settings.service';
import type { RoleRepository } from './role.repository';
import type { TenantRepository } from './tenant.repository';
import { assertAdministeredTenant, resolveBindings } from './user-access';

/** What inviting needs. */
export interface UserInviteDeps {
  roles: RoleRepository;
  tenants: TenantRepository;
  accounts: AccountRepository;
  oneTime: OneTimeTokens;
  settings: SettingsService;
  send: (mail: Mail) => Promise<void>;
}

/** Invites: a single-use `invite` token bound to an email, a tenant and a role, mailed as `${publicUrl}/register?invite=...`. */
export class UserInviteService {
  constructor(private readonly d: UserInviteDeps) {}

  /** Issues and mails an invite; the link is answered too, so an administrator can pass it on when mail fails. */
  async invite(actor: Principal, body: z.output<typeof UserInvite>): Promise<InviteResult> {
    await assertAdministeredTenant(actor, body.tenantId, this.d.tenants);
    const [binding] = await resolveBindings(actor, [{ role: body.role, tenantId: body.tenantId }], this.d.roles, this.d.tenants, '');
    if (await this.d.accounts.userByEmail(body.email)) throw new ApiError('ALREADY_EXISTS', 'an account with this email exists');
    const { token, row } = await this.d.oneTime.issue('invite', { email: body.email, tenantId: body.tenantId, roleId: binding.roleId });
    const settings = await this.d.settings.get();
    const inviteUrl = `${settings.publicUrl.replace(/\/$/, '')}/register?invite=${encodeURIComponent(token)}`;
    let emailError: string | null = null;
    try {
      await this.d.send({
        to: body.email,
        subject: 'You are invited to NovaCron',
        text: `${actor.email} invited you to NovaCron.\n\nCreate your account here (the link works once and expires ${row.expires_at}):\n${inviteUrl}\n`,
      });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      emailError = err.message;
    }
    return {
      email: row.email ?? body.email.toLowerCase(), tenantId: body.tenantId, role: binding.roleName, inviteUrl,
      expiresAt: row.expires_at, emailSent: emailError === null, emailError,
    };
  }
}
