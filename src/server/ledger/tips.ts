/**
 * Tip-offs (举报线索, issue 13, item 5): a citizen's report from the public
 * page, or a clue a supervisor takes by phone, becomes a ledger item in
 * `found`. The reporter's contact is kept apart (ledger_tips): only a
 * county-level supervisor sees it, and each look is in the audit log.
 */
import { randomUUID } from 'node:crypto';
import { validatePhone } from '#shared/domain/phone.ts';
import { regionLevel } from '#shared/domain/region-code.ts';
import { PROBLEM_CODES } from '#shared/domain/problem-codes.ts';
import { TIP_KINDS, type Tip } from '#shared/schemas/ledger.ts';
import { inTransaction, type Db } from '#server/db/client.ts';
import { insertTip, itemIdOfKey, itemNumber, recordFinding } from '#server/db/ledger-repository.ts';
import { findRegion } from '#server/db/regions-repository.ts';
import { apiText } from '#server/messages/api.zh-CN.ts';
import { HttpError } from '#server/plugins/errors.ts';

const t = apiText.tips;
const field = (path: string, message: string) => new HttpError(400, 'validation', message, [{ path: `body.${path}`, message }]);

export async function receiveTip(db: Db, tip: Tip, via: 'web' | 'phone', by: { userId: string | null; username: string | null }): Promise<{ id: string; number: number }> {
  const level = regionLevel(tip.areaCode);
  if (level !== 'village' && level !== 'township') throw field('areaCode', t.areaLevel);
  if (!(await findRegion(db, tip.areaCode))) throw field('areaCode', t.unknownArea);
  let phone: string | null = null;
  if (tip.contactPhone !== undefined && tip.contactPhone !== '') {
    const p = validatePhone(tip.contactPhone);
    if (!p.ok) throw field('contactPhone', t.badPhone(p.message));
    phone = p.kind === 'none' ? null : p.value;
  }
  const kind = TIP_KINDS.find((k) => k.kind === tip.kind) ?? TIP_KINDS[TIP_KINDS.length - 1];
  if (kind === undefined) throw new Error('no tip kinds');
  const category = PROBLEM_CODES.find((p) => p.code === kind.code)?.category ?? 'A';
  const ref = `tip:${randomUUID()}`;
  const place = tip.place === undefined || tip.place === '' ? null : tip.place;
  return inTransaction(db, async (tx) => {
    await recordFinding(
      tx,
      {
        kind: 'tip',
        ref,
        dedupeKey: ref,
        problemCode: kind.code,
        category,
        areaCode: tip.areaCode,
        householdId: null,
        personKey: null,
        itemCode: null,
        title: kind.label,
        description: place === null ? tip.description : `${tip.description}${t.place(place)}`,
        amountInvolvedFen: null,
      },
      by,
    );
    const id = await itemIdOfKey(tx, ref);
    if (id === undefined) throw new Error('tip item vanished');
    await insertTip(tx, { itemId: id, via, contactName: tip.contactName === undefined || tip.contactName === '' ? null : tip.contactName, contactPhone: phone, place });
    return { id, number: (await itemNumber(tx, id)) ?? 0 };
  });
}
