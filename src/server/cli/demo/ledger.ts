/**
 * The demo's ledger (issue 13, item 7): on the first start, the demo county's
 * planted anomalies go on the ledger, and a few items are taken through the
 * lifecycle by the demo supervisor, so someone trying the demo finds items
 * in every state, one of them overdue, one referred, one closed with money
 * recovered, and one assigned to the demo cadre's village to rectify. Every
 * step goes through the same lifecycle and history as a real one; only
 * "today" is set back for the overdue one's assignment.
 */
import type { LedgerAction } from '#shared/domain/ledger/lifecycle.ts';
import { regionPrefix } from '#shared/domain/region-code.ts';
import type { Database } from '#server/db/client.ts';
import { listLedgerItems } from '#server/db/ledger-repository.ts';
import { findUserByUsername } from '#server/db/users-repository.ts';
import { receiveTip } from '#server/ledger/tips.ts';
import type { AuthUser } from '#server/plugins/auth.ts';
import { insertScan } from '#server/db/scan-repository.ts';
import { runScan } from '#server/ledger/scan-runner.ts';
import { actOnItem, chinaToday } from '#server/ledger/ledger-service.ts';

/** The demo cadre's village (星亮村, cli/demo-data.ts). */
const DEMO_CADRE_VILLAGE = '421321101200';

const daysFrom = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Nothing when the ledger has items already, or there is no demo supervisor. */
export async function ensureDemoLedger(database: Database): Promise<{ items: number } | null> {
  const row = await findUserByUsername(database.db, 'supervisor');
  if (!row || row.disabledAt !== null) return null;
  const supervisor: AuthUser = {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    role: row.role,
    areaCode: row.areaCode,
    areaPrefix: regionPrefix(row.areaCode),
    sessionId: 'demo-seed',
    mustChangePassword: false,
  };
  const today = chinaToday();
  const existing = await listLedgerItems(database.db, supervisor.areaPrefix, { limit: 1 }, today);
  if (existing.rows.length > 0) return null;
  const who = { userId: supervisor.id, username: supervisor.username, ip: null };
  const scan = await runScan(database, (await insertScan(database.db, { areaCode: supervisor.areaCode, trigger: 'manual', ...who })).id, who);
  const { rows } = await listLedgerItems(database.db, supervisor.areaPrefix, { limit: 200 }, today);
  // Oldest first, a few of each code, so the states spread over the kinds of problem.
  const items = [...rows].reverse();
  const pick = (n: number) => items.filter((_, i) => i % 5 === n % 5)[Math.floor(n / 5)];
  const run = async (n: number, steps: LedgerAction[], on = today) => {
    const item = pick(n);
    if (!item) return;
    for (const step of steps) await actOnItem(database.db, supervisor, item.id, step, null, on);
  };
  const assignment = (deadline: string) => ({ unit: '乡镇民政办', person: '民政办主任', measure: '核实情况，停发并追回违规发放资金，完善审核台账', deadline });
  await run(0, [{ kind: 'confirm', comment: '经入户核实，情况属实' }]);
  await run(1, [{ kind: 'dismiss', comment: '经核实为同名同姓，不属于问题' }]);
  await run(2, [{ kind: 'confirm' }, { kind: 'assign', assignment: assignment(daysFrom(today, 30)) }]);
  // Assigned six weeks ago with a month to do it: overdue now.
  await run(3, [{ kind: 'confirm' }, { kind: 'assign', assignment: assignment(daysFrom(today, -12)) }, { kind: 'start' }], daysFrom(today, -42));
  await run(4, [{ kind: 'confirm' }, { kind: 'assign', assignment: assignment(daysFrom(today, 20)) }, { kind: 'start' }, { kind: 'submit-evidence', comment: '已停发，追回资金缴回财政专户，附收据' }]);
  await run(5, [
    { kind: 'confirm' },
    { kind: 'assign', assignment: assignment(daysFrom(today, 15)) },
    { kind: 'start' },
    { kind: 'submit-evidence', comment: '已整改到位' },
    { kind: 'reverify', comment: '县级复核属实' },
  ]);
  await run(6, [
    { kind: 'confirm' },
    { kind: 'assign', assignment: assignment(daysFrom(today, 10)) },
    { kind: 'start' },
    { kind: 'submit-evidence', comment: '资金已全部追回' },
    { kind: 'reverify' },
    { kind: 'record', amountRecoveredFen: 192_000, outcome: '责令退回，对经办人批评教育' },
    { kind: 'close', comment: '整改完成，销号' },
  ]);
  const c = items.find((i) => i.category === 'C' && i.state === 'found' && ![0, 1, 2, 3, 4, 5, 6].some((n) => pick(n)?.id === i.id));
  if (c) {
    await actOnItem(database.db, supervisor, c.id, { kind: 'confirm' }, null);
    await actOnItem(database.db, supervisor, c.id, { kind: 'refer', referral: { date: today, reference: '随纪移〔2026〕1号' } }, null);
  }
  // The demo cadre's village gets a task to rectify (整改任务 on the cadre's phone): a
  // found item there if the scan left one, else a clue taken by phone.
  const village = (await listLedgerItems(database.db, regionPrefix(DEMO_CADRE_VILLAGE), { limit: 50 }, today)).rows.find((i) => i.state === 'found');
  const taskId =
    village?.id ??
    (
      await receiveTip(database.db, { kind: 'card-held', areaCode: DEMO_CADRE_VILLAGE, description: '村民电话反映：本人的一卡通由村里代为保管，补贴到账后被取走' }, 'phone', {
        userId: supervisor.id,
        username: supervisor.username,
      })
    ).id;
  await actOnItem(database.db, supervisor, taskId, { kind: 'confirm' }, null);
  await actOnItem(database.db, supervisor, taskId, { kind: 'assign', assignment: { unit: '星亮村委会', person: '村党支部书记', measure: '入户核实，问题属实的当场纠正，拍照留存整改材料', deadline: daysFrom(today, 20) } }, null);
  return { items: scan.created };
}
