import type { AuditService } from '../audit/audit.service';
import { DEFAULT_TENANT } from '../auth/seed';
import type { Identity } from '../auth/identity';
import type { Clock } from '../lib/clock';
import type { Mailer } from '../mail/mailer';
import type { SettingsService } from '../settings/settings.service';
import type { Store } from '../store/db';
import { AuditQueryRepository } from './audit-query.repository';
import { AuditQueryService } from './audit-query.service';
import { GroupRepository } from './group.repository';
import { GroupService } from './group.service';
import { RoleRepository } from './role.repository';
import { RoleService } from './role.service';
import { TenantRepository } from './tenant.repository';
import { TenantService } from './tenant.service';
import type { TenantUsageProvider } from './tenant-usage';
import { UserAdminRepository } from './user-admin.repository';
import { UserAdminService } from './user-admin.service';
import { UserInviteService } from './user-invite.service';

/** The administration services: users, groups, invites, roles, tenants and audit reading. */
export interface Admin {
  users: UserAdminService;
  groups: GroupService;
  invites: UserInviteService;
  roles: RoleService;
  tenants: TenantService;
  audit: AuditQueryService;
}

/** Builds the administration services. `usage` is read at each call so the compute module can plug its provider in later. */
export function createAdmin(d: {
  store: Store;
  clock: Clock;
  settings: SettingsService;
  mailer: Mailer;
  audit: AuditService;
  identity: Identity;
  usage: () => TenantUsageProvider;
}): Admin {
  const roles = new RoleRepository(d.store);
  const tenants = new TenantRepository(d.store);
  const permanent = async () => {
    const row = await tenants.byName(DEFAULT_TENANT);
    return new Set(row ? [row.id] : []);
  };
  const users = new UserAdminRepository(d.store);
  const groups = new GroupRepository(d.store);
  return {
    users: new UserAdminService({
      repo: users, groups, roles, tenants, accounts: d.identity.create, sessions: d.identity.sessions, settings: d.settings, clock: d.clock,
    }),
    groups: new GroupService({ repo: groups, users, roles, tenants, clock: d.clock }),
    invites: new UserInviteService({
      roles, tenants, accounts: d.identity.accounts, oneTime: d.identity.oneTime, settings: d.settings, send: (mail) => d.mailer.send(mail),
    }),
    roles: new RoleService(roles, d.clock),
    tenants: new TenantService(tenants, d.usage, d.clock, permanent),
    audit: new AuditQueryService(new AuditQueryRepository(d.store), d.audit),
  };
}
