/**
 * Column headers of each kind of roster file: the Chinese header the
 * templates use, an English header, and the other spellings met in real
 * county spreadsheets. The README section "Importing the roster" documents
 * the same list (a unit test keeps the two in step), and the templates are
 * built from it.
 */
import { ROSTER_DATA_KINDS, type RosterDataKind } from '#shared/schemas/roster-import.ts';
import { stripWhitespace, toHalfWidth } from '#shared/domain/normalize.ts';

export { ROSTER_DATA_KINDS, type RosterDataKind };

export interface ColumnSpec {
  /** Key of the parsed field. */
  field: string;
  /** Header used by the templates. */
  zh: string;
  en: string;
  /** Other accepted spellings, compared after {@link normalizeHeader}. */
  aliases?: readonly string[];
  required: boolean;
  /** Example cell of the template row. */
  example: string;
  /** Digits that must stay text in Excel (IDs, account numbers): the template formats the column as text. */
  text?: boolean;
}

export interface KindSpec {
  kind: RosterDataKind;
  /** Chinese name, used in messages and as the template's sheet name. */
  label: string;
  /** Worksheet names that decide the kind without looking at the header. */
  sheetNames: readonly string[];
  columns: readonly ColumnSpec[];
  /** Columns people commonly keep next to the data (a row number, the head's name): recognised and ignored. */
  ignored: readonly string[];
}

const COMMON_IGNORED = ['序号', '备注', 'no', 'remark', 'remarks'];

// Example rows of the templates refer to each other (the person is in the
// household, the account is the person's), so that a filled-in template
// imports cleanly as it is. IDs and card numbers carry valid check digits.
const EXAMPLE_VILLAGE = '421321101200';
const EXAMPLE_HOUSEHOLD = '421321101200-01-001';
const EXAMPLE_ID = '421321196805120013';
const EXAMPLE_CARD = '6210591000000000012';

export const KIND_SPECS: Readonly<Record<RosterDataKind, KindSpec>> = {
  regions: {
    kind: 'regions',
    label: '区划',
    sheetNames: ['区划', '行政区划', 'regions'],
    columns: [
      { field: 'code', zh: '区划代码', en: 'code', aliases: ['行政区划代码', '统计用区划代码', 'region_code'], required: true, example: EXAMPLE_VILLAGE, text: true },
      { field: 'name', zh: '区划名称', en: 'name', aliases: ['名称'], required: true, example: '星亮村村民委员会' },
      { field: 'level', zh: '级别', en: 'level', aliases: ['区划级别'], required: false, example: '村' },
      { field: 'parentCode', zh: '上级区划代码', en: 'parent_code', aliases: ['上级代码'], required: false, example: '421321101000', text: true },
    ],
    ignored: COMMON_IGNORED,
  },
  'subsidy-items': {
    kind: 'subsidy-items',
    label: '补贴项目',
    sheetNames: ['补贴项目', '项目', '补贴项目清单', 'subsidy-items', 'items'],
    columns: [
      { field: 'code', zh: '项目编码', en: 'code', aliases: ['项目代码', '补贴项目编码', 'item_code'], required: true, example: 'DB' },
      { field: 'name', zh: '项目名称', en: 'name', aliases: ['补贴项目', '补贴项目名称', 'item_name'], required: true, example: '城乡低保' },
      { field: 'department', zh: '主管部门', en: 'department', aliases: ['部门', '主管单位'], required: true, example: '民政' },
      { field: 'unit', zh: '发放对象', en: 'unit', aliases: ['发放单位'], required: true, example: '按户' },
      { field: 'standardAmount', zh: '标准金额(元)', en: 'standard_amount', aliases: ['标准金额', '补贴标准', '补贴标准(元)', 'standard_amount_yuan'], required: true, example: '580.00' },
      { field: 'period', zh: '发放周期', en: 'period', aliases: ['周期'], required: true, example: '按月' },
      { field: 'amountBasis', zh: '金额依据', en: 'amount_basis', aliases: ['计算方式'], required: false, example: '固定标准' },
      { field: 'meansTested', zh: '是否救助类', en: 'means_tested', aliases: ['救助类'], required: false, example: '是' },
      { field: 'description', zh: '说明', en: 'description', aliases: ['政策说明'], required: false, example: '每户每月按标准发放' },
    ],
    ignored: COMMON_IGNORED,
  },
  households: {
    kind: 'households',
    label: '户',
    sheetNames: ['户', '户信息', '家庭', '农户', 'households'],
    columns: [
      { field: 'id', zh: '户编号', en: 'household_id', aliases: ['户号', '户编码', '家庭编号'], required: true, example: EXAMPLE_HOUSEHOLD, text: true },
      { field: 'villageCode', zh: '村(社区)代码', en: 'village_code', aliases: ['村代码', '社区代码', '村居代码', '所属村代码'], required: true, example: EXAMPLE_VILLAGE, text: true },
      { field: 'groupName', zh: '组', en: 'group', aliases: ['村民小组', '小组', '组别', 'group_name'], required: true, example: '一组' },
      { field: 'houseNumber', zh: '门牌号', en: 'house_number', aliases: ['门牌', '门牌号码'], required: true, example: '8号', text: true },
      { field: 'headPersonId', zh: '户主身份证号', en: 'head_id', aliases: ['户主身份证号码', '户主公民身份号码', 'head_person_id'], required: true, example: EXAMPLE_ID, text: true },
      { field: 'phone', zh: '联系电话', en: 'phone', aliases: ['电话', '手机号', '手机号码'], required: false, example: '13907221234', text: true },
      { field: 'farmlandMu', zh: '承包耕地面积(亩)', en: 'farmland_mu', aliases: ['承包耕地面积', '耕地面积', '耕地面积(亩)'], required: false, example: '6.5' },
    ],
    ignored: [...COMMON_IGNORED, '户主姓名', '户主', '乡镇', '村名'],
  },
  persons: {
    kind: 'persons',
    label: '人员',
    sheetNames: ['人员', '家庭成员', '成员', 'persons', 'people'],
    columns: [
      { field: 'id', zh: '身份证号', en: 'id', aliases: ['身份证号码', '公民身份号码', '证件号码', 'id_number', 'citizen_id'], required: true, example: EXAMPLE_ID, text: true },
      { field: 'householdId', zh: '户编号', en: 'household_id', aliases: ['户号', '户编码', '家庭编号'], required: true, example: EXAMPLE_HOUSEHOLD, text: true },
      { field: 'name', zh: '姓名', en: 'name', required: true, example: '王德明' },
      { field: 'sex', zh: '性别', en: 'sex', required: false, example: '男' },
      { field: 'birthDate', zh: '出生日期', en: 'birth_date', required: false, example: '1968-05-12' },
      { field: 'relation', zh: '与户主关系', en: 'relation', aliases: ['家庭关系', '关系'], required: true, example: '户主' },
      { field: 'status', zh: '状态', en: 'status', aliases: ['人员状态'], required: false, example: '正常' },
      { field: 'statusDate', zh: '状态日期', en: 'status_date', aliases: ['死亡日期', '变动日期'], required: false, example: '' },
      { field: 'phone', zh: '联系电话', en: 'phone', aliases: ['电话', '手机号', '手机号码'], required: false, example: '13907221234', text: true },
      { field: 'isCadreRelative', zh: '是否干部亲属', en: 'cadre_relative', aliases: ['干部亲属', 'is_cadre_relative'], required: false, example: '否' },
    ],
    ignored: [...COMMON_IGNORED, '年龄'],
  },
  accounts: {
    kind: 'accounts',
    label: '账户',
    sheetNames: ['账户', '一卡通账户', '账号', 'accounts'],
    columns: [
      { field: 'number', zh: '账号', en: 'account_number', aliases: ['卡号', '银行卡号', '一卡通账号', '存折账号', 'number'], required: true, example: EXAMPLE_CARD, text: true },
      { field: 'type', zh: '账户类型', en: 'account_type', aliases: ['类型', '介质类型', 'type'], required: true, example: '银行卡' },
      { field: 'bankName', zh: '开户银行', en: 'bank', aliases: ['代发银行', '银行', '开户行', 'bank_name'], required: true, example: '湖北随县农村商业银行' },
      { field: 'holderPersonId', zh: '持卡人身份证号', en: 'holder_id', aliases: ['持有人身份证号', '户名身份证号', 'holder_person_id'], required: true, example: EXAMPLE_ID, text: true },
      { field: 'openedOn', zh: '开户日期', en: 'opened_on', required: false, example: '2015-03-20' },
    ],
    ignored: [...COMMON_IGNORED, '持卡人姓名', '户名'],
  },
  'payment-lines': {
    kind: 'payment-lines',
    label: '发放明细',
    sheetNames: ['发放明细', '明细', '发放记录', 'payment-lines', 'payments'],
    columns: [
      { field: 'itemCode', zh: '项目编码', en: 'item_code', aliases: ['项目代码', '补贴项目编码'], required: true, example: 'DB' },
      { field: 'beneficiaryPersonId', zh: '身份证号', en: 'beneficiary_id', aliases: ['发放对象身份证号', '享受对象身份证号', '身份证号码', '公民身份号码'], required: true, example: EXAMPLE_ID, text: true },
      { field: 'period', zh: '发放期间', en: 'period', aliases: ['所属期间', '发放年月', '期间'], required: true, example: '2021-03' },
      { field: 'amount', zh: '发放金额(元)', en: 'amount', aliases: ['发放金额', '金额', '金额(元)', 'amount_yuan'], required: true, example: '580.00' },
      { field: 'paidOn', zh: '发放日期', en: 'paid_on', aliases: ['到账日期', '支付日期'], required: true, example: '2021-03-15' },
      { field: 'accountNumber', zh: '账号', en: 'account_number', aliases: ['卡号', '银行卡号', '一卡通账号', '收款账号'], required: true, example: EXAMPLE_CARD, text: true },
      { field: 'bankName', zh: '开户银行', en: 'bank', aliases: ['代发银行', '银行', '开户行', 'bank_name'], required: true, example: '湖北随县农村商业银行' },
      { field: 'householdId', zh: '户编号', en: 'household_id', aliases: ['户号', '户编码'], required: false, example: EXAMPLE_HOUSEHOLD, text: true },
      { field: 'villageCode', zh: '村(社区)代码', en: 'village_code', aliases: ['村代码', '社区代码'], required: false, example: EXAMPLE_VILLAGE, text: true },
      { field: 'lineId', zh: '明细编号', en: 'line_id', aliases: ['流水号', '明细号'], required: false, example: '' },
      { field: 'seq', zh: '序次', en: 'seq', aliases: ['次序'], required: false, example: '' },
    ],
    ignored: [...COMMON_IGNORED, '姓名', '项目名称', '补贴项目', '户主姓名'],
  },
};

/**
 * How headers are compared: full-width folded, spaces and required-column
 * markers (*) removed, lower case, '-' and ' ' treated like '_'. So
 * '标准金额（元）', '标准金额(元)' and ' *标准金额 (元)' are one header.
 */
export function normalizeHeader(raw: string): string {
  return stripWhitespace(toHalfWidth(raw).replace(/[*＊]/gu, ''))
    .toLowerCase()
    .replace(/[-\s]/gu, '_');
}

function headerLookup(spec: KindSpec): Map<string, ColumnSpec> {
  const map = new Map<string, ColumnSpec>();
  for (const col of spec.columns) {
    for (const name of [col.zh, col.en, ...(col.aliases ?? [])]) map.set(normalizeHeader(name), col);
  }
  return map;
}

const LOOKUPS = new Map<RosterDataKind, Map<string, ColumnSpec>>(ROSTER_DATA_KINDS.map((k) => [k, headerLookup(KIND_SPECS[k])]));
const IGNORED = new Map<RosterDataKind, Set<string>>(ROSTER_DATA_KINDS.map((k) => [k, new Set(KIND_SPECS[k].ignored.map(normalizeHeader))]));

/** The column a header names for a kind, if any. */
export function columnForHeader(kind: RosterDataKind, header: string): ColumnSpec | undefined {
  return LOOKUPS.get(kind)?.get(normalizeHeader(header));
}

export function isIgnoredHeader(kind: RosterDataKind, header: string): boolean {
  return IGNORED.get(kind)?.has(normalizeHeader(header)) ?? false;
}

/** The kind a worksheet name stands for ('人员', 'persons' …), if any. */
export function kindForSheetName(name: string): RosterDataKind | undefined {
  const n = normalizeHeader(name);
  return ROSTER_DATA_KINDS.find((k) => KIND_SPECS[k].sheetNames.some((s) => normalizeHeader(s) === n));
}

/** Position of a kind in the import order: regions before households before persons … */
export function kindRank(kind: RosterDataKind): number {
  return ROSTER_DATA_KINDS.indexOf(kind);
}
