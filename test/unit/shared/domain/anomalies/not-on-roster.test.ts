import { describe, expect, it } from 'vitest';
import { runAnomalyChecks } from '#shared/domain/anomalies/index.ts';
import { TestRoster, VILLAGE_A } from '#test/fixtures/anomaly-roster.ts';

describe('not-on-roster (A6)', () => {
  it('reports a beneficiary, an account and an item that are not on file, each line once', () => {
    const r = new TestRoster();
    const { members } = r.household(VILLAGE_A, [{}]);
    const head = members[0]!;
    const ghost = { ...head, id: '421321195001019991', name: undefined };
    // An unknown person paid into an unknown account: one case (the person), not two.
    r.pay('pension', ghost, ['2020-01', '2020-02'], { account: { number: '6210590000000099999', bankName: '湖北随县农村商业银行', holderPersonId: ghost.id } });
    r.pay('pension', head, ['2020-01'], { account: { number: '6210590000000088888', bankName: '湖北随县农村商业银行', holderPersonId: head.id } });
    r.pay('pension', head, ['2020-02']);
    r.paymentLines.push({ ...r.paymentLines.at(-1)!, id: 'XX99:x:2020-02:1', itemCode: 'XX99' });

    const findings = runAnomalyChecks(r.input());
    expect(findings.every((f) => f.rule === 'not-on-roster' && f.problemCode === 'A6')).toBe(true);
    expect(findings.map((f) => f.title).sort()).toEqual(['发放对象不在花名册', '收款账户不在一卡通账户台账', '补贴项目不在项目清单'].sort());
    const person = findings.find((f) => f.title === '发放对象不在花名册');
    expect(person).toMatchObject({ personIds: [ghost.id], amountFen: 2 * 11500 });
    expect(person!.evidence.paymentLineIds).toHaveLength(2);
    expect(person!.detail).not.toContain(ghost.id);
  });

  it('finds nothing when every line resolves', () => {
    const r = new TestRoster();
    const { members } = r.household(VILLAGE_A, [{}]);
    r.pay('pension', members[0]!, ['2020-01']);
    expect(runAnomalyChecks(r.input())).toEqual([]);
  });
});
