import { describe, expect, it } from 'vitest';
import { runAnomalyChecks } from '#shared/domain/anomalies/index.ts';
import { ids, months, TestRoster, VILLAGE_A } from '#test/fixtures/anomaly-roster.ts';

const rules = ['over-standard'] as const;

describe('over-standard (A3)', () => {
  it('flags a period paid twice, with the excess as the amount', () => {
    const r = new TestRoster();
    const { members } = r.household(VILLAGE_A, [{}]);
    const head = members[0]!;
    r.pay('dibao', head, months('2020-01', '2020-06'));
    const twice = r.pay('dibao', head, ['2020-05']);
    const [f, ...rest] = runAnomalyChecks(r.input(), { rules });
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ problemCode: 'A3', amountFen: 48000, itemCodes: ['MZ01'], householdIds: [head.householdId] });
    expect(f!.evidence.paymentLineIds).toEqual(ids([...r.paymentLines.filter((l) => l.period === '2020-05')]));
    expect(f!.evidence.paymentLineIds).toContain(twice[0]!.id);
    expect(f!.detail).toContain('2020-05 实发 960.00 元（2笔）');
  });

  it('accepts a supplementary line that makes up a short period', () => {
    const r = new TestRoster();
    const { members } = r.household(VILLAGE_A, [{}]);
    const head = members[0]!;
    r.pay('dibao', head, ['2020-01'], { amountFen: 40000 });
    r.pay('dibao', head, ['2020-01'], { amountFen: 8000 });
    expect(runAnomalyChecks(r.input())).toEqual([]);
  });

  it('does not judge per-mu or variable items against their standard', () => {
    const r = new TestRoster();
    const { members } = r.household(VILLAGE_A, [{}]);
    r.pay('farmland', members[0]!, ['2020', '2021'], { amountFen: 10500 * 8 });
    r.pay('forest', members[0]!, ['2020', '2021'], { amountFen: 99999 });
    expect(runAnomalyChecks(r.input())).toEqual([]);
  });
});
