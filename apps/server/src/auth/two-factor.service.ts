import { ApiError } from '@novacron/api';
import type { Clock } from '../lib/clock';
import { sha256 } from '../lib/hash';
import type { SettingsService } from '../settings/settings.service';
import type { UserRow } from '../store/schema';
import type { AccountRepository } from './account.repository';
import { verifyPassword } from './passwords';
import type { SecretBox } from './secret-box';
import { generateRecoveryCodes, generateTotpSecret, normalizeRecoveryCode, otpauthUri, verifyTotp } from './totp';

/** How a second factor was proven at login. */
export type SecondFactor = 'none' | 'totp' | 'recovery_code';

/** TOTP 2FA: enrolment, confirmation with recovery codes, disabling, and the login check. Secrets are sealed at rest. */
export class TwoFactorService {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly box: SecretBox,
    private readonly settings: SettingsService,
    private readonly clock: Clock,
  ) {}

  private async user(userId: string): Promise<UserRow> {
    const user = await this.accounts.userById(userId);
    if (!user) throw new ApiError('UNAUTHENTICATED', 'account no longer exists');
    return user;
  }

  /** Starts enrolment with a new secret; it is inactive until confirmed. INVALID_STATE when 2FA is already on. */
  async enroll(userId: string): Promise<{ secret: string; otpauthUri: string }> {
    const user = await this.user(userId);
    if (Number(user.totp_enabled)) throw new ApiError('INVALID_STATE', 'two-factor authentication is already on; turn it off first to enrol a new device');
    const secret = generateTotpSecret();
    await this.accounts.updateUser(user.id, { totp_secret: this.box.seal(secret), totp_last_step: null, updated_at: this.clock.now().toISOString() });
    return { secret, otpauthUri: otpauthUri(secret, user.email) };
  }

  /** Activates 2FA with a current code; answers 10 recovery codes (only their hashes are kept). */
  async confirm(userId: string, code: string): Promise<string[]> {
    const user = await this.user(userId);
    if (Number(user.totp_enabled)) throw new ApiError('INVALID_STATE', 'two-factor authentication is already on');
    if (!user.totp_secret) throw new ApiError('INVALID_STATE', 'start enrolment first (POST /api/v1/auth/totp/enroll)');
    const step = verifyTotp(this.box.open(user.totp_secret), code, this.clock.now());
    if (step === null) throw new ApiError('INVALID_TOTP', 'the code does not match; check the device clock and try the next code');
    const codes = generateRecoveryCodes(10);
    await this.accounts.updateUser(user.id, {
      totp_enabled: 1,
      totp_last_step: step,
      recovery_codes: JSON.stringify(codes.map((c) => sha256(normalizeRecoveryCode(c)))),
      updated_at: this.clock.now().toISOString(),
    });
    return codes;
  }

  /** Turns 2FA off after checking the password; refused while the policy requires 2FA. */
  async disable(userId: string, password: string): Promise<void> {
    const user = await this.user(userId);
    if (!(await verifyPassword(user.password_hash, password))) throw new ApiError('INVALID_CREDENTIALS', 'password is wrong');
    if ((await this.settings.internal()).require2fa) throw new ApiError('INVALID_STATE', 'two-factor authentication is required by policy (settings.require2fa)');
    await this.accounts.updateUser(user.id, {
      totp_enabled: 0, totp_secret: null, totp_last_step: null, recovery_codes: '[]', updated_at: this.clock.now().toISOString(),
    });
  }

  /** The second-factor step of login, after the password matched. TOTP_REQUIRED without a code; INVALID_TOTP for a wrong, replayed or spent one. */
  async check(user: UserRow, input: { totp?: string; recoveryCode?: string }): Promise<{ factor: SecondFactor; recoveryCodesLeft?: number }> {
    if (!Number(user.totp_enabled) || !user.totp_secret) return { factor: 'none' };
    if (input.totp) {
      const step = verifyTotp(this.box.open(user.totp_secret), input.totp, this.clock.now(), user.totp_last_step === null ? null : Number(user.totp_last_step));
      if (step === null || !(await this.accounts.advanceTotpStep(user.id, step))) throw new ApiError('INVALID_TOTP', 'the two-factor code is wrong or was already used');
      return { factor: 'totp' };
    }
    if (input.recoveryCode) {
      const hashes = JSON.parse(user.recovery_codes) as string[];
      const hash = sha256(normalizeRecoveryCode(input.recoveryCode));
      if (!hashes.includes(hash)) throw new ApiError('INVALID_TOTP', 'the recovery code is wrong or was already used');
      const left = hashes.filter((h) => h !== hash);
      // Compare-and-swap on the stored list: the same code sent twice at once succeeds only once.
      if (!(await this.accounts.swapRecoveryCodes(user.id, user.recovery_codes, JSON.stringify(left), this.clock.now().toISOString()))) {
        throw new ApiError('INVALID_TOTP', 'the recovery code is wrong or was already used');
      }
      return { factor: 'recovery_code', recoveryCodesLeft: left.length };
    }
    throw new ApiError('TOTP_REQUIRED', 'this account uses two-factor authentication: send totp or recoveryCode');
  }
}
