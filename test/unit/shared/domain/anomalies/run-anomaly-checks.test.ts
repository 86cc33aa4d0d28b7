import { describe, expect, it } from 'vitest';
import { countFindings, runAnomalyChecks } from '#shared/domain/anomalies/index.ts';
import { months, OTHER_BANK, TestRoster, VILLAGE_A, VILLAGE_B, VILLAGE_OTHER_TOWNSHIP } from '#test/fixtures/anomaly-roster.ts';

/** One case of several rules in two townships. */
function mixedRoster(): TestRoster {
  const r = new TestRoster();
  const a = r.household(VILLAGE_A, [{}, { status: 'deceased', statusDate: '2020-02-20' }]);
  r.pay('pension', a.members[1]!, months('2020-01', '2020-04'));
  const b = r.household(VILLAGE_B, [{ isCadreRelative: true }]);
  r.pay('dibao', b.members[0]!, months('2020-01', '2020-03'));
  const c = r.household(VILLAGE_OTHER_TOWNSHIP, [{}]);
  const second = r.openAccount(c.members[0]!, OTHER_BANK);
  r.pay('pension', c.members[0]!, months('2020-01', '2020-02'));
  r.pay('care', c.members[0]!, months('2020-01', '2020-02'), { account: second });
  return r;
}

describe('runAnomalyChecks', () => {
  it('returns findings in code order, and the counts per code and rule', () => {
    const findings = runAnomalyChecks(mixedRoster().input());
    expect(findings.map((f) => `${f.problemCode} ${f.rule}`)).toEqual([
      'A3 paid-after-death',
      'B1 several-accounts',
      'B2 several-agent-banks',
      'C1 cadre-relative-means-tested',
    ]);
    const counts = countFindings(findings);
    expect(counts.total).toBe(4);
    expect(counts.byProblemCode).toMatchObject({ A3: 1, B1: 1, B2: 1, C1: 1, A2: 0, C2: 0 });
    expect(counts.byRule['paid-after-death']).toBe(1);
    expect(counts.amountFen).toBe(findings.reduce((s, f) => s + f.amountFen, 0));
  });

  it('gives the same findings and ids whatever the order of the rows', () => {
    const r = mixedRoster();
    const input = r.input();
    const reversed = {
      items: [...r.items].reverse(),
      households: [...r.households].reverse(),
      persons: [...r.persons].reverse(),
      accounts: [...r.accounts].reverse(),
      paymentLines: [...r.paymentLines].reverse(),
    };
    expect(runAnomalyChecks(reversed)).toEqual(runAnomalyChecks(input));
  });

  it('runs only the rules asked for', () => {
    const findings = runAnomalyChecks(mixedRoster().input(), { rules: ['several-accounts', 'paid-after-death'] });
    expect(findings.map((f) => f.rule)).toEqual(['paid-after-death', 'several-accounts']);
  });

  it('keeps only findings touching the area', () => {
    const input = mixedRoster().input();
    expect(runAnomalyChecks(input, { areaPrefix: '421321101' }).map((f) => f.problemCode)).toEqual(['A3', 'C1']);
    expect(runAnomalyChecks(input, { areaPrefix: VILLAGE_B }).map((f) => f.problemCode)).toEqual(['C1']);
    expect(runAnomalyChecks(input, { areaPrefix: '421321102' }).map((f) => f.problemCode)).toEqual(['B1', 'B2']);
    expect(runAnomalyChecks(input, { areaPrefix: '4202' })).toEqual([]);
  });

  it('uses an out-of-area account and its holder as context for a line of the area', () => {
    const r = new TestRoster();
    const outside = r.household(VILLAGE_OTHER_TOWNSHIP, [{}]);
    const inside = r.household(VILLAGE_A, [{ account: false }]);
    r.pay('pension', inside.members[0]!, ['2020-01'], { account: r.accountOf(outside.members[0]!) });
    // What the server loads for 厉山镇: its own rows, plus the foreign account and holder.
    const scoped = {
      ...r.input(),
      households: r.households.filter((h) => h.villageCode === VILLAGE_A),
    };
    const [f, ...rest] = runAnomalyChecks(scoped, { areaPrefix: '421321101' });
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ problemCode: 'C2', villageCodes: [VILLAGE_A, VILLAGE_OTHER_TOWNSHIP] });
  });
});
