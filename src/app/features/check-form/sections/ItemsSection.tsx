import { useMemo } from 'react';
import { useWatch } from 'react-hook-form';
import { itemKeyOfLine, lineInPeriod } from '#shared/domain/check-form-rules.ts';
import { formatYuan } from '#shared/domain/money.ts';
import { DISTRIBUTION, RECEIPT, type CheckFormBody, type ItemCheck } from '#shared/schemas/check-form.ts';
import type { SyncPaymentLine } from '#shared/schemas/sync.ts';
import type { HouseholdContext } from '../../../db/check-form-store.ts';
import { checkFormText as c } from '../../../i18n/check-form.zh-CN.ts';
import { ChoiceField, EntryCard, QuickAnswer, TextField, YesNoField, YuanField, type QuickAnswerValue } from '../form-ui.tsx';

function LedgerLines({ lines }: { lines: readonly SyncPaymentLine[] }) {
  if (lines.length === 0) return null;
  return (
    <details className="ledger">
      <summary>{c.items.lines}</summary>
      <div className="table-scroll">
        <table className="table table-cards">
          <thead>
            <tr>
              <th scope="col">{c.items.linePeriod}</th>
              <th scope="col">{c.items.lineAmount}</th>
              <th scope="col">{c.items.linePaidOn}</th>
              <th scope="col">{c.items.lineAccount}</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l) => (
              <tr key={l.id}>
                <td data-label={c.items.linePeriod}>{l.period}</td>
                <td data-label={c.items.lineAmount}>{formatYuan(l.amountFen)}</td>
                <td data-label={c.items.linePaidOn}>{l.paidOn}</td>
                <td data-label={c.items.lineAccount}>{l.accountMasked}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

function ItemEntry({ index, ctx, lines }: { index: number; ctx: HouseholdContext; lines: readonly SyncPaymentLine[] }) {
  const it = useWatch<CheckFormBody, `items.${number}`>({ name: `items.${index}` });
  const item = ctx.items.find((x) => x.code === it.itemCode);
  const p = `items.${index}` as const;
  const answeredReceipt = it.received !== null && it.received !== 'no';
  // The common case in one tap: everything as the ledger says (only where the ledger has payments).
  const asLedger = useMemo<QuickAnswerValue[]>(
    () =>
      it.ledgerLineCount === 0
        ? []
        : [
            { path: `${p}.knows`, value: true },
            { path: `${p}.received`, value: 'yes' },
            { path: `${p}.amountReceivedFen`, value: it.ledgerAmountFen },
            { path: `${p}.onTime`, value: true },
            { path: `${p}.intoOwnCard`, value: true },
            { path: `${p}.distribution`, value: 'direct' },
          ],
    [p, it.ledgerLineCount, it.ledgerAmountFen],
  );
  return (
    <EntryCard
      level={3}
      title={item?.name ?? it.itemCode}
      badge={item ? <span className="tag">{`${item.department} · ${c.items.unit[item.unit]}`}</span> : null}
      subtitle={
        <>
          <p className="ledger-total">{it.ledgerLineCount > 0 ? c.items.ledger(it.ledgerLineCount, formatYuan(it.ledgerAmountFen)) : c.items.ledgerNone}</p>
          <LedgerLines lines={lines} />
        </>
      }
    >
      {asLedger.length > 0 && (
        <div className="quick">
          <QuickAnswer label={c.items.matchesLedger} appliedLabel={c.items.matchesLedgerApplied} answers={asLedger} />
          <p className="q-hint">{c.items.matchesLedgerHint(item?.unit === 'household')}</p>
        </div>
      )}
      <YesNoField name={`${p}.knows`} label={c.items.knows} yes={c.items.knowsYes} no={c.items.knowsNo} />
      <ChoiceField<NonNullable<ItemCheck['received']>> name={`${p}.received`} label={c.items.received} options={RECEIPT.map((r) => ({ value: r, label: c.items.receipt[r] }))} columns={3} />
      {answeredReceipt && (
        <>
          <YuanField name={`${p}.amountReceivedFen`} label={c.items.amount} ledgerFen={it.ledgerAmountFen > 0 ? it.ledgerAmountFen : undefined} sameLabel={c.items.sameAsLedger} />
          <YesNoField name={`${p}.onTime`} label={c.items.onTime} yes={c.items.onTimeYes} no={c.items.onTimeNo} />
          <YesNoField name={`${p}.intoOwnCard`} label={item?.unit === 'household' ? c.items.ownCardHousehold : c.items.ownCard} />
          <ChoiceField<NonNullable<ItemCheck['distribution']>> name={`${p}.distribution`} label={c.items.distribution} options={DISTRIBUTION.map((d) => ({ value: d, label: c.items.distributions[d] }))} columns={3} />
        </>
      )}
      <TextField name={`${p}.note`} label={c.items.note} />
    </EntryCard>
  );
}

export function ItemsSection({ ctx }: { ctx: HouseholdContext }) {
  const items = useWatch<CheckFormBody, 'items'>({ name: 'items' });
  const members = useWatch<CheckFormBody, 'members'>({ name: 'members' });
  const head = useWatch<CheckFormBody, 'household.headPersonId'>({ name: 'household.headPersonId' });
  const period = useWatch<CheckFormBody, ['periodFrom', 'periodTo']>({ name: ['periodFrom', 'periodTo'] });
  const linesByEntry = useMemo(() => {
    const byCode = new Map(ctx.items.map((i) => [i.code, i]));
    const map = new Map<string, SyncPaymentLine[]>();
    for (const l of ctx.paymentLines) {
      if (!lineInPeriod(l, { from: period[0], to: period[1] })) continue;
      const k = itemKeyOfLine(l, head, byCode);
      const key = `${k.personId}|${k.itemCode}`;
      const list = map.get(key);
      if (list) list.push(l);
      else map.set(key, [l]);
    }
    for (const list of map.values()) list.sort((a, b) => a.paidOn.localeCompare(b.paidOn));
    return map;
  }, [ctx, head, period]);

  if (items.length === 0) return <p className="card muted">{c.items.none}</p>;
  // Grouped by person, in the form's order (head first).
  const groups: { personId: string; indexes: number[] }[] = [];
  items.forEach((it, i) => {
    const last = groups.at(-1);
    if (last?.personId === it.personId) last.indexes.push(i);
    else groups.push({ personId: it.personId, indexes: [i] });
  });
  return (
    <>
      {groups.map((g) => (
        <div key={g.personId} className="group">
          <h2 className="group-title">{members.find((m) => m.personId === g.personId)?.name ?? c.items.notMember}</h2>
          {g.indexes.map((i) => {
            const it = items[i];
            return it ? <ItemEntry key={`${it.personId}|${it.itemCode}`} index={i} ctx={ctx} lines={linesByEntry.get(`${it.personId}|${it.itemCode}`) ?? []} /> : null;
          })}
        </div>
      ))}
    </>
  );
}
