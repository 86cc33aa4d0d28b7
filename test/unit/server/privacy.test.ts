import { describe, expect, it } from 'vitest';
import { maskAccount, maskCitizenId } from '#shared/domain/mask.ts';
import type { CheckFormBody } from '#shared/schemas/check-form.ts';
import { loggableError } from '#server/plugins/errors.ts';
import { maskedProblem, maskNumbersInText } from '#server/privacy/import-problems.ts';
import { maskConflict, maskFormBody, restoreMaskedNumbers, unmaskResolution } from '#server/privacy/form-bodies.ts';
import { accountKey, cursorKeysOf as keysOf, openCursor, personKey, sealCursor } from '#server/privacy/keys.ts';

const KEYS = keysOf('a'.repeat(64));
const ID = '421321201501010038';
const CARD = '6217990000000001234';

function body(): CheckFormBody {
  return {
    members: [
      { personId: 'pAbc', name: '李建国', idNumber: null, isNew: false, present: true, identityChecked: true, status: 'living', statusDate: null, relation: '户主', note: '' },
      { personId: 'new:1', name: '李小红', idNumber: ID, isNew: true, present: true, identityChecked: true, status: 'living', statusDate: null, relation: '孙子女', note: '' },
    ],
    accounts: [
      { accountId: 'aKnown', accountMasked: '6217 **** **** 0001', accountNumber: '', bankName: '湖北农信', holderPersonId: 'pAbc', heldBy: 'self', cardCount: 1, bankConfirmed: '', feesDeducted: false, feeAmountFen: null, smsReceived: true },
      { accountNumber: CARD, bankName: '湖北农信', holderPersonId: 'pAbc', isNew: true, heldBy: 'self', cardCount: 2, bankConfirmed: '', feesDeducted: false, feeAmountFen: null, smsReceived: true },
    ],
  } as unknown as CheckFormBody;
}

describe('keys', () => {
  it('are stable for one secret, differ across secrets and kinds, and never show the number', () => {
    expect(personKey(KEYS, ID)).toBe(personKey(KEYS, ID));
    expect(personKey(KEYS, ID)).not.toBe(personKey(keysOf('b'.repeat(64)), ID));
    expect(accountKey(KEYS, CARD, '湖北农信')).not.toBe(accountKey(KEYS, CARD, '邮储银行'));
    expect(personKey(KEYS, ID)).not.toContain(ID.slice(-4));
  });

  it('seal the cursor: only the same database opens it, and a changed byte is refused', () => {
    const sealed = sealCursor(KEYS, `{"p":"${ID}"}`);
    expect(Buffer.from(sealed, 'base64url').toString('latin1')).not.toContain(ID);
    expect(openCursor(KEYS, sealed)).toBe(`{"p":"${ID}"}`);
    // The same positions, the same cursor; other positions, another.
    expect(sealCursor(KEYS, `{"p":"${ID}"}`)).toBe(sealed);
    expect(sealCursor(KEYS, `{"p":"x"}`).slice(0, 16)).not.toBe(sealed.slice(0, 16));
    expect(openCursor(keysOf('b'.repeat(64)), sealed)).toBeNull();
    const bytes = Buffer.from(sealed, 'base64url');
    bytes[14] = (bytes[14] ?? 0) ^ 1;
    expect(openCursor(KEYS, bytes.toString('base64url'))).toBeNull();
    expect(openCursor(KEYS, 'e30')).toBeNull();
  });
});

describe('typed-in numbers in form bodies', () => {
  it('are masked in copies sent out, the stored body untouched', () => {
    const stored = body();
    const out = maskFormBody(stored);
    expect(out.members[1]!.idNumber).toBe(maskCitizenId(ID));
    expect(out.accounts[1]!.accountNumber).toBe(maskAccount(CARD));
    expect(out.accounts[0]).toEqual(stored.accounts[0]);
    expect(stored.members[1]!.idNumber).toBe(ID);
  });

  it('come back in full from the stored body when a masked copy is pushed', () => {
    const stored = body();
    const back = maskFormBody(stored);
    back.members[0]!.note = 'changed';
    const restored = restoreMaskedNumbers(back, stored);
    expect(restored.unresolved).toEqual([]);
    expect(restored.body).toEqual({ ...stored, members: [{ ...stored.members[0], note: 'changed' }, stored.members[1]], accounts: stored.accounts });
  });

  it('report a masked number the stored body cannot fill, by path', () => {
    const back = maskFormBody(body());
    back.members[1]!.personId = 'new:2';
    back.accounts[1]!.bankName = '邮储银行';
    expect(restoreMaskedNumbers(back, body()).unresolved).toEqual(['members.1.idNumber', 'accounts.1.accountNumber']);
    expect(restoreMaskedNumbers(maskFormBody(body()), undefined).unresolved).toEqual(['members.1.idNumber', 'accounts.1.accountNumber']);
    // Not an object, or nothing masked: passed through for the schema to judge.
    expect(restoreMaskedNumbers('x', undefined)).toEqual({ body: 'x', unresolved: [] });
  });

  it('are masked in conflicts, and a masked choice resolves to the full value of its side', () => {
    const c = { path: 'members[new:1].idNumber', mine: ID, theirs: '' };
    expect(maskConflict(c)).toEqual({ ...c, mine: maskCitizenId(ID) });
    expect(unmaskResolution(c, maskCitizenId(ID))).toBe(ID);
    expect(unmaskResolution(c, '')).toBe('');
    expect(maskConflict({ path: 'members[pAbc].note', mine: ID, theirs: 'x' }).mine).toBe(ID);
  });
});

describe('a failed query in the log', () => {
  it('keeps its statement and the database code, not its parameters or the values in detail', () => {
    const cause = Object.assign(new Error('duplicate key value violates unique constraint "persons_pkey"'), { code: '23505', detail: `Key (id)=(${ID}) already exists.` });
    const error = Object.assign(new Error(`Failed query: insert into persons values ($1)\nparams: ${ID}`, { cause }), { query: 'insert into persons values ($1)', params: [ID] });
    const logged = loggableError(error);
    expect(JSON.stringify(logged)).not.toContain(ID);
    expect(logged).toMatchObject({ message: 'Failed query: insert into persons values ($1)', cause: { code: '23505' } });
    const plain = new Error('other');
    expect(loggableError(plain)).toBe(plain);
  });
});

describe("an import's problems as they leave the server", () => {
  it('mask the cell of an ID or account column, and numbers inside a reason, but not region codes or amounts', () => {
    const p = { file: 'a.csv', sheet: null, row: 3, column: '身份证号', value: ID, reason: `身份证号 ${ID} 与第 2 行重复`, severity: 'error' as const };
    expect(maskedProblem(p)).toEqual({ ...p, value: maskCitizenId(ID), reason: `身份证号 ${maskCitizenId(ID)} 与第 2 行重复` });
    expect(maskedProblem({ ...p, column: '账号', value: CARD, reason: '重复' }).value).toBe(maskAccount(CARD));
    expect(maskNumbersInText('区划代码 421321101200 不在区划表中；金额 1234567.89')).toBe('区划代码 421321101200 不在区划表中；金额 1234567.89');
    expect(maskNumbersInText(`账号${CARD}已有`)).toBe(`账号${maskAccount(CARD)}已有`);
    expect(maskNumbersInText('11010519491231002x')).toBe(maskCitizenId('11010519491231002x'));
  });
});
