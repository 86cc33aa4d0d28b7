/** prefillForm: the check form as it opens, from the roster and the ledger on the device (check-form-rules.ts). */
import type { AccountCheck, CheckFormBody, ItemCheck, MemberCheck } from '../schemas/check-form.ts';
import { RELATIONS, type Household, type Person, type SubsidyItem } from '../schemas/roster.ts';
import type { SyncAccount, SyncPaymentLine } from '../schemas/sync.ts';
import { type CheckPeriod, lineInPeriod } from './check-form-sections.ts';

export interface PrefillOptions {
  kind?: CheckFormBody['kind'];
  /** When the visit started (ISO with offset); the form opens at the door. */
  visitedAt?: string | null;
}

const RELATION_ORDER = new Map<string, number>(RELATIONS.map((r, i) => [r, i]));

/** Head first, then by relation as on the 户口簿, then oldest first. */
function memberOrder(headId: string) {
  return (a: Person, b: Person): number => {
    if (a.id === headId) return -1;
    if (b.id === headId) return 1;
    const ra = RELATION_ORDER.get(a.relation) ?? 99;
    const rb = RELATION_ORDER.get(b.relation) ?? 99;
    if (ra !== rb) return ra - rb;
    return a.birthDate < b.birthDate ? -1 : a.birthDate > b.birthDate ? 1 : 0;
  };
}

/**
 * Whose entry of the form a payment line belongs to: a household item is the
 * household's entitlement and is asked under the head; a personal item under
 * its beneficiary.
 */
/** A payment line as the form reads it (the device's copy: keys, no full numbers). */
export type LedgerLine = Pick<SyncPaymentLine, 'id' | 'itemCode' | 'beneficiaryPersonId' | 'householdId' | 'period' | 'amountFen' | 'paidOn' | 'accountId' | 'accountMasked' | 'bankName'>;
/** An account as the form reads it. */
export type LedgerAccount = Pick<SyncAccount, 'id' | 'numberMasked' | 'bankName' | 'type' | 'holderPersonId'>;

export function itemKeyOfLine(line: Pick<LedgerLine, 'itemCode' | 'beneficiaryPersonId'>, headPersonId: string, items: ReadonlyMap<string, Pick<SubsidyItem, 'unit'>>): { personId: string; itemCode: string } {
  const unit = items.get(line.itemCode)?.unit;
  return { personId: unit === 'household' ? headPersonId : line.beneficiaryPersonId, itemCode: line.itemCode };
}

export function prefillForm(
  household: Household,
  persons: readonly Person[],
  accounts: readonly LedgerAccount[],
  paymentLines: readonly LedgerLine[],
  items: readonly SubsidyItem[],
  period: CheckPeriod,
  interviewer: string,
  options: PrefillOptions = {},
): CheckFormBody {
  const head = household.headPersonId;
  const members = persons.filter((p) => p.householdId === household.id).sort(memberOrder(head));
  const memberIndex = new Map(members.map((p, i) => [p.id, i]));
  const itemByCode = new Map(items.map((it) => [it.code, it]));
  const itemOrder = new Map(items.map((it, i) => [it.code, i]));
  const lines = paymentLines.filter((l) => l.householdId === household.id);

  // Items: one entry per (person, item) with lines, totals for the period.
  const byEntry = new Map<string, ItemCheck>();
  for (const line of lines) {
    const { personId, itemCode } = itemKeyOfLine(line, head, itemByCode);
    const key = `${personId}|${itemCode}`;
    let entry = byEntry.get(key);
    if (!entry) {
      entry = { personId, itemCode, ledgerAmountFen: 0, ledgerLineCount: 0, knows: null, received: null, amountReceivedFen: null, onTime: null, intoOwnCard: null, distribution: null, note: '' };
      byEntry.set(key, entry);
    }
    if (lineInPeriod(line, period)) {
      entry.ledgerAmountFen += line.amountFen;
      entry.ledgerLineCount += 1;
    }
  }
  const rank = (personId: string) => memberIndex.get(personId) ?? Number.MAX_SAFE_INTEGER;
  const itemChecks = [...byEntry.values()].sort(
    (a, b) => rank(a.personId) - rank(b.personId) || (itemOrder.get(a.itemCode) ?? 999) - (itemOrder.get(b.itemCode) ?? 999) || a.itemCode.localeCompare(b.itemCode),
  );

  // Accounts: every account a member holds, and any other the household's money went into.
  const accountChecks = new Map<string, AccountCheck>();
  const rosterAccount = new Map(accounts.map((a) => [a.id, a]));
  const addAccount = (id: string, masked: string, bankName: string, holderPersonId: string, type: LedgerAccount['type'] | undefined) => {
    if (accountChecks.has(id)) return;
    accountChecks.set(id, {
      accountId: id,
      accountMasked: masked,
      accountNumber: '',
      bankName,
      holderPersonId,
      ...(type ? { accountType: type } : {}),
      heldBy: null,
      cardCount: null,
      bankConfirmed: '',
      feesDeducted: null,
      feeAmountFen: null,
      smsReceived: null,
    });
  };
  for (const a of accounts) if (memberIndex.has(a.holderPersonId)) addAccount(a.id, a.numberMasked, a.bankName, a.holderPersonId, a.type);
  for (const l of lines) {
    const a = rosterAccount.get(l.accountId);
    addAccount(l.accountId, l.accountMasked, l.bankName, a?.holderPersonId ?? '', a?.type);
  }
  const shownOrder = (a: AccountCheck) => `${a.accountMasked ?? ''}|${a.bankName}|${a.accountId ?? ''}`;
  const accountList = [...accountChecks.values()].sort((a, b) => rank(a.holderPersonId) - rank(b.holderPersonId) || shownOrder(a).localeCompare(shownOrder(b)));

  const headPerson = members.find((p) => p.id === head);
  const memberChecks: MemberCheck[] = members.map((p) => ({
    personId: p.id,
    name: p.name,
    idNumber: null,
    isNew: false,
    present: null,
    identityChecked: null,
    // The roster's status is a fact to confirm; the cadre corrects it if wrong.
    status: p.status,
    statusDate: p.statusDate ?? null,
    relation: p.relation,
    note: '',
  }));

  return {
    householdId: household.id,
    villageCode: household.villageCode,
    kind: options.kind ?? 'cadre',
    periodFrom: period.from,
    periodTo: period.to,
    outcome: 'checked',
    outcomeReason: '',
    household: {
      groupName: household.groupName,
      houseNumber: household.houseNumber,
      headPersonId: head,
      phone: household.phone ?? headPerson?.phone ?? '',
      hasCadreRelative: null,
      cadreRelativeNote: '',
    },
    members: memberChecks,
    items: itemChecks,
    accounts: accountList,
    publicity: { sawPolicyList: null, sawResults: null },
    evidence: {
      interviewers: interviewer.trim() === '' ? [] : [interviewer.trim()],
      visitedAt: options.visitedAt ?? null,
      gps: null,
      gpsUnavailableReason: '',
      signatureBlob: null,
      photoBlobs: [],
      remarks: '',
    },
    problems: [],
  };
}
