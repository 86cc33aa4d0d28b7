/**
 * The demo's spot check (issue 14): on the first start, the demo supervisor
 * draws a round for the demo inspector's township with a public seed and the
 * default rule (30% of villages, 50% in townships with few problems found,
 * 30% of households), and gives every sampled household to the inspector, so
 * the inspector's phone downloads its re-check list and the supervisor sees
 * a round in progress. It goes through the same draw, publish and
 * assignment as a real round.
 */
import { DEFAULT_SAMPLE_RULE, drawSample } from '#shared/domain/inspection/sample.ts';
import { regionPrefix } from '#shared/domain/region-code.ts';
import type { Database } from '#server/db/client.ts';
import { listRounds } from '#server/db/inspection-repository.ts';
import { findUserByUsername } from '#server/db/users-repository.ts';
import { assignRound, drawInput, publishRound } from '#server/inspection/inspection-service.ts';
import type { AuthUser } from '#server/plugins/auth.ts';

export const DEMO_ROUND_SEED = '随县2026年第一批重点抽查';

async function authUser(database: Database, username: string): Promise<AuthUser | null> {
  const row = await findUserByUsername(database.db, username);
  if (!row || row.disabledAt !== null) return null;
  return { id: row.id, username: row.username, displayName: row.displayName, role: row.role, areaCode: row.areaCode, areaPrefix: regionPrefix(row.areaCode), sessionId: 'demo-seed', mustChangePassword: false };
}

/** Nothing when a round exists already, or the demo supervisor or inspector is missing. */
export async function ensureDemoInspection(database: Database): Promise<{ households: number; villages: number } | null> {
  const supervisor = await authUser(database, 'supervisor');
  const inspector = await authUser(database, 'inspector');
  if (!supervisor || !inspector) return null;
  if ((await listRounds(database.db, supervisor.areaPrefix)).length > 0) return null;
  const areaCode = `${inspector.areaCode.slice(0, 9)}000`;
  const input = await drawInput(database.db, areaCode);
  if (input.townships.length === 0) return null;
  const { inputHash } = drawSample(DEMO_ROUND_SEED, DEFAULT_SAMPLE_RULE, input);
  const round = await publishRound(database.db, supervisor, { name: '第一批重点抽查（演示）', areaCode, seed: DEMO_ROUND_SEED, rule: DEFAULT_SAMPLE_RULE, inputHash }, null);
  const sampledVillages = drawSample(DEMO_ROUND_SEED, DEFAULT_SAMPLE_RULE, input).townships.flatMap((t) => t.sampledVillages.map((v) => v.code));
  const households = await assignRound(database.db, supervisor, round, { inspectorId: inspector.id, villageCodes: sampledVillages }, null);
  return { households, villages: sampledVillages.length };
}
