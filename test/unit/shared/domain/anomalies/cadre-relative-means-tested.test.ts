import { describe, expect, it } from 'vitest';
import { runAnomalyChecks } from '#shared/domain/anomalies/index.ts';
import { ids, months, TestRoster, VILLAGE_A } from '#test/fixtures/anomaly-roster.ts';

describe('cadre-relative-means-tested (C1)', () => {
  it("flags a cadre relative's household on 低保 and on a member's means-tested item", () => {
    const r = new TestRoster();
    const { id, members } = r.household(VILLAGE_A, [{ name: '刘平亮' }, { isCadreRelative: true }]);
    const [head, relative] = [members[0]!, members[1]!];
    const dibao = r.pay('dibao', head, months('2020-01', '2020-12'));
    const hardship = r.pay('hardship', relative, months('2020-01', '2020-02'));
    r.pay('pension', relative, months('2020-01', '2020-02'));
    const [f, ...rest] = runAnomalyChecks(r.input());
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: 'cadre-relative-means-tested', problemCode: 'C1', householdIds: [id], amountFen: 12 * 48000 + 2 * 7000 });
    expect(f!.personIds).toEqual([head.id, relative.id].sort());
    expect(f!.evidence.paymentLineIds).toEqual(ids([...dibao, ...hardship]));
  });

  it('leaves non-means-tested items of cadre relatives and 低保 of other households alone', () => {
    const r = new TestRoster();
    const cadre = r.household(VILLAGE_A, [{ isCadreRelative: true }]);
    r.pay('pension', cadre.members[0]!, months('2020-01', '2020-12'));
    r.pay('farmland', cadre.members[0]!, ['2020'], { amountFen: 50000 });
    const poor = r.household(VILLAGE_A, [{}]);
    r.pay('dibao', poor.members[0]!, months('2020-01', '2020-12'));
    expect(runAnomalyChecks(r.input())).toEqual([]);
  });
});
