/**
 * What a password must be: long enough to resist guessing at the sign-in
 * throttle's pace, not the account's own name, not one of the passwords
 * every guesser tries first. Length over composition (NIST SP 800-63B),
 * with letters and digits both required because cadres otherwise choose a
 * birth date or a phone number. Messages are shown as they are (zh-CN).
 */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/** The first guesses, compared lower-cased without spaces. */
const COMMON = new Set(['password', 'password1', 'password123', 'passw0rd', 'admin123', 'admin888', 'abc12345', 'abcd1234', 'qwerty123', 'a1234567', 'aa123456', '1qaz2wsx', 'qwe12345', 'abc123456', 'a12345678', 'woaini1314']);

export type PasswordCheck = { ok: true } | { ok: false; message: string };

export function checkPassword(password: string, username: string): PasswordCheck {
  if (password.length < PASSWORD_MIN) return { ok: false, message: `密码至少 ${PASSWORD_MIN} 位` };
  if (password.length > PASSWORD_MAX) return { ok: false, message: `密码不能超过 ${PASSWORD_MAX} 位` };
  if (/\s/u.test(password)) return { ok: false, message: '密码不能包含空格' };
  if (!/[A-Za-z]/u.test(password) || !/\d/u.test(password)) return { ok: false, message: '密码须同时包含字母和数字' };
  const plain = password.toLowerCase();
  if (username !== '' && plain.includes(username.toLowerCase())) return { ok: false, message: '密码不能包含用户名' };
  if (COMMON.has(plain)) return { ok: false, message: '这个密码太常见，请换一个' };
  if (/^(.)\1+$/u.test(plain.replace(/\d/gu, '')) && /^(\d)\1+$/u.test(plain.replace(/\D/gu, ''))) return { ok: false, message: '密码过于简单，请换一个' };
  return { ok: true };
}

/**
 * A temporary password for an admin to hand over: 14 characters from an
 * alphabet without look-alikes (0/O, 1/l/I), letters and digits both.
 * `randomIndex(n)` is a uniform integer in [0, n) from a CSPRNG (node's
 * randomInt, or crypto.getRandomValues in the browser).
 */
export function temporaryPassword(randomIndex: (n: number) => number): string {
  const letters = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ';
  const digits = '23456789';
  const all = letters + digits;
  const pick = (set: string) => set.charAt(randomIndex(set.length));
  const chars = [pick(letters), pick(digits), ...Array.from({ length: 12 }, () => pick(all))];
  // The guaranteed letter and digit go anywhere (Fisher–Yates).
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomIndex(i + 1);
    const x = chars[i] ?? '';
    chars[i] = chars[j] ?? '';
    chars[j] = x;
  }
  return chars.join('');
}
