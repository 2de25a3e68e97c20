import { ApiError, type AuthConfig, type LoginResult, type Me, type User } from '@novacron/api';
import type { z } from 'zod';
import type { AuditService } from '../audit/audit.service';
import type { AuditNote } from '../http/request-context';
import type { Clock } from '../lib/clock';
import type { Mailer } from '../mail/mailer';
import type { SettingsService } from '../settings/settings.service';
import type { UserRow } from '../store/schema';
import { VERSION } from '../version';
import { toUser, type AccountRepository } from './account.repository';
import type { Accounts } from './accounts';
import { resetPasswordMail, verifyEmailMail } from './auth-mails';
import type { OneTimeTokens } from './one-time-tokens';
import { assertStrongPassword, hashPassword, verifyPassword } from './passwords';
import type { Principal } from './principal';
import { permissionsView, type PrincipalLoader } from './principal-loader';
import { FailureWindow, type LoginThrottle, RetryLaterError } from './rate-limiter';
import { RefreshReuseError, type ClientMeta, type SessionService } from './session.service';
import type { TwoFactorService } from './two-factor.service';
import { DEFAULT_TENANT } from './seed';

/** Logs what happens after the answer was sent (background mail). */
export type BackgroundLog = (err: unknown, msg: string) => void;

/** Everything the auth service works with. */
export interface AuthDeps {
  accounts: AccountRepository;
  create: Accounts;
  sessions: SessionService;
  principals: PrincipalLoader;
  throttle: LoginThrottle;
  oneTime: OneTimeTokens;
  twoFactor: TwoFactorService;
  settings: SettingsService;
  mailer: Mailer;
  audit: AuditService;
  clock: Clock;
}

/** Sign-in, registration, setup, tokens refresh, and self-service account changes. Handlers stay thin; checks live here. */
export class AuthService {
  // Reset mails per address: a few per hour, silently dropped beyond, so the endpoint cannot be used to flood a mailbox.
  private readonly resetMails: FailureWindow;
  constructor(private readonly d: AuthDeps) {
    this.resetMails = new FailureWindow(d.clock, 3, 3600);
  }

  /** Public sign-in configuration. */
  async config(): Promise<z.infer<typeof AuthConfig>> {
    const s = await this.d.settings.internal();
    return {
      setupRequired: (await this.d.accounts.countUsers()) === 0,
      registration: s.registration,
      version: VERSION,
      require2fa: s.require2fa,
      requireEmailVerification: s.requireEmailVerification,
    };
  }

  /** The caller as `/auth/me` shows them. */
  async me(p: Principal, user?: UserRow): Promise<Me> {
    const row = user ?? (await this.d.accounts.userById(p.userId));
    if (!row) throw new ApiError('UNAUTHENTICATED', 'account no longer exists');
    const { require2fa } = await this.d.settings.internal();
    return {
      ...toUser(row),
      mustEnroll2fa: require2fa && !Number(row.totp_enabled),
      permissions: permissionsView(p),
      via: p.kind === 'token' ? 'token' : 'session',
    };
  }

  private async loginResult(user: UserRow, meta: ClientMeta): Promise<LoginResult> {
    const pair = await this.d.sessions.start(user, meta);
    const principal = await this.d.principals.forUser(user, pair.sessionId);
    return { accessToken: pair.accessToken, refreshToken: pair.refreshToken, expiresIn: pair.expiresIn, user: await this.me(principal, user) };
  }

  /** First-run: the setup token makes the first global admin. ALREADY_SET_UP once any user exists. */
  async setup(input: { setupToken: string; email: string; password: string; name: string }, meta: ClientMeta, note: AuditNote): Promise<LoginResult> {
    note.actorLabel = input.email.toLowerCase();
    if ((await this.d.accounts.countUsers()) > 0) throw new ApiError('ALREADY_SET_UP', 'NovaCron is already set up; sign in instead');
    this.d.throttle.assertAllowed('setup', meta.ip);
    const policy = (await this.d.settings.internal()).passwordPolicy;
    assertStrongPassword(input.password, policy, 'password', { email: input.email });
    try {
      await this.d.oneTime.consume('setup', input.setupToken);
    } catch (err) {
      this.d.throttle.ip.fail(meta.ip);
      throw err;
    }
    const [admin, tenant] = await Promise.all([this.d.accounts.roleByNameOrId('admin'), this.d.accounts.tenantByName(DEFAULT_TENANT)]);
    if (!admin || !tenant) throw new Error('built-in roles or the default tenant are missing: bootstrap did not run');
    const user = await this.d.create.create({
      email: input.email, name: input.name, passwordHash: await hashPassword(input.password), tenantId: tenant.id, emailVerified: true,
      bindings: [{ roleId: admin.id, tenantId: null }],
    });
    Object.assign(note, { actorId: user.id, tenantId: user.tenant_id, target: user.id });
    return this.loginResult(user, meta);
  }

  /** Self-registration: `open` lets anyone in (home tenant `default`, no roles until an admin grants some); `invite` needs an invite token. */
  async register(input: { email: string; password: string; name: string; inviteToken?: string }, meta: ClientMeta, note: AuditNote, log: BackgroundLog): Promise<User> {
    note.actorLabel = input.email.toLowerCase();
    const s = await this.d.settings.internal();
    // An invitation is an administrator's decision, so it is honoured in every mode; without one only `open` lets people in.
    if (s.registration === 'closed' && !input.inviteToken) throw new ApiError('REGISTRATION_CLOSED', 'registration is closed; ask an administrator for an account');
    if (s.registration === 'invite' && !input.inviteToken) throw new ApiError('REGISTRATION_CLOSED', 'registration needs an invitation');
    assertStrongPassword(input.password, s.passwordPolicy, 'password', { email: input.email });
    let tenantId: string;
    let bindings: { roleId: string; tenantId: string | null }[] = [];
    let emailVerified = false;
    if (input.inviteToken) {
      // Checked before use so a mismatched email does not burn the invite.
      const invite = await this.d.oneTime.peek('invite', input.inviteToken);
      if (invite.email && invite.email !== input.email.toLowerCase()) throw new ApiError('INVALID_TOKEN', 'this invitation is for another email address');
      if (!invite.tenant_id) throw new ApiError('INVALID_TOKEN', 'this invitation names no tenant');
      if (await this.d.accounts.userByEmail(input.email)) throw new ApiError('ALREADY_EXISTS', 'an account with this email exists');
      await this.d.oneTime.consume('invite', input.inviteToken);
      tenantId = invite.tenant_id;
      if (invite.role_id) bindings = [{ roleId: invite.role_id, tenantId: invite.tenant_id }];
      // The invite reached this mailbox: that proves the address.
      emailVerified = invite.email !== null;
    } else {
      const tenant = await this.d.accounts.tenantByName(DEFAULT_TENANT);
      if (!tenant) throw new Error('the default tenant is missing: bootstrap did not run');
      tenantId = tenant.id;
    }
    const user = await this.d.create.create({
      email: input.email, name: input.name, passwordHash: await hashPassword(input.password), tenantId, emailVerified, bindings,
    });
    Object.assign(note, { actorId: user.id, tenantId: user.tenant_id, target: user.id, details: { via: input.inviteToken ? 'invite' : 'open' } });
    if (!emailVerified && s.smtp.host) this.background(this.sendVerification(user), log, 'verification email failed');
    return toUser(user);
  }

  /** Password sign-in with throttling, optional second factor, and policy checks; answers a new session. */
  async login(
    input: { email: string; password: string; totp?: string; recoveryCode?: string },
    meta: ClientMeta,
    note: AuditNote,
  ): Promise<LoginResult> {
    const email = input.email.toLowerCase();
    note.actorLabel = email;
    this.d.throttle.assertAllowed(email, meta.ip);
    const user = await this.d.accounts.userByEmail(email);
    // verifyPassword runs a dummy hash for unknown users: same answer, same time.
    const ok = await verifyPassword(user?.password_hash, input.password);
    if (!user || !ok) {
      if (user) Object.assign(note, { actorId: user.id, tenantId: user.tenant_id });
      this.d.throttle.recordFailure(email, meta.ip);
      throw new ApiError('INVALID_CREDENTIALS', 'email or password is wrong');
    }
    Object.assign(note, { actorId: user.id, tenantId: user.tenant_id, target: user.id });
    if (Number(user.disabled)) throw new ApiError('ACCOUNT_DISABLED', 'this account is disabled');
    let second;
    try {
      second = await this.d.twoFactor.check(user, input);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'INVALID_TOTP') this.d.throttle.recordFailure(email, meta.ip);
      throw err;
    }
    const s = await this.d.settings.internal();
    if (s.requireEmailVerification && !Number(user.email_verified)) throw new ApiError('EMAIL_NOT_VERIFIED', 'verify your email address first (see the email we sent)');
    this.d.throttle.recordSuccess(email);
    const now = this.d.clock.now().toISOString();
    await this.d.accounts.updateUser(user.id, { last_login_at: now });
    note.details = { factor: second.factor, ...(second.recoveryCodesLeft !== undefined ? { recoveryCodesLeft: second.recoveryCodesLeft } : {}) };
    return this.loginResult({ ...user, last_login_at: now }, meta);
  }

  /** Rotates a refresh token. Reuse revokes the session and is answered REFRESH_TOKEN_REUSED. */
  async refresh(refreshToken: string | undefined, meta: ClientMeta, note: AuditNote): Promise<LoginResult> {
    if (!refreshToken) throw new ApiError('UNAUTHENTICATED', 'no refresh token (body or cookie)');
    try {
      const pair = await this.d.sessions.refresh(refreshToken, (id) => this.d.accounts.userById(id));
      Object.assign(note, { actorId: pair.user.id, actorLabel: pair.user.email, tenantId: pair.user.tenant_id, target: pair.sessionId });
      const principal = await this.d.principals.forUser(pair.user, pair.sessionId);
      return { accessToken: pair.accessToken, refreshToken: pair.refreshToken, expiresIn: pair.expiresIn, user: await this.me(principal, pair.user) };
    } catch (err) {
      if (err instanceof RefreshReuseError) {
        const user = await this.d.accounts.userById(err.userId);
        Object.assign(note, { actorId: err.userId, actorLabel: user?.email ?? err.userId, tenantId: user?.tenant_id ?? null });
      }
      throw err;
    }
  }

  /** Ends the caller's session: from the bearer token's session, else from the refresh token. Unknown tokens end nothing, quietly. */
  async logout(p: Principal | null, refreshToken: string | undefined, note: AuditNote): Promise<void> {
    let sessionId = p?.sessionId;
    let userId = p?.userId;
    if (!sessionId && refreshToken) {
      const session = await this.d.sessions.sessionOf(refreshToken);
      sessionId = session?.id;
      userId = session?.user_id;
    }
    if (!sessionId || !userId) {
      note.skip = true;
      return;
    }
    const user = await this.d.accounts.userById(userId);
    Object.assign(note, { actorId: userId, actorLabel: user?.email ?? userId, tenantId: user?.tenant_id ?? null, target: sessionId });
    await this.d.sessions.revoke(sessionId, 'logout');
  }

  /** Changes the caller's own display name. */
  async updateMe(p: Principal, name: string): Promise<Me> {
    await this.d.accounts.updateUser(p.userId, { name, updated_at: this.d.clock.now().toISOString() });
    return this.me(p);
  }

  /** Changes the password after checking the current one; other sessions end. */
  async changePassword(p: Principal, current: string, next: string, ip: string): Promise<void> {
    const user = await this.d.accounts.userById(p.userId);
    if (!user) throw new ApiError('UNAUTHENTICATED', 'account no longer exists');
    this.d.throttle.assertAllowed(user.email, ip);
    if (!(await verifyPassword(user.password_hash, current))) {
      this.d.throttle.recordFailure(user.email, ip);
      throw new ApiError('INVALID_CREDENTIALS', 'current password is wrong');
    }
    assertStrongPassword(next, (await this.d.settings.internal()).passwordPolicy, 'newPassword', { email: user.email });
    await this.d.accounts.updateUser(user.id, { password_hash: await hashPassword(next), updated_at: this.d.clock.now().toISOString() });
    await this.d.sessions.revokeAll(user.id, 'password_changed', p.sessionId);
  }

  /** Sends a reset link if the account exists. Always the same answer, sent before any mail goes out, so neither content nor timing tells. */
  async forgotPassword(email: string, meta: ClientMeta, note: AuditNote, log: BackgroundLog): Promise<void> {
    const address = email.toLowerCase();
    note.actorLabel = address;
    const ipWait = this.d.throttle.ip.blockedFor(`forgot:${meta.ip}`);
    if (ipWait) throw new RetryLaterError('RATE_LIMITED', `too many requests from this address; retry in ${ipWait} s`, ipWait);
    this.d.throttle.ip.fail(`forgot:${meta.ip}`);
    this.background(
      (async () => {
        const user = await this.d.accounts.userByEmail(address);
        if (!user || Number(user.disabled)) return;
        if (this.resetMails.blockedFor(address)) return;
        this.resetMails.fail(address);
        await this.d.oneTime.invalidate('reset', user.id);
        const { token } = await this.d.oneTime.issue('reset', { userId: user.id, email: user.email });
        const { publicUrl } = await this.d.settings.internal();
        await this.d.mailer.send(resetPasswordMail(user.email, publicUrl, token));
      })(),
      log,
      'password reset email failed',
    );
  }

  /** Sets a new password with a reset token; every session ends, the account's lockout clears, and the address counts as verified. */
  async resetPassword(token: string, password: string, note: AuditNote): Promise<void> {
    const row = await this.d.oneTime.peek('reset', token);
    const user = row.user_id ? await this.d.accounts.userById(row.user_id) : undefined;
    if (!user || Number(user.disabled)) throw new ApiError('INVALID_TOKEN', 'this reset link is invalid, used or expired');
    Object.assign(note, { actorId: user.id, actorLabel: user.email, tenantId: user.tenant_id, target: user.id });
    // Policy first: a weak choice must not burn the link.
    assertStrongPassword(password, (await this.d.settings.internal()).passwordPolicy, 'password', { email: user.email });
    await this.d.oneTime.consume('reset', token);
    await this.d.accounts.updateUser(user.id, { password_hash: await hashPassword(password), email_verified: 1, updated_at: this.d.clock.now().toISOString() });
    const revoked = await this.d.sessions.revokeAll(user.id, 'password_reset');
    this.d.throttle.recordSuccess(user.email);
    note.details = { sessionsRevoked: revoked };
  }

  /** Marks the address verified with the emailed token. */
  async verifyEmail(token: string, note: AuditNote): Promise<void> {
    const row = await this.d.oneTime.consume('verify', token);
    const user = row.user_id ? await this.d.accounts.userById(row.user_id) : undefined;
    if (!user || user.email !== row.email) throw new ApiError('INVALID_TOKEN', 'this verification link is invalid, used or expired');
    Object.assign(note, { actorId: user.id, actorLabel: user.email, tenantId: user.tenant_id, target: user.id });
    await this.d.accounts.updateUser(user.id, { email_verified: 1, updated_at: this.d.clock.now().toISOString() });
  }

  /** Emails a new verification link to the caller (nothing when already verified). SMTP failures are reported. */
  async resendVerification(p: Principal): Promise<void> {
    const user = await this.d.accounts.userById(p.userId);
    if (!user || Number(user.email_verified)) return;
    await this.sendVerification(user);
  }

  private async sendVerification(user: UserRow): Promise<void> {
    await this.d.oneTime.invalidate('verify', user.id);
    const { token } = await this.d.oneTime.issue('verify', { userId: user.id, email: user.email });
    const { publicUrl } = await this.d.settings.internal();
    await this.d.mailer.send(verifyEmailMail(user.email, publicUrl, token));
  }

  private background(work: Promise<unknown>, log: BackgroundLog, msg: string): void {
    work.catch((err) => log(err, msg));
  }
}
