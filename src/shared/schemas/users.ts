/** Accounts, managed by admins inside their own area (issue 12, item 1). */
import * as z from 'zod/mini';
import { PASSWORD_MAX } from '#shared/domain/password-rules.ts';
import { RoleSchema } from './auth.ts';

const username = z.string().check(z.trim(), z.regex(/^[A-Za-z0-9_.-]{2,32}$/, '用户名为 2–32 位字母、数字或 _ . -'));
const displayName = z.string().check(z.trim(), z.minLength(1, '请填写姓名'), z.maxLength(32, '姓名不能超过 32 个字'));
const areaCode = z.string().check(z.regex(/^\d{12}$/, '区划代码应为 12 位数字'));
const phone = z.nullable(z.string().check(z.trim(), z.maxLength(32, '电话不能超过 32 个字符')));
const password = z.string().check(z.maxLength(PASSWORD_MAX, '密码过长'));

export const UserSchema = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  areaCode: z.string(),
  /** Null when the area is missing from the imported regions. */
  areaName: z.nullable(z.string()),
  phone: z.nullable(z.string()),
  disabled: z.boolean(),
  mustChangePassword: z.boolean(),
  createdAt: z.string(),
});
export type User = z.infer<typeof UserSchema>;

export const UserCreateSchema = z.object({ username, displayName, role: RoleSchema, areaCode, phone: z.optional(phone), password });
export type UserCreate = z.infer<typeof UserCreateSchema>;

export const UserUpdateSchema = z.object({ displayName: z.optional(displayName), role: z.optional(RoleSchema), areaCode: z.optional(areaCode), phone: z.optional(phone) });
export type UserUpdate = z.infer<typeof UserUpdateSchema>;

/** An admin's reset: a temporary password the user must change at next sign-in. */
export const PasswordResetSchema = z.object({ password });

/** The user's own change: the current password, and the new one. */
export const PasswordChangeSchema = z.object({ current: z.string().check(z.maxLength(PASSWORD_MAX)), next: password });

/** What an upload of accounts did, row by row (POST /admin/users/import). */
export const UserImportReportSchema = z.object({
  /** Rows with an account in them (blank rows and the header not counted). */
  rows: z.int(),
  /** Created, each with the temporary password to hand over (shown once, changed at first sign-in). */
  created: z.array(
    z.object({ row: z.int(), id: z.string(), username: z.string(), displayName: z.string(), role: RoleSchema, areaCode: z.string(), temporaryPassword: z.string() }),
  ),
  /** Rows not created: the row as Excel numbers it, the column, and why. */
  problems: z.array(z.object({ row: z.int(), column: z.string(), message: z.string() })),
});
export type UserImportReport = z.infer<typeof UserImportReportSchema>;
