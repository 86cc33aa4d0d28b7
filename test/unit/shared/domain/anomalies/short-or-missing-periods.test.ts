import { describe, expect, it } from 'vitest';
import { runAnomalyChecks } from '#shared/domain/anomalies/index.ts';
import { ids, months, TestRoster, VILLAGE_A } from '#test/fixtures/anomaly-roster.ts';

const rules = ['short-or-missing-periods'] as const;

describe('short-or-missing-periods (A2)', () => {
  it('flags fixed-amount periods paid below the standard', () => {
    const r = new TestRoster();
    const { members } = r.household(VILLAGE_A, [{}]);
    const head = members[0]!;
    r.pay('dibao', head, months('2020-01', '2020-05'));
    const short = r.pay('dibao', head, ['2020-06'], { amountFen: 40000 });
    r.pay('dibao', head, months('2020-07', '2020-12'));
    const [f, ...rest] = runAnomalyChecks(r.input(), { rules });
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ problemCode: 'A2', amountFen: 8000, householdIds: [head.householdId], itemCodes: ['MZ01'] });
    expect(f!.evidence.paymentLineIds).toEqual(ids(short));
    expect(f!.evidence.missingPeriods).toEqual([]);
    expect(f!.detail).toContain('少发 80.00 元');
  });

  it('flags periods missing inside the run, with the lines around the gap as evidence', () => {
    const r = new TestRoster();
    const { members } = r.household(VILLAGE_A, [{}, {}]);
    const parent = members[1]!;
    const before = r.pay('pension', parent, months('2020-01', '2020-03'));
    const after = r.pay('pension', parent, months('2020-06', '2020-12'));
    const [f] = runAnomalyChecks(r.input(), { rules });
    expect(f).toMatchObject({ personIds: [parent.id], amountFen: 2 * 11500 });
    expect(f!.evidence.missingPeriods).toEqual(['2020-04', '2020-05']);
    expect(f!.evidence.paymentLineIds).toEqual(ids([before[2]!, after[0]!]));
  });

  it('does not flag a late start or an early stop', () => {
    const r = new TestRoster();
    const { members } = r.household(VILLAGE_A, [{}, {}]);
    r.pay('pension', members[0]!, months('2020-07', '2021-12'));
    r.pay('pension', members[1]!, months('2020-01', '2020-05'));
    r.pay('veteran', members[1]!, ['2020-Q1', '2020-Q2', '2020-Q3', '2020-Q4']);
    expect(runAnomalyChecks(r.input())).toEqual([]);
  });

  it('finds gaps in quarterly and yearly items too, and estimates non-fixed ones from their own amounts', () => {
    const r = new TestRoster();
    const { members } = r.household(VILLAGE_A, [{}]);
    const head = members[0]!;
    r.pay('veteran', head, ['2020-Q1', '2020-Q2', '2020-Q4']);
    r.pay('farmland', head, ['2019'], { amountFen: 60000 });
    r.pay('farmland', head, ['2021'], { amountFen: 62000 });
    const findings = runAnomalyChecks(r.input(), { rules });
    const veteran = findings.find((f) => f.itemCodes[0] === 'TY04');
    const farmland = findings.find((f) => f.itemCodes[0] === 'NY01');
    expect(veteran).toMatchObject({ amountFen: 45000, evidence: { missingPeriods: ['2020-Q3'] } });
    // Per-mu: no standard per household, so the median of its own years (the lower one).
    expect(farmland).toMatchObject({ amountFen: 60000, evidence: { missingPeriods: ['2020'] } });
  });

  it('does not call per-mu or variable items short, nor judge one-off items', () => {
    const r = new TestRoster();
    const { members } = r.household(VILLAGE_A, [{}]);
    const head = members[0]!;
    r.pay('farmland', head, ['2020', '2021'], { amountFen: 100 });
    r.pay('forest', head, ['2020'], { amountFen: 1000 });
    r.pay('forest', head, ['2021'], { amountFen: 500 });
    r.pay('tempAid', head, ['2020'], { amountFen: 100 });
    expect(runAnomalyChecks(r.input())).toEqual([]);
  });

  it('keys household items by household, so a new head does not open a gap', () => {
    const r = new TestRoster();
    const { members } = r.household(VILLAGE_A, [{}, {}]);
    r.pay('dibao', members[0]!, months('2020-01', '2020-06'));
    const [afterGap] = r.pay('dibao', members[1]!, months('2020-08', '2020-12'));
    const [finding] = runAnomalyChecks(r.input(), { rules });
    expect(finding?.evidence.missingPeriods).toEqual(['2020-07']);
    expect(finding?.evidence.paymentLineIds).toContain(afterGap!.id);
  });
});
