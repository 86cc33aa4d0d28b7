import { describe, expect, it } from 'vitest';
import { runAnomalyChecks } from '#shared/domain/anomalies/index.ts';
import { ids, months, TestRoster, VILLAGE_A } from '#test/fixtures/anomaly-roster.ts';

describe('several-accounts (B1)', () => {
  it('flags a person whose two accounts both receive subsidies', () => {
    const r = new TestRoster();
    const { members } = r.household(VILLAGE_A, [{ name: '王建' }]);
    const head = members[0]!;
    const second = r.openAccount(head);
    const a = r.pay('dibao', head, months('2020-01', '2020-02'));
    const b = r.pay('forest', head, ['2020'], { amountFen: 31500, account: second });
    const [f, ...rest] = runAnomalyChecks(r.input());
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: 'several-accounts', problemCode: 'B1', personIds: [head.id], amountFen: 2 * 48000 + 31500 });
    expect(f!.accountNumbers).toEqual([r.accountOf(head).number, second.number].sort());
    expect(f!.evidence.paymentLineIds).toEqual(ids([...a, ...b]));
    expect(f!.detail).toContain('民政');
    expect(f!.detail).toContain('林业');
  });

  it('ignores a second account that no subsidy flows into', () => {
    const r = new TestRoster();
    const { members } = r.household(VILLAGE_A, [{}]);
    r.openAccount(members[0]!);
    r.pay('dibao', members[0]!, months('2020-01', '2020-02'));
    expect(runAnomalyChecks(r.input())).toEqual([]);
  });
});
