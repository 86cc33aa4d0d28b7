/**
 * What the public disclosure of a village reads (disclosure/disclosure-service.ts):
 * the village and the regions above it, the policy list, and the village's
 * payments summed per beneficiary, item and period. Never an ID or account.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { rowsOf, type Db } from './client.ts';
import { regions, subsidyItems } from './schema/roster.ts';

export interface VillagePlace {
  code: string;
  name: string;
  township: string;
  county: string;
}

/** The village with its township's and county's names; undefined when no village has that code. */
export async function findVillage(db: Db, code: string): Promise<VillagePlace | undefined> {
  const [village] = await db
    .select({ code: regions.code, name: regions.name })
    .from(regions)
    .where(and(eq(regions.code, code), eq(regions.level, 'village')));
  if (!village) return undefined;
  const above = [`${code.slice(0, 9)}000`, `${code.slice(0, 6)}000000`];
  const names = new Map((await db.select({ code: regions.code, name: regions.name }).from(regions).where(inArray(regions.code, above))).map((r) => [r.code, r.name]));
  return { ...village, township: names.get(above[0] ?? '') ?? '', county: names.get(above[1] ?? '') ?? '' };
}

export async function policyItems(db: Db) {
  return db
    .select({ code: subsidyItems.code, name: subsidyItems.name, department: subsidyItems.department, unit: subsidyItems.unit, period: subsidyItems.period, standardAmountFen: subsidyItems.standardAmountFen })
    .from(subsidyItems)
    .orderBy(asc(subsidyItems.code));
}

export interface VillagePayment {
  personId: string;
  name: string | null;
  groupName: string;
  houseNumber: string;
  itemCode: string;
  period: string;
  amountFen: number;
}

/**
 * The village's payments, summed per beneficiary, item and period, in the order a notice board lists them.
 * Households and persons are read by the village too (a beneficiary is a member of the paid household,
 * which is in the line's village): without it the planner hashes every household and person of the
 * database for one village (71 ms against 10 ms in a 200,000-person county). Sorted bytewise
 * (collate "C"): the order only keeps a household's lines together, and the locale's rules cost
 * half the query.
 */
export async function villagePayments(db: Db, villageCode: string): Promise<VillagePayment[]> {
  return rowsOf<VillagePayment>(
    await db.execute(sql`
      select l."personId", p.name, h.group_name as "groupName", h.house_number as "houseNumber", l."itemCode", l.period, l."amountFen"
      from (
        select beneficiary_person_id as "personId", household_id, item_code as "itemCode", period, sum(amount_fen)::int as "amountFen"
        from payment_lines where village_code = ${villageCode}
        group by beneficiary_person_id, household_id, item_code, period
      ) l
      join (select id, group_name, house_number from households where village_code = ${villageCode}) h on h.id = l.household_id
      left join (select id, name from persons where village_code = ${villageCode}) p on p.id = l."personId"
      order by h.group_name collate "C", h.house_number collate "C", l."personId" collate "C", l."itemCode" collate "C", l.period collate "C"`),
  );
}
