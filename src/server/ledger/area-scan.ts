/**
 * The anomaly rules over an area one township at a time, so the server holds
 * one township's rows, never a county's (issue 13, item 4). Both the scan
 * into the ledger (scan-runner.ts) and the on-screen scan
 * (POST /api/anomalies/scan) walk an area this way.
 *
 * The one rule that looks across townships (an account collecting for
 * households elsewhere, C2/C3) gets the lines paid into a township's
 * accounts from the rest of the area up front (crossUnitLines, one
 * set-based join), and each finding is kept by one township only (homeUnit),
 * so the walk finds exactly what a scan of the whole area at once finds.
 */
import { isWithinArea } from '#shared/domain/region-code.ts';
import { runAnomalyChecks, type AnomalyAccount, type Finding } from '#shared/domain/anomalies/index.ts';
import { crossUnitLines, loadAnomalyInput, scanUnits } from '#server/db/anomaly-repository.ts';
import type { Database } from '#server/db/client.ts';

export interface UnitScan {
  unit: string;
  findings: Finding[];
  /** The unit's own rows read (context rows from elsewhere not counted). */
  scanned: { households: number; persons: number; accounts: number; paymentLines: number };
  loadMs: number;
  rulesMs: number;
}

export interface AreaScan {
  /** The townships (or the one area) walked, in order. */
  units: string[];
  /** Each unit's findings, one unit at a time. */
  each(): AsyncGenerator<UnitScan, void, undefined>;
}

/**
 * The one unit whose scan keeps a finding: a case seen from several
 * townships (an account collecting across a border) is kept by the township
 * that sees all of it. For an account, that is its holder's, which
 * crossUnitLines gave every line paid into it; for anything else, the
 * township of its first village (its data lies in one household's).
 */
function homeUnit(f: Finding, accounts: readonly AnomalyAccount[], unitLength: number): string {
  if (f.rule === 'account-for-other-households') {
    const ref = f.evidence.accounts[0];
    const account = ref && accounts.find((a) => a.number === ref.number && a.bankName === ref.bankName);
    if (account && account.villageCode) return account.villageCode.slice(0, unitLength);
  }
  return (f.villageCodes[0] ?? '').slice(0, unitLength);
}

export async function areaScan(database: Database, areaPrefix: string): Promise<AreaScan> {
  const units = await scanUnits(database.db, areaPrefix);
  return {
    units,
    async *each() {
      const cross = await crossUnitLines(database.db, areaPrefix);
      for (const unit of units) {
        const started = performance.now();
        const input = await loadAnomalyInput(database, unit, cross.get(unit) ?? []);
        const loaded = performance.now();
        const found = runAnomalyChecks(input, { areaPrefix: unit });
        // A single unit keeps all it sees, as a scan of that area always did.
        const findings = units.length === 1 ? found : found.filter((f) => homeUnit(f, input.accounts, unit.length) === unit);
        const inUnit = (v: string | null | undefined) => v !== null && v !== undefined && isWithinArea(v, unit);
        yield {
          unit,
          findings,
          scanned: {
            households: input.households.filter((h) => inUnit(h.villageCode)).length,
            persons: input.persons.filter((p) => inUnit(p.villageCode)).length,
            accounts: input.accounts.filter((a) => inUnit(a.villageCode)).length,
            paymentLines: input.paymentLines.filter((l) => inUnit(l.villageCode)).length,
          },
          loadMs: loaded - started,
          rulesMs: performance.now() - loaded,
        };
      }
    },
  };
}
