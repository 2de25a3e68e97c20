import { z } from 'zod';
import { Id, Timestamp } from '../common';

/** Email addresses as accounts use them (compared case-insensitively by the server). */
export const Email = z.email().max(254);

/** A person's display name. */
export const PersonName = z.string().trim().min(1).max(100);

/** A user account as the API shows it (shared by auth and the users admin routes). */
export const User = z.object({
  id: Id,
  email: z.string(),
  name: z.string(),
  /** The user's home tenant. */
  tenantId: Id,
  disabled: z.boolean(),
  emailVerified: z.boolean(),
  totpEnabled: z.boolean(),
  createdAt: Timestamp,
  lastLoginAt: Timestamp.nullable(),
});
/** A user account. */
export type User = z.infer<typeof User>;
