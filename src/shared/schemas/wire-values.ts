/**
 * Constants of the wire contract that the zod schemas and the hand-written
 * guards (wire-guards.ts) share. No zod here: the sign-in and home screens
 * import this module and must load without zod.
 */
export const ROLES = ['cadre', 'inspector', 'supervisor', 'admin'] as const;
export const REGION_LEVELS = ['province', 'city', 'county', 'township', 'village'] as const;
export const SYNC_ENTITIES = ['item', 'household', 'person', 'account', 'paymentLine', 'form'] as const;

export const SIGN_IN_LIMITS = { usernameMax: 64, passwordMax: 256 } as const;
export const SIGN_IN_MESSAGES = {
  usernameMissing: '请输入用户名',
  usernameTooLong: '用户名过长',
  passwordMissing: '请输入密码',
  passwordTooLong: '密码过长',
} as const;
