import { describe, expect, it } from 'vitest';
import { runAnomalyChecks } from '#shared/domain/anomalies/index.ts';
import { ids, months, TestRoster, VILLAGE_A } from '#test/fixtures/anomaly-roster.ts';

const rules = ['paid-to-other-member'] as const;

describe('paid-to-other-member (A4)', () => {
  it("flags a household item paid into a non-head's account", () => {
    const r = new TestRoster();
    const { id, members } = r.household(VILLAGE_A, [{ name: '王杰永' }, { name: '叶慧琴' }]);
    const [head, spouse] = [members[0]!, members[1]!];
    const misrouted = r.pay('farmland', head, ['2020', '2021'], { amountFen: 53130, account: r.accountOf(spouse) });
    r.pay('dibao', head, months('2020-01', '2020-03'));
    const [f, ...rest] = runAnomalyChecks(r.input());
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      rule: 'paid-to-other-member',
      problemCode: 'A4',
      householdIds: [id],
      personIds: [head.id, spouse.id].sort(),
      accountNumbers: [r.accountOf(spouse).number],
      amountFen: 2 * 53130,
    });
    expect(f!.evidence.paymentLineIds).toEqual(ids(misrouted));
    expect(f!.detail).toContain('叶慧琴');
    expect(f!.detail).toContain('1,062.60 元');
  });

  it("flags an adult's personal item paid into a relative's account, not a minor's", () => {
    const r = new TestRoster();
    const { members } = r.household(VILLAGE_A, [
      { birthDate: '1975-05-01' },
      { birthDate: '1940-05-01', account: false },
      { birthDate: '2010-05-01', account: false },
    ]);
    const [head, grandparent, child] = [members[0]!, members[1]!, members[2]!];
    const pension = r.pay('pension', grandparent, months('2020-01', '2020-02'), { account: r.accountOf(head) });
    r.pay('orphan', child, months('2020-01', '2020-02'), { account: r.accountOf(head) });
    const [f, ...rest] = runAnomalyChecks(r.input(), { rules });
    expect(rest).toEqual([]);
    expect(f!.evidence.paymentLineIds).toEqual(ids(pension));
  });

  it('counts the 18th birthday as adult', () => {
    const r = new TestRoster();
    const { members } = r.household(VILLAGE_A, [{}, { birthDate: '2002-03-15', account: false }]);
    const [head, young] = [members[0]!, members[1]!];
    r.pay('care', young, ['2020-02'], { account: r.accountOf(head), paidOn: () => '2020-03-14' });
    expect(runAnomalyChecks(r.input(), { rules })).toEqual([]);
    const adult = r.pay('care', young, ['2020-03'], { account: r.accountOf(head), paidOn: () => '2020-03-15' });
    expect(runAnomalyChecks(r.input(), { rules })[0]?.evidence.paymentLineIds).toEqual(ids(adult));
  });

  it("leaves another household's account to the C2/C3 rule", () => {
    const r = new TestRoster();
    const a = r.household(VILLAGE_A, [{}]);
    const b = r.household(VILLAGE_A, [{}]);
    r.pay('farmland', a.members[0]!, ['2020'], { amountFen: 50000, account: r.accountOf(b.members[0]!) });
    const findings = runAnomalyChecks(r.input());
    expect(findings.map((f) => f.rule)).toEqual(['account-for-other-households']);
  });
});
