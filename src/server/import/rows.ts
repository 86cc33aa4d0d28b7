/**
 * Row parsers: one data row of a kind → the canonical row, or null when the
 * row has an error. Cells are normalised first (cells.ts), with a Chinese
 * reason per bad cell; the shared zod schema of the kind then runs as the
 * last guard, so a stored row always satisfies the same contract the app
 * and the checks rely on.
 */
import * as z from 'zod/mini';
import { validateAccountNumber } from '#shared/domain/account-number.ts';
import { validateCitizenId } from '#shared/domain/citizen-id.ts';
import { validatePhone } from '#shared/domain/phone.ts';
import { parentRegionCode, validateRegionCode } from '#shared/domain/region-code.ts';
import {
  AccountSchema,
  HouseholdSchema,
  PersonSchema,
  RegionSchema,
  SubsidyItemSchema,
  paymentLineId,
  type Person,
  type Region,
  type Relation,
} from '#shared/schemas/roster.ts';
import {
  cellText,
  choiceWords,
  digitsCell,
  hasReplacementChar,
  hasUnstorableChar,
  parseChoice,
  parseDate,
  parseDecimal2,
  parsePeriod,
  parsePositiveInt,
  parseYesNo,
  parseYuanToFen,
  type CellResult,
  type RawCell,
} from './cells.ts';
import type { RowCursor } from './row-cursor.ts';
import type { AccountRow, HouseholdRow, RegionRow, SubsidyItemRow } from './store.ts';
import { importText as t } from '#server/messages/import.zh-CN.ts';
import { ACCOUNT_TYPE, BASIS, LEVEL, OTHER_RELATION, PERIOD, RELATION, SEX, STATUS, UNIT } from './vocabulary.ts';

// ---------------------------------------------------------------------------
// Field helpers

/**
 * A payment file repeats the same IDs, periods, amounts and dates on row
 * after row (a beneficiary's 24 months, a county's 24 periods): their
 * results are remembered, a bounded number at a time. Only for text cells;
 * every function memoised is pure.
 */
function memoised<T>(fn: (text: string) => T, max = 8192): (raw: RawCell) => T | undefined {
  const cache = new Map<string, T>();
  return (raw) => {
    if (typeof raw !== 'string') return undefined;
    let hit = cache.get(raw);
    if (hit === undefined) {
      if (cache.size >= max) cache.clear();
      hit = fn(raw);
      cache.set(raw, hit);
    }
    return hit;
  };
}

const idOf = memoised((text) => {
  const digits = digitsCell(text, '');
  return digits.ok ? validateCitizenId(digits.value) : null;
});
const dateOf = memoised((text) => parseDate(text));
const periodOf = memoised((text) => parsePeriod(text));
const amountOf = memoised((text) => parseYuanToFen(text));

/** Reports an error on a field and yields no value. */
function bad(c: RowCursor, field: string, reason: string): undefined {
  c.error(field, reason);
  return undefined;
}

function take<T>(c: RowCursor, field: string, result: CellResult<T>): T | undefined {
  if (result.ok) return result.value;
  c.error(field, result.reason);
  return undefined;
}

function text(c: RowCursor, field: string, opts: { required: boolean; max: number; label: string }): string | undefined {
  const value = cellText(c.raw(field));
  if (value === '') {
    if (opts.required) c.error(field, t.cell.required(opts.label));
    return undefined;
  }
  if (value.length > opts.max) {
    c.error(field, t.cell.tooLong(opts.label, opts.max));
    return undefined;
  }
  return value;
}

/** Natural keys end up inside composite keys, so they may not hold ':' or spaces. */
function key(c: RowCursor, field: string, label: string, required = true): string | undefined {
  const raw = digitsCell(c.raw(field), label);
  if (!raw.ok) return take(c, field, raw);
  const value = raw.value;
  if (value === '') {
    if (required) c.error(field, t.cell.required(label));
    return undefined;
  }
  if (value.length > 64) return bad(c, field, t.cell.keyTooLong(label, 64));
  if (/[:\s]/u.test(value)) return bad(c, field, t.cell.keyChars(label));
  return value;
}

function citizenId(c: RowCursor, field: string, label: string = t.label.citizenId): string | undefined {
  const cell = c.raw(field);
  const known = idOf(cell);
  if (known?.ok === true) return known.id;
  const raw = digitsCell(cell, label);
  if (!raw.ok) return take(c, field, raw);
  if (raw.value === '') return bad(c, field, t.cell.required(label));
  const result = validateCitizenId(raw.value);
  if (!result.ok) return bad(c, field, renameField(result.issue.message, t.cell.citizenIdField, label));
  return result.id;
}

/** A shared check's message names the field its own way ('身份证号…'); the row's column may be another ('户主身份证号…'). */
function renameField(message: string, from: string, to: string): string {
  return message.startsWith(from) ? to + message.slice(from.length) : message;
}

function date(c: RowCursor, field: string, required: boolean, label: string): string | undefined {
  const raw = c.raw(field);
  if (cellText(raw) === '') {
    if (required) c.error(field, t.cell.required(label));
    return undefined;
  }
  const r = dateOf(raw) ?? parseDate(raw);
  return r.ok ? r.value : bad(c, field, t.cell.labelled(label, r.reason));
}

function optional<T>(c: RowCursor, field: string, parse: (raw: ReturnType<RowCursor['raw']>) => CellResult<T>): T | undefined {
  const raw = c.raw(field);
  if (cellText(raw) === '') return undefined;
  return take(c, field, parse(raw));
}

function phone(c: RowCursor, field: string): string | undefined {
  const raw = cellText(c.raw(field));
  if (raw === '') return undefined;
  const r = validatePhone(raw);
  if (r.ok) return r.kind === 'none' ? undefined : r.value;
  // A wrong phone number must not keep a person off the roster: keep it as
  // written for the cadre to correct on the visit.
  c.warn(field, t.cell.keptAsWritten(r.message));
  return raw.slice(0, 32);
}

/** Region codes in a roster must be real 12-digit codes; a 6-digit county prefix is padded. */
function regionCode(c: RowCursor, field: string, label: string, opts: { village?: boolean } = {}): string | undefined {
  const raw = digitsCell(c.raw(field), label);
  if (!raw.ok) return take(c, field, raw);
  if (raw.value === '') return bad(c, field, t.cell.required(label));
  const r = validateRegionCode(raw.value);
  if (!r.ok) return bad(c, field, t.cell.labelled(label, r.message));
  if (opts.village === true && r.level !== 'village') return bad(c, field, t.cell.notVillage(label, r.code, t.level[r.level]));
  return r.code;
}

/** Rows decoded from a file that switched encoding part-way show U+FFFD; such text must not be stored. */
export function reportGarbledCells(c: RowCursor): void {
  // Almost every row is clean: look at the cells once before looking up columns.
  if (!c.cells.some((cell) => hasReplacementChar(cell) || hasUnstorableChar(cell))) return;
  for (const [field, i] of c.header.fieldIndex) {
    const cell = c.cells[i] ?? null;
    if (hasUnstorableChar(cell)) {
      c.error(field, t.cell.unstorable);
    } else if (hasReplacementChar(cell)) {
      c.error(field, t.cell.garbled);
    }
  }
}

/** Runs the shared schema over the built row; its issues are reported on the matching columns. */
function guard<S extends z.ZodMiniType>(c: RowCursor, schema: S, value: unknown, fieldOf: Readonly<Record<string, string>> = {}): z.output<S> | null {
  if (c.hasError) return null;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const key = typeof issue.path[0] === 'string' ? issue.path[0] : null;
    const field = key === null ? null : (fieldOf[key] ?? key);
    c.error(field !== null && c.has(field) ? field : null, issue.message);
  }
  return null;
}

// ---------------------------------------------------------------------------
// Regions

const LEVEL_WORDS = choiceWords(LEVEL.words);

export function parseRegion(c: RowCursor): RegionRow | null {
  const code = regionCode(c, 'code', t.label.regionCode);
  const name = text(c, 'name', { required: true, max: 100, label: t.label.regionName });
  let level: Region['level'] | undefined;
  if (code !== undefined) {
    const r = validateRegionCode(code);
    if (r.ok) level = r.level;
    const given = optional(c, 'level', (raw) => parseChoice(raw, LEVEL_WORDS, LEVEL.shown));
    if (given !== undefined && level !== undefined && given !== level) {
      c.error('level', t.row.levelMismatch(code, t.level[level]));
    }
  }
  let parentCode: string | null = null;
  if (cellText(c.raw('parentCode')) !== '') parentCode = regionCode(c, 'parentCode', t.label.parentRegionCode) ?? null;
  else if (code !== undefined) parentCode = parentRegionCode(code);
  return guard(c, RegionSchema, { code, name, level, parentCode });
}

// ---------------------------------------------------------------------------
// Subsidy items

const UNIT_WORDS = choiceWords(UNIT.words);
const PERIOD_WORDS = choiceWords(PERIOD.words);
const BASIS_WORDS = choiceWords(BASIS.words);

export function parseSubsidyItem(c: RowCursor): SubsidyItemRow | null {
  const code = key(c, 'code', t.label.itemCode);
  const name = text(c, 'name', { required: true, max: 100, label: t.label.itemName });
  const department = text(c, 'department', { required: true, max: 50, label: t.label.department });
  const unit = take(c, 'unit', parseChoice(c.raw('unit'), UNIT_WORDS, UNIT.shown));
  const basis = optional(c, 'amountBasis', (raw) => parseChoice(raw, BASIS_WORDS, BASIS.shown));
  const standardAmountFen = take(c, 'standardAmount', parseYuanToFen(c.raw('standardAmount'), { allowZero: true }));
  const period = take(c, 'period', parseChoice(c.raw('period'), PERIOD_WORDS, PERIOD.shown));
  const meansTested = optional(c, 'meansTested', parseYesNo);
  const description = text(c, 'description', { required: false, max: 500, label: t.label.description });
  return guard(
    c,
    SubsidyItemSchema,
    { code, name, department, unit, standardAmountFen, period, amountBasis: basis, meansTested, ...(description === undefined ? {} : { description }) },
    { standardAmountFen: 'standardAmount' },
  );
}

// ---------------------------------------------------------------------------
// Households

export function parseHousehold(c: RowCursor): HouseholdRow | null {
  const id = key(c, 'id', t.label.householdId);
  const villageCode = regionCode(c, 'villageCode', t.label.villageCode, { village: true });
  const groupName = text(c, 'groupName', { required: true, max: 32, label: t.label.groupName });
  const houseNumber = text(c, 'houseNumber', { required: true, max: 32, label: t.label.houseNumber });
  const headPersonId = citizenId(c, 'headPersonId', t.label.headPersonId);
  const tel = phone(c, 'phone');
  const farmlandMu = optional(c, 'farmlandMu', (raw) => parseDecimal2(raw, 100_000));
  return guard(c, HouseholdSchema, {
    id,
    villageCode,
    groupName,
    houseNumber,
    headPersonId,
    ...(tel === undefined ? {} : { phone: tel }),
    ...(farmlandMu === undefined ? {} : { farmlandMu }),
  });
}

// ---------------------------------------------------------------------------
// Persons

const SEX_WORDS = choiceWords(SEX.words);
const STATUS_WORDS = choiceWords(STATUS.words);
const RELATION_WORDS = choiceWords(RELATION.words);

export function parsePerson(c: RowCursor): Person | null {
  const id = citizenId(c, 'id');
  const householdId = key(c, 'householdId', t.label.householdId);
  const name = text(c, 'name', { required: true, max: 50, label: t.label.name });
  const idInfo = id === undefined ? null : validateCitizenId(id);
  const derived = idInfo?.ok === true ? idInfo : null;
  const sex = optional(c, 'sex', (raw) => parseChoice(raw, SEX_WORDS, SEX.shown)) ?? derived?.sex;
  const birthDate = date(c, 'birthDate', false, t.label.birthDate) ?? derived?.birthDate;

  let relation: Relation | undefined;
  const relText = cellText(c.raw('relation'));
  if (relText === '') c.error('relation', t.row.relationRequired);
  else {
    const r = parseChoice(relText, RELATION_WORDS, RELATION.shown);
    if (r.ok) relation = r.value;
    else {
      relation = OTHER_RELATION;
      c.warn('relation', t.row.relationUnknown(relText));
    }
  }

  const status = optional(c, 'status', (raw) => parseChoice(raw, STATUS_WORDS, STATUS.shown)) ?? 'living';
  const statusDate = date(c, 'statusDate', false, t.label.statusDate);
  if (status === 'deceased' && statusDate === undefined && !c.hasError) {
    c.warn('statusDate', t.row.deathDateMissing, null);
  }
  const tel = phone(c, 'phone');
  const isCadreRelative = optional(c, 'isCadreRelative', parseYesNo);
  return guard(c, PersonSchema, {
    id,
    householdId,
    name,
    sex,
    birthDate,
    relation,
    status,
    ...(statusDate === undefined ? {} : { statusDate }),
    ...(tel === undefined ? {} : { phone: tel }),
    ...(isCadreRelative === undefined ? {} : { isCadreRelative }),
  });
}

// ---------------------------------------------------------------------------
// Accounts


const ACCOUNT_TYPE_WORDS = choiceWords(ACCOUNT_TYPE.words);

export function parseAccount(c: RowCursor): Omit<AccountRow, 'villageCode'> | null {
  const type = take(c, 'type', parseChoice(c.raw('type'), ACCOUNT_TYPE_WORDS, ACCOUNT_TYPE.shown));
  const bankName = text(c, 'bankName', { required: true, max: 64, label: t.label.bankName });
  const holderPersonId = citizenId(c, 'holderPersonId', t.label.holderPersonId);
  const openedOn = date(c, 'openedOn', false, t.label.openedOn);
  let number: string | undefined;
  const raw = digitsCell(c.raw('number'), t.label.accountNumber);
  if (!raw.ok) c.error('number', raw.reason);
  else if (type !== undefined) {
    const r = validateAccountNumber(raw.value, type);
    if (!r.ok) c.error('number', r.message);
    else {
      number = r.number;
      if (r.warning !== undefined) c.warn('number', r.warning);
    }
  } else if (raw.value === '') c.error('number', t.cell.required(t.label.accountNumber));
  return guard(c, AccountSchema, { number, type, bankName, holderPersonId, ...(openedOn === undefined ? {} : { openedOn }) });
}

// ---------------------------------------------------------------------------
// Payment lines

/** A line as read from the file; the household and village are settled against the roster later. */
export interface ParsedPaymentLine {
  id: string;
  itemCode: string;
  beneficiaryPersonId: string;
  period: string;
  amountFen: number;
  paidOn: string;
  accountNumber: string;
  bankName: string;
  /** As given in the file, if any. */
  householdId: string | undefined;
  villageCode: string | undefined;
}

export function parsePaymentLine(c: RowCursor): ParsedPaymentLine | null {
  const itemCode = key(c, 'itemCode', t.label.itemCode);
  const beneficiaryPersonId = citizenId(c, 'beneficiaryPersonId');
  const periodRaw = c.raw('period');
  const period = cellText(periodRaw) === '' ? bad(c, 'period', t.row.periodRequired) : take(c, 'period', periodOf(periodRaw) ?? parsePeriod(periodRaw));
  const amountRaw = c.raw('amount');
  const amountFen = take(c, 'amount', amountOf(amountRaw) ?? parseYuanToFen(amountRaw));
  const paidOn = date(c, 'paidOn', true, t.label.paidOn);
  const bankName = text(c, 'bankName', { required: true, max: 64, label: t.label.bankName });
  let accountNumber: string | undefined;
  const acc = digitsCell(c.raw('accountNumber'), t.label.accountNumber);
  if (!acc.ok) c.error('accountNumber', acc.reason);
  else {
    const digits = acc.value.replace(/[\s-]/gu, '');
    if (digits === '') c.error('accountNumber', t.cell.required(t.label.accountNumber));
    else if (!/^\d{8,30}$/u.test(digits)) c.error('accountNumber', t.row.accountDigits);
    else accountNumber = digits;
  }
  const householdId = key(c, 'householdId', t.label.householdId, false);
  const villageCode = cellText(c.raw('villageCode')) === '' ? undefined : regionCode(c, 'villageCode', t.label.villageCode, { village: true });
  const lineIdText = text(c, 'lineId', { required: false, max: 128, label: t.label.lineId });
  const seq = optional(c, 'seq', (raw) => parsePositiveInt(raw, 999));
  if (
    c.hasError ||
    itemCode === undefined ||
    beneficiaryPersonId === undefined ||
    period === undefined ||
    amountFen === undefined ||
    paidOn === undefined ||
    accountNumber === undefined ||
    bankName === undefined
  ) {
    return null;
  }
  // No schema guard here, unlike the other kinds: this is the hot path (half a
  // million lines a county) and every field above is already checked to the
  // schema's rules; test/unit/server/import/rows.test.ts holds the parser to
  // PaymentLineSchema instead.
  const id = lineIdText ?? paymentLineId({ itemCode, beneficiaryPersonId, period, seq: seq ?? 1 });
  return { id, itemCode, beneficiaryPersonId, period, amountFen, paidOn, accountNumber, bankName, householdId, villageCode };
}
