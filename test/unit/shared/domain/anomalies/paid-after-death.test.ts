import { describe, expect, it } from 'vitest';
import { runAnomalyChecks } from '#shared/domain/anomalies/index.ts';
import { ids, months, TestRoster, VILLAGE_A } from '#test/fixtures/anomaly-roster.ts';

const rules = ['paid-after-death'] as const;

describe('paid-after-death (A3)', () => {
  it('flags the periods that start after the death, with the money to recover', () => {
    const r = new TestRoster();
    const { members } = r.household(VILLAGE_A, [{}, { name: '王根宝', status: 'deceased', statusDate: '2021-03-20' }]);
    const parent = members[1]!;
    r.pay('pension', parent, months('2021-01', '2021-03'));
    const after = r.pay('pension', parent, months('2021-04', '2021-06'));

    const [f, ...rest] = runAnomalyChecks(r.input(), { rules });
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: 'paid-after-death', problemCode: 'A3', personIds: [parent.id], householdIds: [parent.householdId], amountFen: 3 * 11500 });
    expect(f!.evidence.paymentLineIds).toEqual(ids(after));
    expect(f!.villageCodes).toEqual([VILLAGE_A]);
    expect(f!.detail).toContain('2021-03-20');
    expect(f!.detail).toContain('345.00 元');
    expect(f!.detail).toContain('王根宝');
  });

  it('does not flag the month of death, even when it is paid after the death date', () => {
    const r = new TestRoster();
    const { members } = r.household(VILLAGE_A, [{}, { status: 'deceased', statusDate: '2021-03-10' }]);
    // March is paid on the 15th, after the death on the 10th: still March's money.
    r.pay('pension', members[1]!, months('2021-01', '2021-03'));
    r.pay('veteran', members[1]!, ['2021-Q1']);
    expect(runAnomalyChecks(r.input())).toEqual([]);
  });

  it('flags a period paid in advance before the death when it starts after it', () => {
    const r = new TestRoster();
    const { members } = r.household(VILLAGE_A, [{}, { status: 'deceased', statusDate: '2021-03-20' }]);
    const [q2] = r.pay('veteran', members[1]!, ['2021-Q2'], { paidOn: () => '2021-03-01' });
    const [f] = runAnomalyChecks(r.input(), { rules });
    expect(f?.evidence.paymentLineIds).toEqual([q2!.id]);
  });

  it('judges one-off items by the day paid', () => {
    const r = new TestRoster();
    const { members } = r.household(VILLAGE_A, [{ status: 'deceased', statusDate: '2021-05-01' }]);
    const head = members[0]!;
    r.pay('tempAid', head, ['2021'], { amountFen: 50000, paidOn: () => '2021-04-30' });
    expect(runAnomalyChecks(r.input(), { rules })).toEqual([]);

    const late = r.pay('tempAid', head, ['2021'], { amountFen: 30000, paidOn: () => '2021-05-02' });
    const [f] = runAnomalyChecks(r.input(), { rules });
    expect(f?.evidence.paymentLineIds).toEqual(ids(late));
    expect(f?.amountFen).toBe(30000);
  });

  it('leaves household items alone while someone of the household is living', () => {
    const r = new TestRoster();
    const { members } = r.household(VILLAGE_A, [{ status: 'deceased', statusDate: '2020-06-20' }, {}]);
    r.pay('dibao', members[0]!, months('2020-01', '2020-12'));
    expect(runAnomalyChecks(r.input(), { rules })).toEqual([]);

    // Alone in the household: nobody is left to receive 低保.
    const alone = r.household(VILLAGE_A, [{ status: 'deceased', statusDate: '2020-06-20' }]);
    const after = r.pay('dibao', alone.members[0]!, months('2020-07', '2020-08'));
    const [f, ...rest] = runAnomalyChecks(r.input(), { rules });
    expect(rest).toEqual([]);
    expect(f?.evidence.paymentLineIds).toEqual(ids(after));
  });

  it('skips a deceased person without a date, and the living', () => {
    const r = new TestRoster();
    const { members } = r.household(VILLAGE_A, [{}, { status: 'deceased' }, { status: 'moved-out', statusDate: '2020-01-01' }]);
    r.pay('pension', members[1]!, months('2021-01', '2021-06'));
    r.pay('pension', members[2]!, months('2021-01', '2021-06'));
    expect(runAnomalyChecks(r.input(), { rules })).toEqual([]);
  });
});
