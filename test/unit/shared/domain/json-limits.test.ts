import { describe, expect, it } from 'vitest';
import { checkJsonLimits, MUTATION_LIMITS, type JsonLimits } from '#shared/domain/json-limits.ts';

const small: JsonLimits = { maxDepth: 3, maxNodes: 20, maxStringLength: 10 };

/** `depth` arrays inside each other, built without recursion. */
function nested(depth: number, leaf: unknown = 1): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

describe('checkJsonLimits (json-limits.ts): untrusted JSON, walked without recursion', () => {
  it('passes what PostgreSQL can hold within the limits', () => {
    expect(checkJsonLimits({ a: ['x', 1, null, true, { b: '李建国 😀' }] }, MUTATION_LIMITS)).toBeNull();
    // A backslash followed by "u0000" is ordinary text.
    expect(checkJsonLimits({ a: '\\u0000' }, MUTATION_LIMITS)).toBeNull();
    expect(checkJsonLimits(nested(3), small)).toBeNull();
  });

  it('names U+0000 and unpaired surrogates anywhere, keys included', () => {
    expect(checkJsonLimits({ a: 'x\u0000y' }, MUTATION_LIMITS)).toMatchObject({ reason: 'nul', path: ['a'] });
    expect(checkJsonLimits({ a: [{ b: 'ok' }, 'bad\ud800'] }, MUTATION_LIMITS)).toMatchObject({ reason: 'surrogate', path: ['a', '1'] });
    expect(checkJsonLimits({ a: '\udc00 alone' }, MUTATION_LIMITS)?.reason).toBe('surrogate');
    expect(checkJsonLimits({ b: { 'k\u0000': 1 } }, MUTATION_LIMITS)).toMatchObject({ reason: 'nul', path: ['b', 'k\u0000'] });
    expect(checkJsonLimits({ a: 'x\u0000y' }, { ...MUTATION_LIMITS, checkText: false })).toBeNull();
  });

  it('stops at the depth limit, naming where it was crossed; 100,000 deep does not overflow the stack', () => {
    expect(checkJsonLimits(nested(4), small)).toMatchObject({ reason: 'depth', path: ['a', 'a', 'a'] });
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;
    const p = checkJsonLimits({ body: { remarks: deep } }, MUTATION_LIMITS);
    expect(p?.reason).toBe('depth');
    expect(p?.path.slice(0, 2)).toEqual(['body', 'remarks']);
    // The path is cut short, not 24 segments long.
    expect(p?.path.at(-1)).toBe('…');
    expect(p?.message).toContain('24');
  });

  it('counts values: wide arrays and objects past the limit are refused at once', () => {
    expect(checkJsonLimits({ a: Array.from({ length: 30 }, () => 0) }, small)).toMatchObject({ reason: 'nodes', path: ['a'] });
    expect(checkJsonLimits(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, 0])), small)?.reason).toBe('nodes');
    expect(checkJsonLimits(Array.from({ length: 19 }, () => 0), small)).toBeNull();
  });

  it('refuses a string or key longer than the limit', () => {
    expect(checkJsonLimits({ a: 'x'.repeat(11) }, small)).toMatchObject({ reason: 'string', path: ['a'] });
    expect(checkJsonLimits({ ['k'.repeat(11)]: 1 }, small)?.reason).toBe('string');
  });

  it('leaves out what skip names (checked elsewhere)', () => {
    const body = { appVersion: 'x', mutations: [{ remarks: 'bad\u0000' }] };
    expect(checkJsonLimits(body, MUTATION_LIMITS, (parent) => parent.length === 1 && parent[0] === 'mutations')).toBeNull();
    expect(checkJsonLimits({ ...body, appVersion: '\u0000' }, MUTATION_LIMITS, (parent) => parent[0] === 'mutations')).toMatchObject({ path: ['appVersion'] });
  });
});
