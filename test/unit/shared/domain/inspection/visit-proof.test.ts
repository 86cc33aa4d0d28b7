import { describe, expect, it } from 'vitest';
import { distanceKm, visitFlags, VISIT_RULES, type VisitRecord } from '#shared/domain/inspection/visit-proof.ts';

const V = { lat: 31.7169, lon: 113.3739 };
/** A point `m` metres north and `e` metres east of the village. */
const at = (m: number, e = 0, accuracyM = 15) => ({ lat: V.lat + m / 111_320, lon: V.lon + e / (111_320 * Math.cos((V.lat * Math.PI) / 180)), accuracyM });

let n = 0;
function rec(p: Partial<VisitRecord> = {}): VisitRecord {
  n += 1;
  return { formId: `f${n}`, author: 'cadre-1', villageCode: '421321101200', householdId: `h${n}`, persons: 3, submittedAt: null, activeSeconds: 600, fix: null, ...p };
}
const minutes = (m: number) => new Date(Date.UTC(2026, 10, 20, 1, 0) + m * 60_000).toISOString();

describe('distanceKm', () => {
  it('measures about 1 km for 1 km north and is symmetric', () => {
    expect(distanceKm(V, at(1000))).toBeCloseTo(1, 2);
    expect(distanceKm(at(1000), V)).toBeCloseTo(distanceKm(V, at(1000)), 9);
  });
});

describe('visitFlags', () => {
  it('flags nothing for an ordinary day: a few minutes per person, households apart, an hour between them', () => {
    const day = [0, 1, 2, 3].map((i) => rec({ fix: at(i * 150, i * 80), submittedAt: minutes(i * 40), activeSeconds: 900 }));
    expect(visitFlags(day)).toEqual(new Map());
  });

  it.each([
    ['too-fast', [rec({ persons: 4, activeSeconds: VISIT_RULES.MIN_SECONDS_PER_PERSON * 4 - 1 })]],
    ['far', [rec({ fix: at(0) }), rec({ fix: at(100) }), rec({ fix: at(50, 50) }), rec({ fix: at(5000) })]],
    ['same-position', [rec({ fix: at(0) }), rec({ fix: at(3) }), rec({ fix: at(0, 5) })]],
    ['impossible-travel', [rec({ fix: at(0), submittedAt: minutes(0) }), rec({ fix: at(8000), submittedAt: minutes(5) })]],
    ['burst', [0, 2, 4, 6, 8].map((m, i) => rec({ submittedAt: minutes(m), fix: at(i * 300) }))],
  ] as const)('flags %s', (kind, records) => {
    const flags = visitFlags(records);
    const flagged = [...flags].filter(([, fs]) => fs.includes(kind)).map(([id]) => id);
    expect(flagged.length).toBeGreaterThan(0);
    // Nothing else is flagged in these cases.
    expect([...flags.values()].flat().every((f) => f === kind)).toBe(true);
  });

  it('finds forms from one spot wherever the spot lies (across the grid the search uses), and only those', () => {
    for (let i = 0; i < 200; i++) {
      const base = at(i * 3.7, i * 2.9);
      const near = [base, { ...base, lat: base.lat + 4 / 111_320 }, { ...base, lon: base.lon + 5 / 94_800 }];
      const flags = visitFlags(near.map((fix) => rec({ fix })));
      expect([...flags.values()].filter((f) => f.includes('same-position'))).toHaveLength(3);
    }
    // Forms 11 m apart on a grid: none within 10 m of another.
    const apart = Array.from({ length: 2_000 }, (_, i) => rec({ fix: at((i % 40) * 11, Math.floor(i / 40) * 11) }));
    expect([...visitFlags(apart).values()].filter((f) => f.includes('same-position'))).toEqual([]);
  });

  it('does not flag a slow walk, an inaccurate fix, the same position of one household twice, or another cadre nearby', () => {
    expect(visitFlags([rec({ fix: at(0), submittedAt: minutes(0) }), rec({ fix: at(2500), submittedAt: minutes(30) })])).toEqual(new Map());
    expect(visitFlags([rec({ fix: at(0) }), rec({ fix: at(100) }), rec({ fix: at(50) }), rec({ fix: at(9000, 0, 2000) })])).toEqual(new Map());
    expect(visitFlags([rec({ householdId: 'same', fix: at(0) }), rec({ householdId: 'same', fix: at(1) }), rec({ fix: at(300) })])).toEqual(new Map());
    expect(visitFlags([rec({ fix: at(0) }), rec({ fix: at(2), author: 'cadre-2' }), rec({ fix: at(4), author: 'cadre-3' })])).toEqual(new Map());
  });

  it('does not call four forms in ten minutes a burst, nor a day sent at once (device times apart)', () => {
    expect(visitFlags([0, 3, 6, 9].map((m) => rec({ submittedAt: minutes(m) })))).toEqual(new Map());
    expect(visitFlags([0, 30, 60, 90, 120].map((m) => rec({ submittedAt: minutes(m) })))).toEqual(new Map());
  });
});
