import { describe, expect, it } from 'vitest';
import { runAnomalyChecks } from '#shared/domain/anomalies/index.ts';
import { BANK, months, OTHER_BANK, TestRoster, VILLAGE_A, VILLAGE_B, VILLAGE_OTHER_TOWNSHIP } from '#test/fixtures/anomaly-roster.ts';

describe('several-agent-banks (B2)', () => {
  it('flags a township paid through two banks and names the extra one', () => {
    const r = new TestRoster();
    for (let i = 0; i < 3; i++) {
      const { members } = r.household(VILLAGE_A, [{}]);
      r.pay('pension', members[0]!, months('2020-01', '2020-03'));
    }
    const extra = r.household(VILLAGE_B, [{}], OTHER_BANK);
    const extraLines = r.pay('pension', extra.members[0]!, months('2020-01', '2020-03'));

    const [f, ...rest] = runAnomalyChecks(r.input());
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      rule: 'several-agent-banks',
      problemCode: 'B2',
      accountNumbers: [r.accountOf(extra.members[0]!).number],
      evidence: { accounts: [{ number: r.accountOf(extra.members[0]!).number, bankName: OTHER_BANK }] },
      villageCodes: [VILLAGE_B],
      amountFen: 3 * 11500,
    });
    // One line proves the account; the smallest id of its lines.
    expect(f!.evidence.paymentLineIds).toEqual([extraLines.map((l) => l.id).sort()[0]]);
    expect(f!.detail).toContain(`${BANK} 9笔（主要代发银行）`);
  });

  it('uses the region name when given, and keeps the id stable', () => {
    const r = new TestRoster();
    const a = r.household(VILLAGE_A, [{}]);
    const b = r.household(VILLAGE_A, [{}], OTHER_BANK);
    r.pay('pension', a.members[0]!, months('2020-01', '2020-02'));
    r.pay('pension', b.members[0]!, ['2020-01']);
    const input = { ...r.input(), regionNames: new Map([['421321101000', '厉山镇']]) };
    const [f] = runAnomalyChecks(input);
    expect(f?.detail).toMatch(/^厉山镇的补贴经 2 家银行代发/);
    r.pay('pension', b.members[0]!, ['2020-02', '2020-03']);
    expect(runAnomalyChecks(r.input())[0]?.id).toBe(f?.id);
  });

  it('accepts a different bank in each township', () => {
    const r = new TestRoster();
    const a = r.household(VILLAGE_A, [{}]);
    const b = r.household(VILLAGE_OTHER_TOWNSHIP, [{}], OTHER_BANK);
    r.pay('pension', a.members[0]!, ['2020-01']);
    r.pay('pension', b.members[0]!, ['2020-01']);
    expect(runAnomalyChecks(r.input())).toEqual([]);
  });
});
