import { useMemo } from 'react';
import { useFieldArray, useWatch } from 'react-hook-form';
import type { SyncPerson } from '#shared/schemas/sync.ts';
import { MEMBER_STATUSES, type CheckFormBody, type MemberCheck } from '#shared/schemas/check-form.ts';
import { RELATIONS } from '#shared/schemas/roster.ts';
import { checkFormText as c } from '../../../i18n/check-form.zh-CN.ts';
import { localToday } from '../datetime.ts';
import { ChoiceField, DateField, EntryCard, QuickAnswer, SelectField, TextField, YesNoField, type QuickAnswerValue } from '../form-ui.tsx';

export function newMember(): MemberCheck {
  return { personId: `new:${crypto.randomUUID()}`, name: '', idNumber: '', isNew: true, present: null, identityChecked: null, status: 'living', statusDate: null, relation: null, note: '' };
}

function MemberEntry({ index, idMaskedOf, onRemove }: { index: number; idMaskedOf: ReadonlyMap<string, string>; onRemove: () => void }) {
  const m = useWatch<CheckFormBody, `members.${number}`>({ name: `members.${index}` });
  const p = `members.${index}` as const;
  // The device holds the masked ID only ('4213**********1234'): its last 4 are what the card is compared with.
  const idMasked = m.isNew ? '' : (idMaskedOf.get(m.personId) ?? '');
  const tail = idMasked.slice(-4);
  const title = m.isNew ? m.name.trim() || c.members.added : m.name;
  return (
    <EntryCard
      title={title}
      tone={m.isNew ? 'new' : undefined}
      badge={m.isNew ? <span className="tag tag-new">{c.members.added}</span> : m.relation ? <span className="tag">{m.relation}</span> : null}
      subtitle={m.isNew || idMasked === '' ? null : `${c.members.id} ${idMasked}`}
    >
      {m.isNew && (
        <>
          <TextField name={`${p}.name`} label={c.members.name} autoComplete="off" />
          <TextField name={`${p}.idNumber`} label={c.members.idNumber} inputMode="text" />
          <SelectField name={`${p}.relation`} label={c.members.relation} placeholder={c.members.relationPlaceholder} options={RELATIONS.map((r) => ({ value: r, label: r }))} />
        </>
      )}
      <YesNoField name={`${p}.present`} label={c.members.present} yes={c.members.presentYes} no={c.members.presentNo} />
      {m.present === true && !m.isNew && <YesNoField name={`${p}.identityChecked`} label={c.members.identity} hint={c.members.identityHint(tail)} yes={c.members.identityYes} no={c.members.identityNo} />}
      {m.present === true && m.isNew && <YesNoField name={`${p}.identityChecked`} label={c.members.identity} yes={c.members.identityYes} no={c.members.identityNo} />}
      <ChoiceField name={`${p}.status`} label={c.members.status} options={MEMBER_STATUSES.map((s) => ({ value: s, label: c.members.statuses[s] }))} columns={2} />
      {m.status !== null && m.status !== 'living' && <DateField name={`${p}.statusDate`} label={c.members.statusDate[m.status]} max={localToday()} />}
      <TextField name={`${p}.note`} label={c.members.note} />
      {m.isNew && (
        <button type="button" className="btn btn-danger-text" onClick={onRemove}>
          {c.members.remove}
        </button>
      )}
    </EntryCard>
  );
}

/** `persons`: the household's roster rows, for the masked IDs the form body does not carry. */
export function MembersSection({ persons }: { persons: readonly SyncPerson[] }) {
  const { fields, append, remove } = useFieldArray<CheckFormBody, 'members'>({ name: 'members' });
  const idMaskedOf = useMemo(() => new Map(persons.map((p) => [p.id, p.idMasked])), [persons]);
  const allPresent = fields.flatMap((_, i): QuickAnswerValue[] => [
    { path: `members.${i}.present`, value: true },
    { path: `members.${i}.identityChecked`, value: true },
  ]);
  return (
    <>
      {fields.length > 0 && <QuickAnswer label={c.members.allPresent} appliedLabel={c.members.allPresentApplied} answers={allPresent} />}
      {fields.map((f, i) => (
        <MemberEntry key={f.id} index={i} idMaskedOf={idMaskedOf} onRemove={() => remove(i)} />
      ))}
      <button type="button" className="btn btn-block btn-add" onClick={() => append(newMember(), { shouldFocus: false })}>
        {c.members.add}
      </button>
    </>
  );
}
