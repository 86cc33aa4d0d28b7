import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { faultPlan, faultPullPageLimit, faultsEnabled } from '#server/sync/faults.ts';
import { sameJson, storableJsonText } from '#server/sync/push-service.ts';

const dir = mkdtempSync(join(tmpdir(), 'ykt-faults-unit-'));
const file = join(dir, 'faults.json');
writeFileSync(file, JSON.stringify({ killAfterCommit: 1, pullPageLimit: 7 }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fault switch (src/server/sync/faults.ts)', () => {
  it('is off unless YKT_FAULTS=1 and a plan file are both given, and never in production', () => {
    expect(faultsEnabled({})).toBe(false);
    expect(faultsEnabled({ YKT_FAULTS_FILE: file })).toBe(false);
    expect(faultsEnabled({ YKT_FAULTS: '1' })).toBe(false);
    expect(faultsEnabled({ YKT_FAULTS: 'true', YKT_FAULTS_FILE: file })).toBe(false);
    expect(faultsEnabled({ YKT_FAULTS: '1', YKT_FAULTS_FILE: file, NODE_ENV: 'production' })).toBe(false);
    expect(faultPlan({ YKT_FAULTS_FILE: file })).toEqual({});
    expect(faultsEnabled({ YKT_FAULTS: '1', YKT_FAULTS_FILE: file })).toBe(true);
  });

  it('reads the plan from the file on every call when on', () => {
    const env = { YKT_FAULTS: '1', YKT_FAULTS_FILE: file };
    expect(faultPlan(env)).toEqual({ killAfterCommit: 1, pullPageLimit: 7 });
    writeFileSync(file, JSON.stringify({ delayPullMs: 5 }));
    expect(faultPlan(env)).toEqual({ delayPullMs: 5 });
    writeFileSync(file, 'not json');
    expect(faultPlan(env)).toEqual({});
    expect(faultPlan({ ...env, YKT_FAULTS_FILE: join(dir, 'missing.json') })).toEqual({});
  });

  it('leaves the pull page size alone in this process (the test runner has no YKT_FAULTS)', () => {
    writeFileSync(file, JSON.stringify({ pullPageLimit: 7 }));
    expect(process.env.YKT_FAULTS).toBeUndefined();
    expect(faultPullPageLimit(5000)).toBe(5000);
  });
});

describe('storableJsonText (push-service.ts): request text PostgreSQL can take as it is', () => {
  const text = (s: string) => Buffer.from(s, 'utf8');
  it('takes UTF-8 JSON with any character written out, and escapes other than U+0000 and surrogates', () => {
    expect(storableJsonText(text(JSON.stringify({ a: ['李建国 😀', 1, null], b: 'tab\there \u00e9 \u001f' })))).toBe(true);
    expect(storableJsonText(text('{"a":"\\u00e9"}'))).toBe(true);
  });
  it('refuses text that is not UTF-8, an escaped U+0000 and any surrogate escape', () => {
    expect(storableJsonText(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]))).toBe(false);
    // A surrogate written out in UTF-8 (CESU-8) is not UTF-8 either.
    expect(storableJsonText(Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22]))).toBe(false);
    expect(storableJsonText(text(JSON.stringify({ a: 'x\u0000y' })))).toBe(false);
    expect(storableJsonText(text(JSON.stringify({ a: 'lone \ud800' })))).toBe(false);
    expect(storableJsonText(text('{"a":"\\uDC00"}'))).toBe(false);
    expect(storableJsonText(text('{"a":"\\ud83d\\ude00"}'))).toBe(false);
  });
});

describe('sameJson (push-service.ts): the stored body may be taken from the mutation as sent', () => {
  it('compares JSON values structurally, key order aside', () => {
    expect(sameJson({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameJson({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameJson({ a: ' x' }, { a: 'x' })).toBe(false);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
    expect(sameJson([], {})).toBe(false);
    expect(sameJson(null, {})).toBe(false);
    expect(sameJson({ a: null }, { a: null })).toBe(true);
  });
});
