import { describe, expect, it } from 'vitest';
import { runAnomalyChecks } from '#shared/domain/anomalies/index.ts';
import { ids, TestRoster, VILLAGE_A } from '#test/fixtures/anomaly-roster.ts';

const rules = ['late-payment'] as const;

describe('late-payment (A2)', () => {
  it('flags lines paid more than three months after their period ended', () => {
    const r = new TestRoster();
    const { members } = r.household(VILLAGE_A, [{}]);
    const head = members[0]!;
    const onTime = r.pay('pension', head, ['2020-03'], { paidOn: () => '2020-06-30' });
    const late = r.pay('pension', head, ['2020-04'], { paidOn: () => '2020-08-01' });
    const [f, ...rest] = runAnomalyChecks(r.input(), { rules });
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ problemCode: 'A2', rule: 'late-payment', amountFen: 11500, personIds: [head.id] });
    expect(f!.evidence.paymentLineIds).toEqual(ids(late));
    expect(f!.evidence.paymentLineIds).not.toContain(onTime[0]!.id);
    expect(f!.detail).toContain('2020-04 期于 2020-08-01 才发放');
  });

  it('measures yearly and one-off lines from the end of their year, and honours the option', () => {
    const r = new TestRoster();
    const { members } = r.household(VILLAGE_A, [{}]);
    const head = members[0]!;
    r.pay('farmland', head, ['2020'], { amountFen: 50000, paidOn: () => '2021-03-31' });
    r.pay('tempAid', head, ['2020'], { amountFen: 50000, paidOn: () => '2021-02-01' });
    expect(runAnomalyChecks(r.input(), { rules })).toEqual([]);
    expect(runAnomalyChecks(r.input(), { rules, lateAfterMonths: 1 }).map((f) => f.itemCodes[0])).toEqual(['MZ04', 'NY01'].sort());
  });

  it('never calls an advance payment late', () => {
    const r = new TestRoster();
    const { members } = r.household(VILLAGE_A, [{}]);
    r.pay('veteran', members[0]!, ['2021-Q4'], { paidOn: () => '2021-01-05' });
    expect(runAnomalyChecks(r.input())).toEqual([]);
  });
});
