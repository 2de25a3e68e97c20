import type { ComputeTables } from './compute-schema';

/** Table types for Kysely. Timestamps are ISO-8601 text, booleans 0/1 integers and JSON text, on both SQLite and PostgreSQL. */
export interface Database extends ComputeTables {
  tenants: TenantRow;
  users: UserRow;
  roles: RoleRow;
  role_bindings: RoleBindingRow;
  groups: GroupRow;
  group_members: GroupMemberRow;
  group_role_bindings: GroupRoleBindingRow;
  sessions: SessionRow;
  refresh_tokens: RefreshTokenRow;
  api_tokens: ApiTokenRow;
  one_time_tokens: OneTimeTokenRow;
  settings: SettingRow;
  audit_log: AuditRow;
  operations: OperationRow;
}

/** A tenant: owns resources, carries quotas (null = unlimited). */
export interface TenantRow {
  id: string;
  name: string;
  description: string;
  quota_vms: number | null;
  quota_vcpus: number | null;
  quota_memory_mib: number | null;
  quota_disk_gib: number | null;
  created_at: string;
  updated_at: string;
}

/** A user account. */
export interface UserRow {
  id: string;
  tenant_id: string;
  email: string;
  name: string;
  password_hash: string | null;
  disabled: number;
  email_verified: number;
  totp_secret: string | null;
  totp_enabled: number;
  recovery_codes: string;
  /** Last accepted TOTP step (002). */
  totp_last_step: number | null;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
}

/** A role: a named bundle of permissions (JSON array). */
export interface RoleRow {
  id: string;
  name: string;
  description: string;
  permissions: string;
  builtin: number;
  created_at: string;
  updated_at: string;
}

/** Gives a user a role globally (tenant_id null) or on one tenant. */
export interface RoleBindingRow {
  id: string;
  user_id: string;
  role_id: string;
  tenant_id: string | null;
  created_at: string;
}

/** A group of users (005): a tenant's (tenant_id) or global (null). */
export interface GroupRow {
  id: string;
  tenant_id: string | null;
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
}

/** A user's membership of a group (005). */
export interface GroupMemberRow {
  group_id: string;
  user_id: string;
  created_at: string;
}

/** Gives a group's members a role globally (tenant_id null) or on one tenant (005). */
export interface GroupRoleBindingRow {
  id: string;
  group_id: string;
  role_id: string;
  tenant_id: string | null;
  created_at: string;
}

/** A login session: one refresh-token family. */
export interface SessionRow {
  id: string;
  user_id: string;
  created_at: string;
  last_used_at: string;
  expires_at: string;
  revoked_at: string | null;
  revoked_reason: string | null;
  user_agent: string;
  ip: string;
}

/** One refresh token of a session; used tokens are kept to detect reuse. */
export interface RefreshTokenRow {
  id: string;
  session_id: string;
  token_hash: string;
  created_at: string;
  used_at: string | null;
}

/** An API token for automation: its permissions are a subset of the creator's. */
export interface ApiTokenRow {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  role_id: string;
  tenant_id: string | null;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
  created_at: string;
  /** First characters of the secret, for recognition (002). */
  prefix: string;
}

/** Single-use tokens: password reset, email verification, invites, first-run setup. */
export interface OneTimeTokenRow {
  id: string;
  kind: string;
  token_hash: string;
  user_id: string | null;
  email: string | null;
  tenant_id: string | null;
  role_id: string | null;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

/** One setting: key and JSON value. */
export interface SettingRow {
  key: string;
  value: string;
  updated_at: string;
}

/** One hash-chained audit entry. */
export interface AuditRow {
  seq: number;
  id: string;
  time: string;
  actor_id: string | null;
  actor_label: string;
  tenant_id: string | null;
  action: string;
  target: string | null;
  outcome: string;
  ip: string | null;
  request_id: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

/** A persisted async operation. */
export interface OperationRow {
  id: string;
  kind: string;
  status: string;
  progress: number;
  may_cancel: number;
  tenant_id: string | null;
  resources: string;
  result: string | null;
  error_code: string | null;
  error_message: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}
