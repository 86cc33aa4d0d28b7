import { describe, expect, it } from 'vitest';
import { findingId, sha256, toHex } from '#shared/domain/anomalies/finding-id.ts';

describe('sha256', () => {
  it('matches the FIPS 180-2 test vectors', () => {
    expect(toHex(sha256(''))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(toHex(sha256('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(toHex(sha256('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
    expect(toHex(sha256('a'.repeat(1000)))).toBe('41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3');
  });

  it('hashes the UTF-8 bytes of Chinese text', () => {
    // node -e "crypto.createHash('sha256').update('一卡通').digest('hex')"
    expect(toHex(sha256('一卡通'))).toBe('e9f9d0ac54d748a412b19fb85a024d5a61acaa752f2ddbc2179124dba8252642');
  });
});

describe('findingId', () => {
  it('is a version 8 UUID, the same for the same rule and key', () => {
    const id = findingId('paid-after-death', ['421321195001010011']);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(findingId('paid-after-death', ['421321195001010011'])).toBe(id);
  });

  it('differs by rule and by how the key is split', () => {
    const a = findingId('over-standard', ['MZ01', 'H1']);
    expect(findingId('short-or-missing-periods', ['MZ01', 'H1'])).not.toBe(a);
    expect(findingId('over-standard', ['MZ01H', '1'])).not.toBe(a);
    expect(findingId('over-standard', ['MZ01', 'H2'])).not.toBe(a);
  });
});
