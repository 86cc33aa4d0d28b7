import { regionPrefix } from '#shared/domain/region-code.ts';
import type { Db } from '#server/db/client.ts';
import { refreshCoverage } from '#server/db/coverage-repository.ts';
import { inTransaction } from '#server/db/client.ts';
import { analyzeRosterTables } from '#server/db/maintenance-repository.ts';
import { insertRegionsAndItems, insertRosterBatch, type RosterBatch } from '#server/db/roster-bulk-repository.ts';
import { generateDemoCounty, type DemoCounty } from './generate.ts';

/** The size `npm start` loads into an empty database: a few thousand households, seconds to load. */
export const DEMO_PEOPLE = 8_000;
export const DEMO_SEED = 20_220_601;

/**
 * Loads a generated county into the database in one transaction (all or
 * nothing), a few hundred households at a time so memory stays flat at any
 * size. Calls `progress` with households written so far.
 */
export async function loadDemoCounty(
  db: Db,
  opts: { seed?: number; people?: number; anomalies?: boolean; progress?: (households: number) => void } = {},
): Promise<DemoCounty> {
  const county = generateDemoCounty({ seed: opts.seed ?? DEMO_SEED, people: opts.people ?? DEMO_PEOPLE, anomalies: opts.anomalies ?? true });
  await inTransaction(db, async (tx) => {
    await insertRegionsAndItems(tx, county.regions, county.items);
    let batch: RosterBatch = { households: [], persons: [], accounts: [], paymentLines: [] };
    let written = 0;
    const flush = async () => {
      await insertRosterBatch(tx, batch);
      written += batch.households.length;
      opts.progress?.(written);
      batch = { households: [], persons: [], accounts: [], paymentLines: [] };
    };
    // A planted C2 line may pay into an account of an earlier household, never a later one,
    // so flushing in generation order keeps every reference resolvable.
    for (const b of county.bundles()) {
      batch.households.push(b.household);
      batch.persons.push(...b.persons);
      batch.accounts.push(...b.accounts);
      batch.paymentLines.push(...b.paymentLines);
      if (batch.households.length >= 500) await flush();
    }
    if (batch.households.length > 0) await flush();
  });
  await analyzeRosterTables(db);
  await refreshCoverage(db, regionPrefix(county.countyCode));
  return county;
}
