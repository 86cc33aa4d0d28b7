import { useWatch } from 'react-hook-form';
import { OUTCOMES, type CheckFormBody } from '#shared/schemas/check-form.ts';
import type { HouseholdContext } from '../../../db/check-form-store.ts';
import { checkFormText as c } from '../../../i18n/check-form.zh-CN.ts';
import { ChoiceField, TextField, YesNoField } from '../form-ui.tsx';

export function HouseholdSection({ ctx }: { ctx: HouseholdContext }) {
  const outcome = useWatch<CheckFormBody, 'outcome'>({ name: 'outcome' });
  const hasRelative = useWatch<CheckFormBody, 'household.hasCadreRelative'>({ name: 'household.hasCadreRelative' });
  const rosterRelatives = ctx.persons.filter((p) => p.isCadreRelative === true).map((p) => p.name);
  return (
    <>
      <div className="card">
        <ChoiceField<CheckFormBody['outcome']> name="outcome" label={c.household.outcome} options={OUTCOMES.map((o) => ({ value: o, label: c.household.outcomes[o] }))} columns={3} />
        {outcome !== 'checked' && <TextField name="outcomeReason" label={c.household.reason} hint={c.household.reasonHint} multiline />}
      </div>
      {outcome === 'checked' && (
        <div className="card">
          <div className="pair">
            <TextField name="household.groupName" label={c.household.group} />
            <TextField name="household.houseNumber" label={c.household.houseNumber} />
          </div>
          <TextField name="household.phone" label={c.household.phone} hint={c.household.phoneHint} type="tel" inputMode="tel" />
          <YesNoField name="household.hasCadreRelative" label={c.household.cadreRelative} hint={rosterRelatives.length > 0 ? c.household.rosterSaysRelative(rosterRelatives.join('、')) : undefined} />
          {hasRelative === true && <TextField name="household.cadreRelativeNote" label={c.household.cadreRelativeNote} />}
        </div>
      )}
    </>
  );
}
