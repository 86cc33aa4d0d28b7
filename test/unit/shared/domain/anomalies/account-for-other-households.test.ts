import { describe, expect, it } from 'vitest';
import { runAnomalyChecks } from '#shared/domain/anomalies/index.ts';
import { ids, months, TestRoster, VILLAGE_A, VILLAGE_B } from '#test/fixtures/anomaly-roster.ts';

describe('account-for-other-households (C2/C3)', () => {
  it("flags an account receiving for a person of another household as C2", () => {
    const r = new TestRoster();
    const holder = r.household(VILLAGE_A, [{ name: '高正清' }]);
    const other = r.household(VILLAGE_B, [{}, { name: '高燕春', account: false }]);
    r.pay('pension', holder.members[0]!, months('2020-01', '2020-03'));
    const foreign = r.pay('care', other.members[1]!, months('2020-01', '2020-03'), { account: r.accountOf(holder.members[0]!) });
    const [f, ...rest] = runAnomalyChecks(r.input());
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      rule: 'account-for-other-households',
      problemCode: 'C2',
      householdIds: [holder.id, other.id].sort(),
      personIds: [holder.members[0]!.id, other.members[1]!.id].sort(),
      accountNumbers: [r.accountOf(holder.members[0]!).number],
      villageCodes: [VILLAGE_A, VILLAGE_B],
      amountFen: 3 * 8000,
    });
    expect(f!.evidence.paymentLineIds).toEqual(ids(foreign));
    expect(f!.detail).toContain('高燕春');
  });

  it('calls one account collecting for three other households C3, with the same id', () => {
    const r = new TestRoster();
    const cadre = r.household(VILLAGE_A, [{}]);
    const account = r.accountOf(cadre.members[0]!);
    const first = r.household(VILLAGE_A, [{ account: false }]);
    r.pay('pension', first.members[0]!, ['2020-01'], { account });
    const c2 = runAnomalyChecks(r.input());
    expect(c2.map((f) => f.problemCode)).toEqual(['C2']);

    for (let i = 0; i < 2; i++) r.pay('pension', r.household(VILLAGE_A, [{ account: false }]).members[0]!, ['2020-01'], { account });
    const c3 = runAnomalyChecks(r.input());
    expect(c3.map((f) => f.problemCode)).toEqual(['C3']);
    expect(c3[0]!.id).toBe(c2[0]!.id);
    expect(runAnomalyChecks(r.input(), { collectorMinHouseholds: 4 }).map((f) => f.problemCode)).toEqual(['C2']);
  });

  it('does not flag payments among members of one household here', () => {
    const r = new TestRoster();
    const { members } = r.household(VILLAGE_A, [{}, { account: false, birthDate: '2012-01-01' }]);
    r.pay('orphan', members[1]!, months('2020-01', '2020-03'), { account: r.accountOf(members[0]!) });
    expect(runAnomalyChecks(r.input())).toEqual([]);
  });
});
