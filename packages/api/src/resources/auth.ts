import { z } from 'zod';
import { Id, IdParams, Page, PageQuery, Timestamp } from '../common';
import { permissions } from '../permissions';
import { defineRoute } from '../route';
import { Email, PersonName, User } from './user-schema';

/** A password as sent; strength is checked by the server against settings.passwordPolicy (WEAK_PASSWORD). */
export const Password = z.string().min(1).max(1024);

/** A single-use token from an email link, an invite or the setup banner. */
export const OneTimeToken = z.string().min(16).max(200);

/** What anyone may know before signing in: drives the login, register and setup screens. */
export const AuthConfig = z.object({
  /** No user exists yet: the first admin is created with the setup token printed at start. */
  setupRequired: z.boolean(),
  registration: z.enum(['open', 'invite', 'closed']),
  version: z.string(),
  require2fa: z.boolean(),
  requireEmailVerification: z.boolean(),
});

/** Permissions of the caller: held on every tenant, and per tenant id. */
export const EffectivePermissions = z.object({
  global: z.array(z.enum(permissions)),
  tenants: z.record(z.string(), z.array(z.enum(permissions))),
});

/** The signed-in user with what they may do. */
export const Me = User.extend({
  /** settings.require2fa is on and this user has not enrolled: only /api/v1/auth/* routes answer until they do. */
  mustEnroll2fa: z.boolean(),
  permissions: EffectivePermissions,
  /** `token` when the caller authenticated with an API token. */
  via: z.enum(['session', 'token']),
});
/** The signed-in user with permissions. */
export type Me = z.infer<typeof Me>;

/** A new token pair. The refresh token is also set as the httpOnly cookie `novacron_refresh` (path /api/v1/auth). */
export const LoginResult = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  /** Lifetime of the access token in seconds. */
  expiresIn: z.number().int(),
  user: Me,
});
/** A new token pair and the user. */
export type LoginResult = z.infer<typeof LoginResult>;

/** One signed-in session (one refresh-token family). */
export const Session = z.object({
  id: Id,
  createdAt: Timestamp,
  lastUsedAt: Timestamp,
  expiresAt: Timestamp,
  userAgent: z.string(),
  ip: z.string(),
  /** The session the caller is using. */
  current: z.boolean(),
});

/** Body of refresh and logout: the token, unless the browser sends the cookie. */
export const RefreshBody = z.strictObject({ refreshToken: z.string().min(1).max(200).optional() }).default({});

/** Authentication and the caller's own account. */
export const authRoutes = {
  'auth.config': defineRoute({
    method: 'GET', path: '/api/v1/auth/config', access: 'public', tag: 'auth',
    summary: 'What the sign-in screens need: setup required, registration mode, 2FA policy, version',
    response: AuthConfig,
  }),
  'auth.setup': defineRoute({
    method: 'POST', path: '/api/v1/auth/setup', access: 'public', tag: 'auth', status: 201,
    summary: 'Creates the first admin with the setup token printed at first start (ALREADY_SET_UP once any user exists)',
    body: z.strictObject({ setupToken: OneTimeToken, email: Email, password: Password, name: PersonName }),
    response: LoginResult,
  }),
  'auth.register': defineRoute({
    method: 'POST', path: '/api/v1/auth/register', access: 'public', tag: 'auth', status: 201,
    summary: 'Creates an account: open registration, or with an invite token in invite mode (REGISTRATION_CLOSED otherwise)',
    body: z.strictObject({ email: Email, password: Password, name: PersonName, inviteToken: OneTimeToken.optional() }),
    response: User,
  }),
  'auth.login': defineRoute({
    method: 'POST', path: '/api/v1/auth/login', access: 'public', tag: 'auth',
    summary: 'Signs in; TOTP_REQUIRED when the account has 2FA and neither totp nor recoveryCode is sent',
    body: z.strictObject({
      email: Email, password: Password,
      totp: z.string().regex(/^\d{6}$/, 'six digits').optional(),
      recoveryCode: z.string().min(1).max(64).optional(),
    }),
    response: LoginResult,
  }),
  'auth.refresh': defineRoute({
    method: 'POST', path: '/api/v1/auth/refresh', access: 'public', tag: 'auth',
    summary: 'Rotates the refresh token (body or cookie) for a new pair; a reused token revokes its session (REFRESH_TOKEN_REUSED)',
    body: RefreshBody, response: LoginResult,
  }),
  'auth.logout': defineRoute({
    method: 'POST', path: '/api/v1/auth/logout', access: 'public', tag: 'auth', status: 204,
    summary: 'Ends the current session (bearer token, refresh token in the body, or the cookie) and clears the cookie',
    body: RefreshBody, response: z.void(),
  }),
  'auth.me': defineRoute({
    method: 'GET', path: '/api/v1/auth/me', access: 'authenticated', tag: 'auth',
    summary: 'The caller with effective permissions', response: Me,
  }),
  'auth.updateMe': defineRoute({
    method: 'PATCH', path: '/api/v1/auth/me', access: 'authenticated', tag: 'auth',
    summary: 'Changes the caller\'s own name', body: z.strictObject({ name: PersonName }), response: Me,
  }),
  'auth.changePassword': defineRoute({
    method: 'POST', path: '/api/v1/auth/password', access: 'authenticated', tag: 'auth', status: 204,
    summary: 'Changes the password (current one required); every other session is revoked',
    body: z.strictObject({ currentPassword: Password, newPassword: Password }), response: z.void(),
  }),
  'auth.forgotPassword': defineRoute({
    method: 'POST', path: '/api/v1/auth/password/forgot', access: 'public', tag: 'auth', status: 202,
    summary: 'Emails a reset link (valid 30 minutes) if the account exists; always 202',
    body: z.strictObject({ email: Email }), response: z.object({}),
  }),
  'auth.resetPassword': defineRoute({
    method: 'POST', path: '/api/v1/auth/password/reset', access: 'public', tag: 'auth', status: 204,
    summary: 'Sets a new password with the emailed token (single use); every session is revoked',
    body: z.strictObject({ token: OneTimeToken, password: Password }), response: z.void(),
  }),
  'auth.verifyEmail': defineRoute({
    method: 'POST', path: '/api/v1/auth/email/verify', access: 'public', tag: 'auth', status: 204,
    summary: 'Marks the email verified with the emailed token', body: z.strictObject({ token: OneTimeToken }), response: z.void(),
  }),
  'auth.resendVerification': defineRoute({
    method: 'POST', path: '/api/v1/auth/email/resend', access: 'authenticated', tag: 'auth', status: 202,
    summary: 'Emails a new verification link to the caller (nothing when already verified)', response: z.object({}),
  }),
  'auth.sessions': defineRoute({
    method: 'GET', path: '/api/v1/auth/sessions', access: 'authenticated', tag: 'auth',
    summary: 'The caller\'s active sessions, newest first', query: PageQuery, response: Page(Session),
  }),
  'auth.revokeSession': defineRoute({
    method: 'DELETE', path: '/api/v1/auth/sessions/{id}', access: 'authenticated', tag: 'auth', status: 204,
    summary: 'Signs one of the caller\'s sessions out', params: IdParams, response: z.void(),
  }),
  'auth.revokeAllSessions': defineRoute({
    method: 'DELETE', path: '/api/v1/auth/sessions', access: 'authenticated', tag: 'auth',
    summary: 'Signs out every session of the caller except the current one',
    response: z.object({ revoked: z.number().int() }),
  }),
  'auth.totpEnroll': defineRoute({
    method: 'POST', path: '/api/v1/auth/totp/enroll', access: 'authenticated', tag: 'auth',
    summary: 'Starts 2FA enrolment: a new secret to scan (not active until confirmed)',
    response: z.object({ secret: z.string(), otpauthUri: z.string() }),
  }),
  'auth.totpConfirm': defineRoute({
    method: 'POST', path: '/api/v1/auth/totp/confirm', access: 'authenticated', tag: 'auth',
    summary: 'Activates 2FA with a current code; answers 10 single-use recovery codes, shown once',
    body: z.strictObject({ code: z.string().regex(/^\d{6}$/, 'six digits') }),
    response: z.object({ recoveryCodes: z.array(z.string()).length(10) }),
  }),
  'auth.totpDisable': defineRoute({
    method: 'DELETE', path: '/api/v1/auth/totp', access: 'authenticated', tag: 'auth', status: 204,
    summary: 'Turns 2FA off (password required; refused while settings.require2fa is on)',
    body: z.strictObject({ password: Password }), response: z.void(),
  }),
};
