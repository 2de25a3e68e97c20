import { z } from 'zod';
import { Empty } from '../common';
import { defineRoute } from '../route';

/** SMTP delivery settings; the password is write-only. */
export const SmtpSettings = z.strictObject({
  host: z.string().max(255).default(''),
  port: z.number().int().min(1).max(65535).default(587),
  secure: z.boolean().default(false),
  user: z.string().max(255).default(''),
  from: z.string().max(255).default('NovaCron <novacron@localhost>'),
});

/** Password strength policy. */
export const PasswordPolicy = z.strictObject({
  minLength: z.number().int().min(8).max(128).default(12),
  requireMixedCase: z.boolean().default(false),
  requireDigit: z.boolean().default(false),
  requireSymbol: z.boolean().default(false),
});

/** System settings as returned (secrets omitted). */
export const Settings = z.object({
  registration: z.enum(['open', 'invite', 'closed']),
  passwordPolicy: PasswordPolicy,
  accessTokenTtlSeconds: z.number().int(),
  refreshTokenTtlSeconds: z.number().int(),
  require2fa: z.boolean(),
  requireEmailVerification: z.boolean(),
  publicUrl: z.string(),
  metricsPublic: z.boolean(),
  smtp: SmtpSettings.extend({ passwordSet: z.boolean() }),
});
/** System settings. */
export type Settings = z.infer<typeof Settings>;

/** A partial update of the settings; `smtp.password` sets the secret. */
export const SettingsPatch = z.strictObject({
  registration: z.enum(['open', 'invite', 'closed']).optional(),
  passwordPolicy: PasswordPolicy.partial().optional(),
  accessTokenTtlSeconds: z.number().int().min(60).max(86_400).optional(),
  refreshTokenTtlSeconds: z.number().int().min(300).max(90 * 86_400).optional(),
  require2fa: z.boolean().optional(),
  requireEmailVerification: z.boolean().optional(),
  publicUrl: z.url().max(2048).optional(),
  metricsPublic: z.boolean().optional(),
  smtp: SmtpSettings.partial().extend({ password: z.string().max(1024).optional() }).strict().optional(),
});

/** Settings routes. */
export const settingsRoutes = {
  'settings.get': defineRoute({
    method: 'GET', path: '/api/v1/settings', access: 'settings:read', summary: 'System settings (secrets omitted)', tag: 'settings',
    response: Settings,
  }),
  'settings.update': defineRoute({
    method: 'PATCH', path: '/api/v1/settings', access: 'settings:write', summary: 'Changes system settings', tag: 'settings',
    body: SettingsPatch, response: Settings,
  }),
  'settings.testEmail': defineRoute({
    method: 'POST', path: '/api/v1/settings/test-email', access: 'settings:write', summary: 'Sends a test email with the SMTP settings', tag: 'settings',
    body: z.strictObject({ to: z.email() }), response: Empty,
  }),
};
