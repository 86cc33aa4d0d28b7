/**
 * What the server holds for a set of devices, for the fault suite's "nothing
 * lost, nothing doubled" assertions. Only reachable through the test-only
 * route that src/server/sync/faults.ts guards (YKT_FAULTS=1).
 */
import { asc, count, inArray, or } from 'drizzle-orm';
import type { Db } from './client.ts';
import { checkForms, checkFormVersions, syncMutations } from './schema/index.ts';

export async function faultLedger(db: Db, deviceIds: string[], formIds: string[]) {
  const mutations =
    deviceIds.length === 0
      ? []
      : await db
          .select({ id: syncMutations.id, deviceId: syncMutations.deviceId, counter: syncMutations.counter, status: syncMutations.status, payload: syncMutations.payload })
          .from(syncMutations)
          .where(inArray(syncMutations.deviceId, deviceIds))
          .orderBy(asc(syncMutations.deviceId), asc(syncMutations.counter));
  const formConds = [
    ...(deviceIds.length > 0 ? [inArray(checkForms.deviceId, deviceIds)] : []),
    ...(formIds.length > 0 ? [inArray(checkForms.id, formIds)] : []),
  ];
  const forms =
    formConds.length === 0
      ? []
      : await db
          .select({ id: checkForms.id, deviceId: checkForms.deviceId, rev: checkForms.rev, body: checkForms.body, reviewStatus: checkForms.reviewStatus, conflicts: checkForms.conflicts })
          .from(checkForms)
          .where(or(...formConds))
          .orderBy(asc(checkForms.id));
  const versions =
    forms.length === 0
      ? []
      : await db
          .select({ formId: checkFormVersions.formId, rev: checkFormVersions.rev, mutationId: checkFormVersions.mutationId, deviceId: checkFormVersions.deviceId })
          .from(checkFormVersions)
          .where(inArray(checkFormVersions.formId, forms.map((f) => f.id)))
          .orderBy(asc(checkFormVersions.formId), asc(checkFormVersions.rev));
  const total = async (table: typeof checkForms | typeof checkFormVersions | typeof syncMutations) => (await db.select({ n: count() }).from(table))[0]?.n ?? 0;
  return {
    mutations: mutations.map((m) => ({ id: m.id, deviceId: m.deviceId, counter: m.counter, status: m.status, clientTime: (m.payload as { clientTime?: string }).clientTime ?? null })),
    forms,
    versions,
    totals: { forms: await total(checkForms), versions: await total(checkFormVersions), mutations: await total(syncMutations) },
  };
}
