import { describe, expect, it } from 'vitest';
import {
  allowedLedgerActions,
  decideLedgerAction,
  isLedgerItemOverdue,
  LEDGER_ACTIONS,
  LEDGER_STATES,
  type LedgerAction,
  type LedgerActionKind,
  type LedgerActor,
  type LedgerItemState,
  type LedgerState,
} from '#shared/domain/ledger/lifecycle.ts';

const TODAY = '2026-12-03';
const item = (state: LedgerState, category: LedgerItemState['category'] = 'C'): LedgerItemState => ({
  state,
  category,
  assignment: null,
  referral: null,
  amountInvolvedFen: null,
  amountRecoveredFen: null,
  outcome: null,
});

/** A valid input for each action, so only the state and the actor decide. */
const VALID: Record<LedgerActionKind, LedgerAction> = {
  confirm: { kind: 'confirm' },
  dismiss: { kind: 'dismiss', comment: '经核实为同名不同人' },
  assign: { kind: 'assign', assignment: { unit: '厉山镇民政办', person: '王主任', measure: '追回多发资金并停发', deadline: '2026-12-31' } },
  start: { kind: 'start' },
  'submit-evidence': { kind: 'submit-evidence', comment: '已追回', photos: ['a'.repeat(64), 'b'.repeat(64)] },
  'reject-evidence': { kind: 'reject-evidence', comment: '缺少退款凭证' },
  reverify: { kind: 'reverify' },
  close: { kind: 'close' },
  reopen: { kind: 'reopen', comment: '群众再次反映' },
  refer: { kind: 'refer', referral: { date: '2026-12-01', reference: '随纪移〔2026〕12号' } },
  record: { kind: 'record', amountInvolvedFen: 288_000, amountRecoveredFen: 96_000, outcome: '党内警告' },
};

const COUNTY: LedgerActor = { role: 'supervisor', level: 'county' };

/**
 * The lifecycle of domain.md §6 written out state by state, independently of
 * the rules table: what each action does from each state ('same': recorded,
 * the state stays). Everything not listed is refused with 409.
 */
const EXPECTED: Record<LedgerState, Partial<Record<LedgerActionKind, LedgerState | 'same'>>> = {
  found: { confirm: 'confirmed', dismiss: 'dismissed', record: 'same' },
  confirmed: { dismiss: 'dismissed', assign: 'assigned', refer: 'same', record: 'same' },
  dismissed: { reopen: 'found' },
  assigned: { assign: 'assigned', start: 'rectifying', refer: 'same', record: 'same' },
  rectifying: { 'submit-evidence': 'evidence-submitted', refer: 'same', record: 'same' },
  'evidence-submitted': { 'reject-evidence': 'rectifying', reverify: 'reverified', refer: 'same', record: 'same' },
  reverified: { close: 'closed', refer: 'same', record: 'same' },
  closed: { reopen: 'found', refer: 'same' },
};

const ACTORS = {
  'village cadre': { role: 'cadre', level: 'village' },
  'township inspector': { role: 'inspector', level: 'township' },
  'village supervisor': { role: 'supervisor', level: 'village' },
  'township supervisor': { role: 'supervisor', level: 'township' },
  'county supervisor': { role: 'supervisor', level: 'county' },
  'county admin': { role: 'admin', level: 'county' },
} as const satisfies Record<string, LedgerActor>;
type ActorName = keyof typeof ACTORS;

/** Who may take each action (issue 13: a township confirms and rectifies its own; the county re-verifies and closes). */
const MAY: Record<LedgerActionKind, readonly ActorName[]> = {
  confirm: ['township supervisor', 'county supervisor'],
  dismiss: ['township supervisor', 'county supervisor'],
  assign: ['township supervisor', 'county supervisor'],
  start: ['village cadre', 'township supervisor', 'county supervisor'],
  'submit-evidence': ['village cadre', 'township supervisor', 'county supervisor'],
  'reject-evidence': ['county supervisor'],
  reverify: ['county supervisor'],
  close: ['county supervisor'],
  reopen: ['county supervisor'],
  refer: ['county supervisor'],
  record: ['township supervisor', 'county supervisor'],
};

const fromState = (kind: LedgerActionKind): LedgerState => LEDGER_STATES.find((s) => EXPECTED[s][kind] !== undefined)!;

describe('the ledger lifecycle', () => {
  const cases = LEDGER_STATES.flatMap((state) => LEDGER_ACTIONS.map((kind) => [state, kind] as const));
  it.each(cases)('from %s, %s', (state, kind) => {
    const d = decideLedgerAction(item(state), VALID[kind], COUNTY, TODAY);
    const expected = EXPECTED[state][kind];
    if (expected === undefined) {
      expect(d).toMatchObject({ ok: false, status: 409, code: 'state_not_allowed' });
      return;
    }
    expect(d.ok, JSON.stringify(d)).toBe(true);
    if (d.ok) expect(d.to).toBe(expected === 'same' ? state : expected);
  });

  const roleCases = LEDGER_ACTIONS.flatMap((kind) => (Object.keys(ACTORS) as ActorName[]).map((who) => [kind, who] as const));
  it.each(roleCases)('%s by a %s', (kind, who) => {
    const d = decideLedgerAction(item(fromState(kind)), VALID[kind], ACTORS[who], TODAY);
    if (MAY[kind].includes(who)) expect(d.ok, JSON.stringify(d)).toBe(true);
    else expect(d).toMatchObject({ ok: false, status: 403, code: 'role_not_allowed' });
  });

  it('names the state and the action in a refusal, and who may act', () => {
    expect(decideLedgerAction(item('closed'), VALID.assign, COUNTY, TODAY)).toMatchObject({ message: '“已销号”状态的问题不能“交办整改”' });
    expect(decideLedgerAction(item('reverified'), VALID.close, ACTORS['township supervisor'], TODAY)).toMatchObject({ message: '“销号”应由县级督导操作' });
  });

  it('checks the state before the actor, and the actor before the input', () => {
    expect(decideLedgerAction(item('closed'), { kind: 'dismiss', comment: '' }, ACTORS['village cadre'], TODAY)).toMatchObject({ status: 409 });
    expect(decideLedgerAction(item('found'), { kind: 'dismiss', comment: '' }, ACTORS['village cadre'], TODAY)).toMatchObject({ status: 403 });
    expect(decideLedgerAction(item('found'), { kind: 'dismiss', comment: ' ' }, COUNTY, TODAY)).toMatchObject({ status: 400, field: 'comment' });
  });

  it("checks each action's input, naming the field", () => {
    const assign = (patch: Partial<Extract<LedgerAction, { kind: 'assign' }>['assignment']>) =>
      decideLedgerAction(item('confirmed'), { kind: 'assign', assignment: { ...(VALID.assign as Extract<LedgerAction, { kind: 'assign' }>).assignment, ...patch } }, COUNTY, TODAY);
    expect(assign({ unit: '' })).toMatchObject({ status: 400, field: 'assignment.unit' });
    expect(assign({ person: ' ' })).toMatchObject({ field: 'assignment.person' });
    expect(assign({ measure: '' })).toMatchObject({ field: 'assignment.measure' });
    expect(assign({ deadline: '2026-02-30' })).toMatchObject({ field: 'assignment.deadline', message: '整改时限应为有效日期（年-月-日）' });
    expect(assign({ deadline: '2026-12-02' })).toMatchObject({ field: 'assignment.deadline', message: '整改时限不能早于今天' });
    expect(decideLedgerAction(item('confirmed', 'A'), VALID.refer, COUNTY, TODAY)).toMatchObject({ status: 400, message: '只有C类（违法违规）问题移送纪检监察' });
    expect(decideLedgerAction(item('confirmed'), { kind: 'refer', referral: { date: '2026-12-04', reference: 'x' } }, COUNTY, TODAY)).toMatchObject({ field: 'referral.date' });
    expect(decideLedgerAction(item('confirmed'), { kind: 'refer', referral: { date: '2026-12-01', reference: '' } }, COUNTY, TODAY)).toMatchObject({ field: 'referral.reference' });
    expect(decideLedgerAction(item('rectifying'), { kind: 'submit-evidence', comment: '', photos: [] }, COUNTY, TODAY)).toMatchObject({ field: 'photos' });
    expect(decideLedgerAction(item('rectifying'), { kind: 'submit-evidence', photos: ['c'.repeat(64)] }, COUNTY, TODAY)).toMatchObject({ ok: true, to: 'evidence-submitted' });
    expect(decideLedgerAction(item('found'), { kind: 'record', amountRecoveredFen: -1 }, COUNTY, TODAY)).toMatchObject({ field: 'amountRecoveredFen' });
    expect(decideLedgerAction(item('found'), { kind: 'record', amountInvolvedFen: 1.5 }, COUNTY, TODAY)).toMatchObject({ field: 'amountInvolvedFen' });
    for (const kind of ['reject-evidence', 'reopen'] as const) {
      const from = fromState(kind);
      expect(decideLedgerAction(item(from), { kind, comment: '' }, COUNTY, TODAY)).toMatchObject({ status: 400, field: 'comment' });
    }
  });

  it('keeps what each step records: the assignment, the referral, the money and the outcome', () => {
    let it1 = item('found');
    const steps: LedgerActionKind[] = ['confirm', 'assign', 'refer', 'start', 'submit-evidence', 'reject-evidence', 'submit-evidence', 'reverify', 'record', 'close'];
    const path: LedgerState[] = [];
    for (const kind of steps) {
      const d = decideLedgerAction(it1, VALID[kind], kind === 'start' || kind === 'submit-evidence' ? ACTORS['village cadre'] : COUNTY, TODAY);
      if (!d.ok) throw new Error(`${kind}: ${d.message}`);
      it1 = d.item;
      path.push(d.to);
    }
    expect(path).toEqual(['confirmed', 'assigned', 'assigned', 'rectifying', 'evidence-submitted', 'rectifying', 'evidence-submitted', 'reverified', 'reverified', 'closed']);
    expect(it1).toEqual({
      state: 'closed',
      category: 'C',
      assignment: { unit: '厉山镇民政办', person: '王主任', measure: '追回多发资金并停发', deadline: '2026-12-31' },
      referral: { date: '2026-12-01', reference: '随纪移〔2026〕12号' },
      amountInvolvedFen: 288_000,
      amountRecoveredFen: 96_000,
      outcome: '党内警告',
    });
    // Closed is final until the county reopens it.
    expect(allowedLedgerActions(it1, COUNTY)).toEqual(['reopen', 'refer']);
    expect(allowedLedgerActions(it1, ACTORS['township supervisor'])).toEqual([]);
  });

  it('offers exactly the actions the decision would allow', () => {
    for (const state of LEDGER_STATES) {
      for (const category of ['A', 'C'] as const) {
        for (const actor of Object.values(ACTORS)) {
          const offered = allowedLedgerActions({ state, category }, actor);
          const decided = LEDGER_ACTIONS.filter((kind) => decideLedgerAction(item(state, category), VALID[kind], actor, TODAY).ok);
          expect(offered, `${state} ${category} ${actor.role}/${actor.level}`).toEqual(decided);
        }
      }
    }
  });

  it('marks an item overdue while assigned or rectifying past its deadline, not after the evidence is in', () => {
    const assignment = { unit: 'u', person: 'p', measure: 'm', deadline: '2026-12-02' };
    expect(isLedgerItemOverdue({ state: 'assigned', assignment }, TODAY)).toBe(true);
    expect(isLedgerItemOverdue({ state: 'rectifying', assignment }, TODAY)).toBe(true);
    expect(isLedgerItemOverdue({ state: 'rectifying', assignment: { ...assignment, deadline: TODAY } }, TODAY)).toBe(false);
    expect(isLedgerItemOverdue({ state: 'evidence-submitted', assignment }, TODAY)).toBe(false);
    expect(isLedgerItemOverdue({ state: 'found', assignment: null }, TODAY)).toBe(false);
  });
});

describe('one problem, found twice', () => {
  it('keys a form problem about one person like the anomaly about that person, with the item for per-item codes', async () => {
    const { formProblemKey, personProblemKey } = await import('#shared/domain/ledger/dedupe.ts');
    expect(formProblemKey('f1', { key: 'auto:A2:pKey:MZ01', code: 'A2', personIds: ['pKey'] })).toEqual({ key: personProblemKey('A2', 'pKey', 'MZ01'), personKey: 'pKey', itemCode: 'MZ01' });
    // Late and short for the same person and item: one problem.
    expect(formProblemKey('f1', { key: 'auto:A2:late:pKey:MZ01', code: 'A2', personIds: ['pKey'] }).key).toBe(personProblemKey('A2', 'pKey', 'MZ01'));
    // A3 is about the person, whatever items were paid after death.
    expect(formProblemKey('f1', { key: 'auto:A3:pKey', code: 'A3', personIds: ['pKey'] }).key).toBe(personProblemKey('A3', 'pKey', 'MZ05'));
    expect(personProblemKey('A3', 'pKey', 'MZ05')).toBe(personProblemKey('A3', 'pKey', null));
    expect(personProblemKey('A2', 'pKey', 'MZ05')).not.toBe(personProblemKey('A2', 'pKey', 'MZ01'));
    // A cadre's own problem about one person; about the household or a new member: the form's own.
    expect(formProblemKey('f1', { key: 'manual:9', code: 'C4', personIds: ['pKey'] }).key).toBe(personProblemKey('C4', 'pKey', null));
    expect(formProblemKey('f1', { key: 'auto:A5:household', code: 'A5', personIds: ['pA', 'pB'] }).key).toBe('form:f1:auto:A5:household');
    expect(formProblemKey('f1', { key: 'manual:1', code: 'A3', personIds: ['new:x'] }).key).toBe('form:f1:manual:1');
  });
});
