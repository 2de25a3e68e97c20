import { join } from 'node:path';
import type { AuditService } from '../audit/audit.service';
import type { Clock } from '../lib/clock';
import type { Mailer } from '../mail/mailer';
import type { SettingsService } from '../settings/settings.service';
import type { Store } from '../store/db';
import { AccessTokens } from './access-token';
import { AccountRepository } from './account.repository';
import { Accounts } from './accounts';
import { ApiTokenRepository } from './api-token.repository';
import { ApiTokenService } from './api-token.service';
import { AuthService } from './auth.service';
import { OneTimeTokenRepository } from './one-time-token.repository';
import { OneTimeTokens } from './one-time-tokens';
import { PrincipalLoader } from './principal-loader';
import { LoginThrottle } from './rate-limiter';
import { SecretBox } from './secret-box';
import { SessionRepository } from './session.repository';
import { SessionService } from './session.service';
import { SigningKeys } from './signing-keys';
import { TwoFactorService } from './two-factor.service';

/** The identity services: accounts, sessions, tokens, 2FA and sign-in. Other areas use `accounts`, `sessions.revokeAll`, `oneTime` (invites) and `principals`. */
export interface Identity {
  accounts: AccountRepository;
  create: Accounts;
  keys: SigningKeys;
  accessTokens: AccessTokens;
  sessions: SessionService;
  oneTime: OneTimeTokens;
  principals: PrincipalLoader;
  throttle: LoginThrottle;
  twoFactor: TwoFactorService;
  apiTokens: ApiTokenService;
  auth: AuthService;
}

/** Builds the identity services; signing keys and the secret-box key live in `dataDir/keys`. */
export function createIdentity(deps: { dataDir: string; store: Store; clock: Clock; settings: SettingsService; mailer: Mailer; audit: AuditService }): Identity {
  const { store, clock, settings, mailer, audit } = deps;
  const keysDir = join(deps.dataDir, 'keys');
  const accounts = new AccountRepository(store);
  const keys = SigningKeys.load(keysDir, clock);
  const accessTokens = new AccessTokens(keys, clock);
  const sessions = new SessionService(new SessionRepository(store), accessTokens, settings, clock);
  const oneTime = new OneTimeTokens(new OneTimeTokenRepository(store), clock);
  const principals = new PrincipalLoader(accounts);
  const throttle = new LoginThrottle(clock);
  const twoFactor = new TwoFactorService(accounts, SecretBox.load(keysDir), settings, clock);
  const create = new Accounts(accounts, clock);
  const apiTokens = new ApiTokenService(new ApiTokenRepository(store), accounts, principals, clock);
  const auth = new AuthService({ accounts, create, sessions, principals, throttle, oneTime, twoFactor, settings, mailer, audit, clock });
  return { accounts, create, keys, accessTokens, sessions, oneTime, principals, throttle, twoFactor, apiTokens, auth };
}
