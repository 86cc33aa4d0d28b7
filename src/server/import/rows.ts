/**
 * Row parsers: one data row of a kind → the canonical row, or null when the
 * row has an error. Cells are normalised first (cells.ts), with a Chinese
 * reason per bad cell; the shared zod schema of the kind then runs as the
 * last guard, so a stored row always satisfies the same contract the app
 * and the checks rely on.
 */
import * as z from 'zod/mini';
import { validateAccountNumber, type AccountType } from '#shared/domain/account-number.ts';
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
  type PersonStatus,
  type Region,
  type Relation,
  type Sex,
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
    if (opts.required) c.error(field, `${opts.label}不能为空`);
    return undefined;
  }
  if (value.length > opts.max) {
    c.error(field, `${opts.label}不能超过 ${opts.max} 个字`);
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
    if (required) c.error(field, `${label}不能为空`);
    return undefined;
  }
  if (value.length > 64) return bad(c, field, `${label}不能超过 64 个字符`);
  if (/[:\s]/u.test(value)) return bad(c, field, `${label}不能包含空格或冒号`);
  return value;
}

function citizenId(c: RowCursor, field: string, label = '身份证号'): string | undefined {
  const cell = c.raw(field);
  const known = idOf(cell);
  if (known?.ok === true) return known.id;
  const raw = digitsCell(cell, label);
  if (!raw.ok) return take(c, field, raw);
  if (raw.value === '') return bad(c, field, `${label}不能为空`);
  const result = validateCitizenId(raw.value);
  if (!result.ok) return bad(c, field, label === '身份证号' ? result.issue.message : result.issue.message.replace(/^身份证号/u, label));
  return result.id;
}

function date(c: RowCursor, field: string, required: boolean, label: string): string | undefined {
  const raw = c.raw(field);
  if (cellText(raw) === '') {
    if (required) c.error(field, `${label}不能为空`);
    return undefined;
  }
  const r = dateOf(raw) ?? parseDate(raw);
  return r.ok ? r.value : bad(c, field, `${label}：${r.reason}`);
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
  c.warn(field, `${r.message}；已按原样导入`);
  return raw.slice(0, 32);
}

/** Region codes in a roster must be real 12-digit codes; a 6-digit county prefix is padded. */
function regionCode(c: RowCursor, field: string, label: string, opts: { village?: boolean } = {}): string | undefined {
  const raw = digitsCell(c.raw(field), label);
  if (!raw.ok) return take(c, field, raw);
  if (raw.value === '') return bad(c, field, `${label}不能为空`);
  const r = validateRegionCode(raw.value);
  if (!r.ok) return bad(c, field, `${label}：${r.message}`);
  if (opts.village === true && r.level !== 'village') return bad(c, field, `${label}应为村（社区）级的12位代码，${r.code} 是${LEVEL_LABEL[r.level]}级`);
  return r.code;
}

/** Rows decoded from a file that switched encoding part-way show U+FFFD; such text must not be stored. */
export function reportGarbledCells(c: RowCursor): void {
  // Almost every row is clean: look at the cells once before looking up columns.
  if (!c.cells.some((cell) => hasReplacementChar(cell) || hasUnstorableChar(cell))) return;
  for (const [field, i] of c.header.fieldIndex) {
    const cell = c.cells[i] ?? null;
    if (hasUnstorableChar(cell)) {
      c.error(field, '含有控制字符 U+0000 或无效的 Unicode 字符，无法保存；请删除该字符后重新导入');
    } else if (hasReplacementChar(cell)) {
      c.error(field, '含有无法识别的字符：文件可能混用了 UTF-8 和 GBK 编码；请在 Excel 中打开后另存为“CSV UTF-8”再导入');
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

const LEVEL_LABEL: Readonly<Record<Region['level'], string>> = { province: '省', city: '市', county: '县', township: '乡镇', village: '村' };
const LEVEL_WORDS = choiceWords<Region['level']>({
  province: ['省', '省级', '自治区', '直辖市'],
  city: ['市', '地级', '地级市', '市级', '州', '盟'],
  county: ['县', '区', '县级', '县区', '县级市'],
  township: ['乡', '镇', '乡镇', '街道', '乡级', '乡镇级'],
  village: ['村', '社区', '村级', '居委会', '村委会', '村(社区)'],
});

export function parseRegion(c: RowCursor): RegionRow | null {
  const code = regionCode(c, 'code', '区划代码');
  const name = text(c, 'name', { required: true, max: 100, label: '区划名称' });
  let level: Region['level'] | undefined;
  if (code !== undefined) {
    const r = validateRegionCode(code);
    if (r.ok) level = r.level;
    const given = optional(c, 'level', (raw) => parseChoice(raw, LEVEL_WORDS, ['省', '市', '县', '乡镇', '村']));
    if (given !== undefined && level !== undefined && given !== level) {
      c.error('level', `级别与区划代码不符：${code} 是${LEVEL_LABEL[level]}级`);
    }
  }
  let parentCode: string | null = null;
  if (cellText(c.raw('parentCode')) !== '') parentCode = regionCode(c, 'parentCode', '上级区划代码') ?? null;
  else if (code !== undefined) parentCode = parentRegionCode(code);
  return guard(c, RegionSchema, { code, name, level, parentCode });
}

// ---------------------------------------------------------------------------
// Subsidy items

const UNIT_WORDS = choiceWords<'household' | 'person'>({ household: ['按户', '户', '家庭'], person: ['按人', '人', '个人'] });
const PERIOD_WORDS = choiceWords<'month' | 'quarter' | 'half-year' | 'year' | 'once'>({
  month: ['按月', '月', '每月', '月度'],
  quarter: ['按季', '季', '季度', '按季度', '每季'],
  'half-year': ['按半年', '半年', '每半年'],
  year: ['按年', '年', '每年', '年度'],
  once: ['一次性', '一次'],
});
const BASIS_WORDS = choiceWords<'fixed' | 'per-mu' | 'variable'>({
  fixed: ['固定标准', '固定', '定额', '标准'],
  'per-mu': ['按亩', '按面积', '亩'],
  variable: ['据实', '不定', '按实际', '变动', '核定'],
});

export function parseSubsidyItem(c: RowCursor): SubsidyItemRow | null {
  const code = key(c, 'code', '项目编码');
  const name = text(c, 'name', { required: true, max: 100, label: '项目名称' });
  const department = text(c, 'department', { required: true, max: 50, label: '主管部门' });
  const unit = take(c, 'unit', parseChoice(c.raw('unit'), UNIT_WORDS, ['按户', '按人']));
  const basis = optional(c, 'amountBasis', (raw) => parseChoice(raw, BASIS_WORDS, ['固定标准', '按亩', '据实']));
  const standardAmountFen = take(c, 'standardAmount', parseYuanToFen(c.raw('standardAmount'), { allowZero: true }));
  const period = take(c, 'period', parseChoice(c.raw('period'), PERIOD_WORDS, ['按月', '按季', '按半年', '按年', '一次性']));
  const meansTested = optional(c, 'meansTested', parseYesNo);
  const description = text(c, 'description', { required: false, max: 500, label: '说明' });
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
  const id = key(c, 'id', '户编号');
  const villageCode = regionCode(c, 'villageCode', '村（社区）代码', { village: true });
  const groupName = text(c, 'groupName', { required: true, max: 32, label: '组' });
  const houseNumber = text(c, 'houseNumber', { required: true, max: 32, label: '门牌号' });
  const headPersonId = citizenId(c, 'headPersonId', '户主身份证号');
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

const SEX_WORDS = choiceWords<Sex>({ M: ['男', 'male', '男性'], F: ['女', 'female', '女性'] });
const STATUS_WORDS = choiceWords<PersonStatus>({
  living: ['正常', '在世', '健在', '在册', '在户'],
  deceased: ['死亡', '已故', '去世', '身故', '已死亡'],
  'moved-out': ['迁出', '已迁出', '外迁', '户口迁出'],
  'not-member': ['非本户成员', '非本户', '不是本户成员', '不是本户'],
});
const RELATION_WORDS = choiceWords<Relation>({
  户主: ['本人', '户主本人'],
  配偶: ['妻', '妻子', '夫', '丈夫', '爱人', '老伴'],
  子: ['儿子', '长子', '次子', '三子', '四子', '独子', '养子', '继子'],
  女: ['女儿', '长女', '次女', '三女', '四女', '独女', '养女', '继女'],
  父母: ['父亲', '母亲', '父', '母', '公公', '婆婆', '岳父', '岳母'],
  孙子女: ['孙子', '孙女', '外孙', '外孙子', '外孙女', '孙'],
  兄弟姐妹: ['兄', '弟', '姐', '妹', '哥哥', '弟弟', '姐姐', '妹妹', '兄弟', '姐妹'],
  其他: ['儿媳', '女婿', '祖父', '祖母', '外祖父', '外祖母', '侄子', '侄女', '其他亲属', '其它'],
});

export function parsePerson(c: RowCursor): Person | null {
  const id = citizenId(c, 'id');
  const householdId = key(c, 'householdId', '户编号');
  const name = text(c, 'name', { required: true, max: 50, label: '姓名' });
  const idInfo = id === undefined ? null : validateCitizenId(id);
  const derived = idInfo?.ok === true ? idInfo : null;
  const sex = optional(c, 'sex', (raw) => parseChoice(raw, SEX_WORDS, ['男', '女'])) ?? derived?.sex;
  const birthDate = date(c, 'birthDate', false, '出生日期') ?? derived?.birthDate;

  let relation: Relation | undefined;
  const relText = cellText(c.raw('relation'));
  if (relText === '') c.error('relation', '与户主关系不能为空');
  else {
    const r = parseChoice(relText, RELATION_WORDS, []);
    if (r.ok) relation = r.value;
    else {
      relation = '其他';
      c.warn('relation', `未识别的关系“${relText}”，按“其他”导入（可填：户主、配偶、子、女、父母、孙子女、兄弟姐妹、其他）`);
    }
  }

  const status = optional(c, 'status', (raw) => parseChoice(raw, STATUS_WORDS, ['正常', '死亡', '迁出', '非本户成员'])) ?? 'living';
  const statusDate = date(c, 'statusDate', false, '状态日期');
  if (status === 'deceased' && statusDate === undefined && !c.hasError) {
    c.warn('statusDate', '死亡人员未填写死亡日期，无法核对去世后是否仍有发放', null);
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

const ACCOUNT_TYPE_WORDS = choiceWords<AccountType>({
  card: ['银行卡', '卡', '一卡通', '借记卡', '惠农卡', '一卡通卡'],
  passbook: ['存折', '折', '一折通'],
  sscard: ['社保卡', '社会保障卡', '社保卡金融账户'],
});

export function parseAccount(c: RowCursor): Omit<AccountRow, 'villageCode'> | null {
  const type = take(c, 'type', parseChoice(c.raw('type'), ACCOUNT_TYPE_WORDS, ['银行卡', '存折', '社保卡']));
  const bankName = text(c, 'bankName', { required: true, max: 64, label: '开户银行' });
  const holderPersonId = citizenId(c, 'holderPersonId', '持卡人身份证号');
  const openedOn = date(c, 'openedOn', false, '开户日期');
  let number: string | undefined;
  const raw = digitsCell(c.raw('number'), '账号');
  if (!raw.ok) c.error('number', raw.reason);
  else if (type !== undefined) {
    const r = validateAccountNumber(raw.value, type);
    if (!r.ok) c.error('number', r.message);
    else {
      number = r.number;
      if (r.warning !== undefined) c.warn('number', r.warning);
    }
  } else if (raw.value === '') c.error('number', '账号不能为空');
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
  const itemCode = key(c, 'itemCode', '项目编码');
  const beneficiaryPersonId = citizenId(c, 'beneficiaryPersonId');
  const periodRaw = c.raw('period');
  const period = cellText(periodRaw) === '' ? bad(c, 'period', '发放期间不能为空') : take(c, 'period', periodOf(periodRaw) ?? parsePeriod(periodRaw));
  const amountRaw = c.raw('amount');
  const amountFen = take(c, 'amount', amountOf(amountRaw) ?? parseYuanToFen(amountRaw));
  const paidOn = date(c, 'paidOn', true, '发放日期');
  const bankName = text(c, 'bankName', { required: true, max: 64, label: '开户银行' });
  let accountNumber: string | undefined;
  const acc = digitsCell(c.raw('accountNumber'), '账号');
  if (!acc.ok) c.error('accountNumber', acc.reason);
  else {
    const digits = acc.value.replace(/[\s-]/gu, '');
    if (digits === '') c.error('accountNumber', '账号不能为空');
    else if (!/^\d{8,30}$/u.test(digits)) c.error('accountNumber', '账号应为8–30位数字');
    else accountNumber = digits;
  }
  const householdId = key(c, 'householdId', '户编号', false);
  const villageCode = cellText(c.raw('villageCode')) === '' ? undefined : regionCode(c, 'villageCode', '村（社区）代码', { village: true });
  const lineIdText = text(c, 'lineId', { required: false, max: 128, label: '明细编号' });
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
