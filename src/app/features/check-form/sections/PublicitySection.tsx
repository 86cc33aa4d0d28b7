import { checkFormText as c } from '../../../i18n/check-form.zh-CN.ts';
import { YesNoField } from '../form-ui.tsx';

export function PublicitySection() {
  return (
    <div className="card">
      <YesNoField name="publicity.sawPolicyList" label={c.publicity.policyList} yes={c.publicity.seen} no={c.publicity.notSeen} />
      <YesNoField name="publicity.sawResults" label={c.publicity.results} yes={c.publicity.seen} no={c.publicity.notSeen} />
    </div>
  );
}
