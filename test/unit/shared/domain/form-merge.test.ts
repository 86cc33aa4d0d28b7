import { describe, expect, it } from 'vitest';
import { mergeFormBodies, setAtPath } from '#shared/domain/form-merge.ts';
import type { CheckFormBody, MemberCheck } from '#shared/schemas/check-form.ts';
import { checkFormBody } from '#test/fixtures/check-form.ts';

const HEAD = '421321199001011234';
const SPOUSE = '421321199203042345';
const household = { id: 'h1', villageCode: '421321101200', headPersonId: HEAD };

function member(personId: string, patch: Partial<MemberCheck> = {}): MemberCheck {
  return { personId, name: personId === HEAD ? '李建国' : '王芳', idNumber: null, isNew: false, present: null, identityChecked: null, status: null, statusDate: null, relation: null, note: '', ...patch };
}

function base(): CheckFormBody {
  return checkFormBody(household, { members: [member(HEAD), member(SPOUSE)] });
}

describe('mergeFormBodies', () => {
  it('merges edits to different fields and different members without conflict', () => {
    const b = base();
    const theirs = structuredClone(b);
    theirs.members[0] = member(HEAD, { present: true });
    theirs.publicity.sawResults = true;
    const mine = structuredClone(b);
    mine.members[1] = member(SPOUSE, { present: false, note: '外出务工' });
    mine.household.phone = '13812345678';
    const { merged, conflicts } = mergeFormBodies(b, theirs, mine);
    expect(conflicts).toEqual([]);
    expect(merged.members.map((m) => m.present)).toEqual([true, false]);
    expect(merged.members[1]!.note).toBe('外出务工');
    expect(merged.publicity.sawResults).toBe(true);
    expect(merged.household.phone).toBe('13812345678');
  });

  it('keeps both values of the same field side by side, the server value in the body', () => {
    const b = base();
    const theirs = structuredClone(b);
    theirs.members[0] = member(HEAD, { present: true });
    const mine = structuredClone(b);
    mine.members[0] = member(HEAD, { present: false });
    const { merged, conflicts } = mergeFormBodies(b, theirs, mine);
    expect(conflicts).toEqual([{ path: `members[${HEAD}].present`, mine: false, theirs: true }]);
    expect(merged.members[0]!.present).toBe(true);
  });

  it('identical edits on both sides are not a conflict', () => {
    const b = base();
    const theirs = structuredClone(b);
    theirs.outcomeReason = '';
    theirs.publicity.sawPolicyList = false;
    const mine = structuredClone(theirs);
    expect(mergeFormBodies(b, theirs, mine)).toEqual({ merged: theirs, conflicts: [] });
  });

  it('keeps problems added on either side, matched by key, in a stable order', () => {
    const b = base();
    const theirs = structuredClone(b);
    theirs.problems.push({ key: 'p-server', code: 'A2', amountFen: 1000, description: '少发', personIds: [], source: 'manual' });
    const mine = structuredClone(b);
    mine.problems.push({ key: 'p-device', code: 'C4', amountFen: null, description: '村干部保管存折', personIds: [HEAD], source: 'manual' });
    const { merged, conflicts } = mergeFormBodies(b, theirs, mine);
    expect(conflicts).toEqual([]);
    expect(merged.problems.map((p) => p.key)).toEqual(['p-server', 'p-device']);
    // Deterministic: the same inputs give the same output.
    expect(mergeFormBodies(b, theirs, mine)).toEqual({ merged, conflicts });
  });

  it('removes an entry one side deleted when the other left it alone', () => {
    const b = base();
    b.problems.push({ key: 'p1', code: 'A5', amountFen: null, description: '未公示', personIds: [], source: 'proposed' });
    const theirs = structuredClone(b);
    const mine = structuredClone(b);
    mine.problems = [];
    expect(mergeFormBodies(b, theirs, mine).merged.problems).toEqual([]);
  });
});

describe('setAtPath', () => {
  it('resolves a conflict by keyed path and refuses unknown paths', () => {
    const b = base();
    const resolved = setAtPath(b, `members[${SPOUSE}].present`, true);
    expect(resolved.members[1]!.present).toBe(true);
    expect(b.members[1]!.present).toBeNull();
    expect(setAtPath(b, 'publicity.sawResults', false).publicity.sawResults).toBe(false);
    expect(() => setAtPath(b, 'members[nobody].present', true)).toThrow();
    expect(() => setAtPath(b, 'nosuch.field', 1)).toThrow();
  });
});
