import { describe, expect, it } from 'vitest';
import { loadConfig } from '#server/config.ts';

describe('loadConfig', () => {
  it('trusts no proxy unless told, and reads hops or addresses', () => {
    expect(loadConfig({}).trustProxy).toBeUndefined();
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1,10.0.0.0/8' }).trustProxy).toBe('127.0.0.1,10.0.0.0/8');
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY/);
  });

  it('makes the session cookie always Secure only with SECURE_COOKIES=1', () => {
    expect(loadConfig({}).secureCookies).toBe(false);
    expect(loadConfig({ SECURE_COOKIES: '1' }).secureCookies).toBe(true);
  });
});
