import { useFieldArray, useWatch } from 'react-hook-form';
import { normalizeAccountNumber } from '#shared/domain/account-number.ts';
import { accountShown, HOLDERS, type AccountCheck, type CheckFormBody } from '#shared/schemas/check-form.ts';
import { ACCOUNT_TYPES } from '#shared/schemas/roster.ts';
import { checkFormText as c } from '../../../i18n/check-form.zh-CN.ts';
import { ChoiceField, CountField, EntryCard, SelectField, TextField, YesNoField, YuanField } from '../form-ui.tsx';

function newAccount(holderPersonId: string): AccountCheck {
  return { accountNumber: '', bankName: '', holderPersonId, accountType: 'card', isNew: true, heldBy: null, cardCount: null, bankConfirmed: '', feesDeducted: null, feeAmountFen: null, smsReceived: null };
}

function AccountEntry({ index, onRemove }: { index: number; onRemove: () => void }) {
  const a = useWatch<CheckFormBody, `accounts.${number}`>({ name: `accounts.${index}` });
  const members = useWatch<CheckFormBody, 'members'>({ name: 'members' });
  const p = `accounts.${index}` as const;
  const holder = members.find((m) => m.personId === a.holderPersonId);
  const isNew = a.isNew === true;
  const typeLabel = a.accountType ? c.accounts.type[a.accountType] : '';
  return (
    <EntryCard
      tone={isNew ? 'new' : undefined}
      title={isNew ? c.accounts.added : `${a.bankName} ${accountShown(a)}`}
      badge={typeLabel ? <span className="tag">{typeLabel}</span> : null}
      subtitle={isNew ? null : holder ? c.accounts.holder(holder.name) : c.accounts.holderUnknown}
    >
      {isNew && (
        <>
          <SelectField name={`${p}.holderPersonId`} label={c.accounts.newHolder} placeholder={c.accounts.choose} options={members.filter((m) => m.name.trim() !== '').map((m) => ({ value: m.personId, label: m.name }))} />
          <ChoiceField name={`${p}.accountType`} label={c.accounts.newType} options={ACCOUNT_TYPES.map((t) => ({ value: t, label: c.accounts.type[t] }))} columns={3} />
          <TextField name={`${p}.accountNumber`} label={c.accounts.newNumber} inputMode="numeric" normalize={normalizeAccountNumber} />
          <TextField name={`${p}.bankName`} label={c.accounts.newBank} />
        </>
      )}
      <ChoiceField name={`${p}.heldBy`} label={c.accounts.heldBy} options={HOLDERS.map((h) => ({ value: h, label: c.accounts.holders[h] }))} columns={2} />
      <CountField name={`${p}.cardCount`} label={c.accounts.cardCount} />
      {!isNew && <TextField name={`${p}.bankConfirmed`} label={c.accounts.bankConfirmed} hint={c.accounts.bank(a.bankName)} />}
      <YesNoField name={`${p}.feesDeducted`} label={c.accounts.fees} />
      {a.feesDeducted === true && <YuanField name={`${p}.feeAmountFen`} label={c.accounts.feeAmount} />}
      <YesNoField name={`${p}.smsReceived`} label={c.accounts.sms} yes={c.accounts.smsYes} no={c.accounts.smsNo} />
      {isNew && (
        <button type="button" className="btn btn-danger-text" onClick={onRemove}>
          {c.accounts.remove}
        </button>
      )}
    </EntryCard>
  );
}

export function AccountsSection() {
  const { fields, append, remove } = useFieldArray<CheckFormBody, 'accounts'>({ name: 'accounts' });
  const head = useWatch<CheckFormBody, 'household.headPersonId'>({ name: 'household.headPersonId' });
  return (
    <>
      {fields.length === 0 && <p className="card muted">{c.accounts.none}</p>}
      {fields.map((f, i) => (
        <AccountEntry key={f.id} index={i} onRemove={() => remove(i)} />
      ))}
      <button type="button" className="btn btn-block btn-add" onClick={() => append(newAccount(head), { shouldFocus: false })}>
        {c.accounts.add}
      </button>
    </>
  );
}
