import { z } from 'zod';
import { Id, IdParams, Page, PageQuery, Timestamp } from '../common';
import { defineRoute } from '../route';
import { Email, PersonName, User } from './user-schema';

/** A role given to a user on one tenant, or on every tenant (`tenantId: null`). */
export const RoleBinding = z.object({
  /** Role name. */
  role: z.string(),
  tenantId: Id.nullable(),
});
/** A role binding. */
export type RoleBinding = z.infer<typeof RoleBinding>;

/** A role binding as sent: `role` is a role name or id. */
export const RoleBindingInput = z.strictObject({ role: z.string().min(1).max(64), tenantId: Id.nullable() });

/** Role bindings as sent to `PUT /api/v1/users/{id}/roles`: the complete new set. */
export const RoleBindingsInput = z.array(RoleBindingInput).max(100);

/** A user as administrators see it: the account and its role bindings. */
export const AdminUser = User.extend({ roles: z.array(RoleBinding) });
/** A user with role bindings. */
export type AdminUser = z.infer<typeof AdminUser>;

const Flag = z.enum(['true', 'false']).transform((v) => v === 'true');

/** Filters of the user list. */
export const UserListQuery = PageQuery.extend({
  /** Home tenant id. */
  tenant: Id.optional(),
  /** Case-insensitive substring of email or name. */
  text: z.string().min(1).max(200).optional(),
  disabled: Flag.optional(),
});

/** Body of `POST /api/v1/users`: an account created by an administrator; without a password the user sets one via "forgot password". */
export const UserCreate = z.strictObject({
  email: Email,
  name: PersonName,
  tenantId: Id,
  password: z.string().min(1).max(1024).optional(),
  roles: RoleBindingsInput.default([]),
});

/** Body of `POST /api/v1/users/invite`: emails a registration link that binds `role` on `tenantId`. */
export const UserInvite = z.strictObject({ email: Email, tenantId: Id, role: z.string().min(1).max(64) });

/** What an invite answers: the link is shown to the administrator too, so it works without SMTP. */
export const InviteResult = z.object({
  email: z.string(),
  tenantId: Id,
  role: z.string(),
  inviteUrl: z.string(),
  expiresAt: Timestamp,
  /** Whether the email went out; when false, `emailError` says why and the link must be passed on by hand. */
  emailSent: z.boolean(),
  emailError: z.string().nullable(),
});
/** What an invite answers. */
export type InviteResult = z.infer<typeof InviteResult>;

/** Body of `PATCH /api/v1/users/{id}`. */
export const UserPatch = z.strictObject({
  name: PersonName.optional(),
  disabled: z.boolean().optional(),
  /** Moves the user to another home tenant (user:admin needed on both). */
  tenantId: Id.optional(),
});

/** User administration. Users belong to a home tenant; `user:read`/`user:admin` on that tenant (or globally) reach them. */
export const userRoutes = {
  'users.list': defineRoute({
    method: 'GET', path: '/api/v1/users', access: 'user:read', tenantScoped: true, tag: 'users',
    summary: 'Users of the tenants the caller may see, oldest first', query: UserListQuery, response: Page(AdminUser),
  }),
  'users.get': defineRoute({
    method: 'GET', path: '/api/v1/users/{id}', access: 'user:read', tenantScoped: true, tag: 'users',
    summary: 'One user with role bindings', params: IdParams, response: AdminUser,
  }),
  'users.create': defineRoute({
    method: 'POST', path: '/api/v1/users', access: 'user:admin', tenantScoped: true, status: 201, tag: 'users',
    summary: 'Creates a user with role bindings no wider than the caller holds (else PRIVILEGE_ESCALATION)',
    body: UserCreate, response: AdminUser,
  }),
  'users.invite': defineRoute({
    method: 'POST', path: '/api/v1/users/invite', access: 'user:admin', tenantScoped: true, status: 201, tag: 'users',
    summary: 'Emails a single-use registration link (7 days) binding a role on a tenant; answers the link too',
    body: UserInvite, response: InviteResult,
  }),
  'users.update': defineRoute({
    method: 'PATCH', path: '/api/v1/users/{id}', access: 'user:admin', tenantScoped: true, tag: 'users',
    summary: 'Renames, disables or moves a user; disabling signs every session out', params: IdParams, body: UserPatch, response: AdminUser,
  }),
  'users.delete': defineRoute({
    method: 'DELETE', path: '/api/v1/users/{id}', access: 'user:admin', tenantScoped: true, status: 204, tag: 'users',
    summary: 'Deletes a user with their sessions and API tokens', params: IdParams, response: z.void(),
  }),
  'users.reset2fa': defineRoute({
    method: 'POST', path: '/api/v1/users/{id}/reset-2fa', access: 'user:admin', tenantScoped: true, tag: 'users',
    summary: 'Turns off two-factor authentication of a user who lost their device', params: IdParams, response: AdminUser,
  }),
  'users.getRoles': defineRoute({
    method: 'GET', path: '/api/v1/users/{id}/roles', access: 'user:read', tenantScoped: true, tag: 'users',
    summary: 'Role bindings of a user', params: IdParams, response: z.array(RoleBinding),
  }),
  'users.setRoles': defineRoute({
    method: 'PUT', path: '/api/v1/users/{id}/roles', access: 'user:admin', tenantScoped: true, tag: 'users',
    summary: 'Replaces the role bindings of another user; every added or removed binding must be one the caller could grant',
    params: IdParams, body: RoleBindingsInput, response: z.array(RoleBinding),
  }),
};
