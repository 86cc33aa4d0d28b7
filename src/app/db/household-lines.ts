/**
 * Payment lines on the device, one record per household (device-db.ts,
 * version 3). Pull pages bring lines in the server's (xid, id) order, so one
 * household's lines can arrive over several pages: each page merges into the
 * household's record by line id.
 */
import type { SyncPaymentLine } from '#shared/schemas/sync.ts';
import { deviceDb, type HouseholdLinesRow } from './device-db.ts';

/** Call inside a read-write transaction that includes `householdLines`. */
export async function mergePaymentLines(lines: readonly SyncPaymentLine[]): Promise<void> {
  const incoming = new Map<string, SyncPaymentLine[]>();
  for (const l of lines) {
    const list = incoming.get(l.householdId);
    if (list) list.push(l);
    else incoming.set(l.householdId, [l]);
  }
  const ids = [...incoming.keys()];
  const existing = await deviceDb.householdLines.bulkGet(ids);
  const rows: HouseholdLinesRow[] = ids.map((householdId, i) => {
    const fresh = incoming.get(householdId) ?? [];
    const villageCode = fresh[0]?.villageCode ?? '';
    const prev = existing[i];
    if (!prev) return { householdId, villageCode, lines: fresh };
    const byId = new Map(prev.lines.map((l) => [l.id, l]));
    for (const l of fresh) byId.set(l.id, l);
    return { householdId, villageCode, lines: [...byId.values()] };
  });
  await deviceDb.householdLines.bulkPut(rows);
}

/** The ledger lines of one household (any order). */
export async function householdPaymentLines(householdId: string): Promise<SyncPaymentLine[]> {
  return (await deviceDb.householdLines.get(householdId))?.lines ?? [];
}
