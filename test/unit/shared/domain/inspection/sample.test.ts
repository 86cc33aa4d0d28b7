import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_SAMPLE_RULE, drawSample, median, quota, sampleInputHash, sampleRank, type SampleInput, type SampleRule } from '#shared/domain/inspection/sample.ts';

/** A generated county: townships of villages of households, some checked by one of two cadres, some problems. */
function county(seed: number, townships = 6): SampleInput {
  let s = seed >>> 0 || 1;
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0), s / 2 ** 32);
  return {
    areaCode: '421321000000',
    townships: Array.from({ length: townships }, (_, ti) => {
      const code = `421321${String(100 + ti).padStart(3, '0')}000`;
      const nVillages = 1 + Math.floor(rnd() * 14);
      const villages = Array.from({ length: nVillages }, (_, vi) => {
        const vcode = `${code.slice(0, 9)}${String(200 + vi).padStart(3, '0')}`;
        const n = 1 + Math.floor(rnd() * 40);
        return {
          code: vcode,
          households: Array.from({ length: n }, (_, hi) => {
            const r = rnd();
            return { id: `${vcode}-${String(hi).padStart(3, '0')}`, cadre: r < 0.2 ? null : r < 0.6 ? `c-${vcode}-a` : `c-${vcode}-b`, mandatory: r > 0.985 ? ('refused' as const) : null };
          }),
        };
      });
      const checked = villages.reduce((n, v) => n + v.households.filter((h) => h.cadre !== null).length, 0);
      return { code, checked, problems: ti % 3 === 0 ? 0 : Math.floor(rnd() * checked * 0.2), villages };
    }),
  };
}

describe('quota', () => {
  it.each([
    [10, 0.3, 1, 3],
    [11, 0.3, 1, 4],
    [1, 0.3, 1, 1],
    [2, 0.3, 1, 1],
    [0, 0.3, 1, 0],
    [10, 0.5, 1, 5],
    [3, 0.3, 5, 3],
  ])('%i units at %f, at least %i: %i', (n, share, min, want) => {
    expect(quota(n, share, min)).toBe(want);
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBe(0);
  });
});

describe('drawSample', () => {
  it('never samples fewer villages per township, or households per sampled village, than the rule', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.string({ minLength: 1, maxLength: 12 }), fc.double({ min: 0.05, max: 1, noNaN: true }), fc.double({ min: 0.05, max: 1, noNaN: true }), (cseed, seed, vs, hs) => {
        const input = county(cseed);
        const rule: SampleRule = { ...DEFAULT_SAMPLE_RULE, villageShare: vs, householdShare: hs };
        const r = drawSample(seed, rule, input);
        for (const t of input.townships) {
          const d = r.townships.find((x) => x.code === t.code);
          expect(d).toBeDefined();
          const share = d?.weak ? Math.max(rule.weakVillageShare, vs) : vs;
          expect(d?.sampledVillages.length).toBeGreaterThanOrEqual(Math.min(t.villages.length, Math.max(1, Math.ceil(share * t.villages.length - 1e-9))));
          for (const v of d?.sampledVillages ?? []) {
            const got = r.households.filter((h) => h.villageCode === v.code).length;
            expect(got).toBe(v.sampled);
            expect(got).toBeGreaterThanOrEqual(Math.min(v.households, Math.max(1, Math.ceil(hs * v.households - 1e-9))));
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('gives the same sample for the same seed and input, whatever order the input comes in', () => {
    const input = county(7);
    const shuffled: SampleInput = { ...input, townships: [...input.townships].reverse().map((t) => ({ ...t, villages: [...t.villages].reverse().map((v) => ({ ...v, households: [...v.households].reverse() })) })) };
    const a = drawSample('2026-公示-001', DEFAULT_SAMPLE_RULE, input);
    const b = drawSample('2026-公示-001', DEFAULT_SAMPLE_RULE, shuffled);
    expect(b.households).toEqual(a.households);
    expect(b.inputHash).toBe(a.inputHash);
    expect(drawSample('another seed', DEFAULT_SAMPLE_RULE, input).households).not.toEqual(a.households);
  });

  it('ranks by SHA-256 of seed|id, a value anyone can recompute (pinned across platforms)', () => {
    // sha256("s|421321101200") computed independently (coreutils: printf 's|421321101200' | sha256sum).
    expect(sampleRank('s', '421321101200')).toBe('279e22692aa608c5c442f2a1d17cefbb108afbe39e77deab352eb020dfb7c629');
    const input = county(11);
    expect(sampleInputHash(input)).toMatchSnapshot();
    expect(drawSample('seed-1', DEFAULT_SAMPLE_RULE, input).households.slice(0, 8)).toMatchSnapshot();
  });

  it('gives weak townships (below the median, or zero problems) the higher village share', () => {
    const villages = (t: string) => Array.from({ length: 10 }, (_, i) => ({ code: `${t.slice(0, 9)}${String(200 + i)}`, households: [{ id: `${t}-${i}`, cadre: 'c', mandatory: null }] }));
    const input: SampleInput = {
      areaCode: '421321000000',
      townships: [
        { code: '421321100000', checked: 100, problems: 10, villages: villages('421321100000') },
        { code: '421321101000', checked: 100, problems: 8, villages: villages('421321101000') },
        { code: '421321102000', checked: 100, problems: 2, villages: villages('421321102000') },
        { code: '421321103000', checked: 0, problems: 0, villages: villages('421321103000') },
      ],
    };
    const r = drawSample('x', DEFAULT_SAMPLE_RULE, input);
    const by = new Map(r.townships.map((t) => [t.code, t]));
    expect(r.medianProblemsPer100).toBe(5);
    expect(by.get('421321100000')).toMatchObject({ weak: false, share: 0.3 });
    expect(by.get('421321100000')?.sampledVillages).toHaveLength(3);
    expect(by.get('421321101000')).toMatchObject({ weak: false });
    expect(by.get('421321102000')).toMatchObject({ weak: true, share: 0.5 });
    expect(by.get('421321102000')?.sampledVillages).toHaveLength(5);
    expect(by.get('421321103000')).toMatchObject({ weak: true, problemsPer100: 0 });
  });

  it('always includes mandatory households and their villages, and covers every cadre of a sampled village', () => {
    const input = county(23);
    const r = drawSample('m', DEFAULT_SAMPLE_RULE, input);
    const sampled = new Set(r.households.map((h) => h.householdId));
    for (const t of input.townships) {
      for (const v of t.villages) {
        for (const h of v.households) if (h.mandatory !== null) expect(sampled.has(h.id)).toBe(true);
        const d = r.townships.find((x) => x.code === t.code)?.sampledVillages.find((x) => x.code === v.code);
        if (!d) continue;
        const cadres = new Set(v.households.flatMap((h) => (h.cadre === null ? [] : [h.cadre])));
        const covered = new Set(v.households.filter((h) => sampled.has(h.id) && h.cadre !== null).map((h) => h.cadre));
        if (d.required >= cadres.size + v.households.filter((h) => h.mandatory !== null).length) expect(covered.size).toBe(cadres.size);
      }
    }
    const reasons = r.households.filter((h) => h.reason === 'refused');
    expect(reasons.length).toBeGreaterThan(0);
  });

  it('a frozen input keeps its sample when the roster changes afterwards; a changed input has another hash', () => {
    const input = county(31);
    const frozen = JSON.parse(JSON.stringify(input)) as SampleInput;
    const before = drawSample('s', DEFAULT_SAMPLE_RULE, frozen);
    const t0 = input.townships[0];
    t0?.villages[0]?.households.push({ id: 'new-household', cadre: null, mandatory: null });
    expect(sampleInputHash(input)).not.toBe(before.inputHash);
    expect(drawSample('s', DEFAULT_SAMPLE_RULE, frozen)).toEqual(before);
  });
});
