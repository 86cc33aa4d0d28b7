/** Evidence files (blobs), and who may read each. */
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from './client.ts';
import { blobs, checkForms, checkFormVersions, ledgerEvidence, ledgerItems } from './schema/index.ts';

/**
 * Whether `user` may read the blob: they uploaded it, a version of a form in
 * their area references it, or it is evidence of a ledger item in their area.
 */
const readableBy = (sha256: SQL, user: { id: string; area: { lo: string; hi: string | null } }) => sql`(${blobs.userId} = ${user.id} or exists (
    select 1 from ${checkFormVersions} v join ${checkForms} f on f.id = v.form_id
    where (v.body #>> '{evidence,signatureBlob}' = ${sha256} or v.body #> '{evidence,photoBlobs}' @> jsonb_build_array(${sha256}::text))
      and f.village_code >= ${user.area.lo} ${user.area.hi === null ? sql`` : sql`and f.village_code < ${user.area.hi}`})
  or exists (
    select 1 from ${ledgerEvidence} e join ${ledgerItems} i on i.id = e.item_id
    where e.sha256 = ${sha256}
      and i.area_code >= ${user.area.lo} ${user.area.hi === null ? sql`` : sql`and i.area_code < ${user.area.hi}`}))`;

/**
 * The hashes `user` may not reference: missing, or another area's blob
 * (a hash known from elsewhere must not open that area's evidence, which
 * referencing it from one's own form would). The two are one answer, so the
 * reply is no oracle for which hashes exist.
 */
export async function unreadableBlobs(db: Db, hashes: string[], user: { id: string; area: { lo: string; hi: string | null } }): Promise<string[]> {
  if (hashes.length === 0) return [];
  const present = await db
    .select({ h: blobs.sha256 })
    .from(blobs)
    .where(and(inArray(blobs.sha256, hashes), readableBy(sql`${blobs.sha256}`, user)));
  const have = new Set(present.map((r) => r.h));
  return hashes.filter((h) => !have.has(h));
}

/** Records a blob; false when it was already recorded. */
export async function insertBlob(db: Db, b: { sha256: string; size: number; contentType: string; userId: string }): Promise<boolean> {
  const rows = await db.insert(blobs).values(b).onConflictDoNothing().returning({ sha256: blobs.sha256 });
  return rows.length > 0;
}

export async function findBlob(db: Db, sha256: string) {
  const [row] = await db.select().from(blobs).where(eq(blobs.sha256, sha256)).limit(1);
  return row;
}

/**
 * A blob as `user` may read it: one they uploaded, or one that some version of
 * a form in their area references (its signature or one of its photos).
 * Hashes are not secrets: a hash known from elsewhere does not open another
 * area's evidence. Indexed lookups (migration 0004), then the forms' villages.
 */
export async function findBlobForArea(db: Db, sha256: string, user: { id: string; area: { lo: string; hi: string | null } }) {
  const [row] = await db
    .select()
    .from(blobs)
    .where(and(eq(blobs.sha256, sha256), readableBy(sql`${sha256}`, user)))
    .limit(1);
  return row;
}
