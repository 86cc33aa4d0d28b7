import { describe, expect, it } from 'vitest';
import { checkPassword } from '#shared/domain/password-rules.ts';

describe('checkPassword', () => {
  it.each([
    ['Lishan2026', 'cadre', null],
    ['随县Suixian8', 'cadre', null],
    ['short1a', 'cadre', '密码至少 8 位'],
    [`a1${'x'.repeat(127)}`, 'cadre', '密码不能超过 128 位'],
    ['abc 12345', 'cadre', '密码不能包含空格'],
    ['abcdefgh', 'cadre', '密码须同时包含字母和数字'],
    ['12345678', 'cadre', '密码须同时包含字母和数字'],
    ['zhangsan2026', 'ZhangSan', '密码不能包含用户名'],
    ['Password123', 'cadre', '这个密码太常见，请换一个'],
    ['aaaa1111', 'cadre', '密码过于简单，请换一个'],
    ['aaaa1112', 'cadre', null],
  ])('%s (user %s) → %s', (password, username, message) => {
    const r = checkPassword(password, username);
    expect(r.ok ? null : r.message).toBe(message);
  });
});
