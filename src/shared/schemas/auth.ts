import * as z from 'zod/mini';
import { REGION_LEVELS, ROLES, SIGN_IN_LIMITS, SIGN_IN_MESSAGES } from './wire-values.ts';

export { ROLES };
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

export const SignInBodySchema = z.object({
  username: z.string().check(z.trim(), z.minLength(1, SIGN_IN_MESSAGES.usernameMissing), z.maxLength(SIGN_IN_LIMITS.usernameMax, SIGN_IN_MESSAGES.usernameTooLong)),
  password: z.string().check(z.minLength(1, SIGN_IN_MESSAGES.passwordMissing), z.maxLength(SIGN_IN_LIMITS.passwordMax, SIGN_IN_MESSAGES.passwordTooLong)),
  /** The device's persisted id, so a lost phone's session can be found and revoked. */
  deviceId: z.optional(z.uuid()),
});
export type SignInBody = z.infer<typeof SignInBodySchema>;

export const RegionLevelSchema = z.enum(REGION_LEVELS);

export const AreaSchema = z.object({
  /** 12-digit statistical division code. */
  code: z.string().check(z.regex(/^\d{12}$/)),
  /** The significant prefix that scopes every read and write. */
  prefix: z.string().check(z.regex(/^\d{2,12}$/)),
  name: z.string(),
  level: RegionLevelSchema,
});
export type Area = z.infer<typeof AreaSchema>;

export const MeSchema = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  area: AreaSchema,
  /** An admin set the password: the user chooses their own before anything else (absent from older servers). */
  mustChangePassword: z.optional(z.boolean()),
});
export type Me = z.infer<typeof MeSchema>;

export const SessionInfoSchema = z.object({
  id: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
  lastSeenAt: z.iso.datetime({ offset: true }),
  expiresAt: z.iso.datetime({ offset: true }),
  userAgent: z.nullable(z.string()),
  deviceId: z.nullable(z.string()),
  current: z.boolean(),
});
export type SessionInfo = z.infer<typeof SessionInfoSchema>;
