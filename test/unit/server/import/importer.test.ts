import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { luhnCheckDigit } from '#shared/domain/account-number.ts';
import { citizenIdCheckDigit } from '#shared/domain/citizen-id.ts';
import type { Region } from '#shared/schemas/roster.ts';
import type { ImportProblem } from '#shared/schemas/roster-import.ts';
import regionsJson from '#server/cli/demo/regions-421321.json' with { type: 'json' };
import { importPlannedFile, type ImportResult } from '#server/import/importer.ts';
import { PlanError, planFile, type FilePlan } from '#server/import/plan.ts';
import { ProblemLog } from '#server/import/problems.ts';
import { MemoryRosterStore } from '#test/fixtures/memory-roster-store.ts';

const REGIONS = regionsJson as Region[];
const VILLAGE = '421321101200';
const OTHER_VILLAGE = REGIONS.find((r) => r.level === 'village' && r.code !== VILLAGE)?.code ?? '';

const dir = mkdtempSync(join(tmpdir(), 'ykt-importer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function write(name: string, content: string | Buffer): string {
  const path = join(dir, `${n++}-${name}`);
  writeFileSync(path, content);
  return path;
}

/** A valid 18-digit ID born on `birth` (YYYYMMDD) with sequence `seq` (odd = male). */
function citizenId(birth: string, seq: number): string {
  const first17 = `421321${birth}${String(seq).padStart(3, '0')}`;
  return first17 + citizenIdCheckDigit(first17);
}

function card(serial: number): string {
  const partial = `621059${String(serial).padStart(12, '0')}`;
  return partial + luhnCheckDigit(partial);
}

const HEAD = citizenId('19680512', 1);
const WIFE = citizenId('19700301', 2);
const SON = citizenId('19950715', 3);
const HH1 = `${VILLAGE}-01-001`;
const HH2 = `${VILLAGE}-01-002`;

interface Run {
  plan: FilePlan;
  result: ImportResult;
  problems: ImportProblem[];
  log: ProblemLog;
}

async function importFile(store: MemoryRosterStore, name: string, content: string | Buffer, opts: { areaPrefix?: string | null; cap?: number } = {}): Promise<Run> {
  const path = write(name, content);
  const plan = await planFile(path, name);
  const log = new ProblemLog(opts.cap ?? 1000);
  const result = await importPlannedFile(plan, { store, importId: 'test-import', areaPrefix: opts.areaPrefix ?? '421321', log, batchRows: 3 });
  return { plan, result, problems: log.kept, log };
}

async function planError(name: string, content: string | Buffer, maxFileBytes?: number): Promise<PlanError> {
  const path = write(name, content);
  const err = await planFile(path, name, maxFileBytes === undefined ? {} : { maxFileBytes }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(PlanError);
  return err as PlanError;
}

const HOUSEHOLDS_CSV = ['户编号,村(社区)代码,组,门牌号,户主身份证号,联系电话,承包耕地面积(亩)', `${HH1},${VILLAGE},一组,8号,${HEAD},13907221234,6.5`, `${HH2},${VILLAGE},一组,9号,${WIFE},,`].join('\r\n');

async function storeWithHouseholds(): Promise<MemoryRosterStore> {
  const store = new MemoryRosterStore({ regions: REGIONS });
  const run = await importFile(store, 'households.csv', HOUSEHOLDS_CSV);
  expect(run.result.counts).toEqual({ ok: 2, warning: 0, error: 0 });
  return store;
}

function problemAt(run: Run, row: number): ImportProblem[] {
  return run.problems.filter((p) => p.row === row);
}

describe('planning a file', () => {
  it('recognises the kind from Chinese headers, even below a title row', async () => {
    const path = write('名单.csv', `随县2021年人员名册,,,\r\n,,,\r\n身份证号,户编号,姓名,与户主关系\r\n${HEAD},${HH1},王德明,户主\r\n`);
    const plan = await planFile(path, '名单.csv');
    expect(plan.kind).toBe('persons');
    expect(plan.parts[0]?.header.row).toBe(3);
  });

  it('recognises English headers, full-width brackets and required-column stars', async () => {
    const en = await planFile(write('x.csv', 'id,household_id,name,relation\r\n'), 'x.csv');
    expect(en.kind).toBe('persons');
    const zh = await planFile(write('y.csv', '*项目编码,项目名称,主管部门,发放对象,标准金额（元）,发放周期\r\n'), 'y.csv');
    expect(zh.kind).toBe('subsidy-items');
  });

  it('names the missing required columns of the kind the file resembles', async () => {
    const err = await planError('persons.csv', `身份证号,户编号,姓名,身分关系\r\n${HEAD},${HH1},王德明,户主\r\n`);
    expect(err.kindGuess).toBe('persons');
    expect(err.message).toContain('缺少必填列：与户主关系');
    expect(err.message).toContain('未识别的列：身分关系');
  });

  it('names a column given twice', async () => {
    const err = await planError('p.csv', `身份证号,公民身份号码,户编号,姓名,与户主关系\r\n`);
    expect(err.message).toContain('“身份证号”与“公民身份号码”是同一列');
  });

  it('refuses a file whose header matches nothing', async () => {
    const err = await planError('notes.csv', '日期,事项\r\n2021-01-01,开会\r\n');
    expect(err.message).toContain('找不到表头');
    expect(err.kindGuess).toBe('workbook');
  });

  it('warns about unknown columns and ignores them', async () => {
    const store = await storeWithHouseholds();
    const run = await importFile(store, 'p.csv', `身份证号,户编号,姓名,与户主关系,民族,序号\r\n${HEAD},${HH1},王德明,户主,汉,1\r\n`);
    expect(run.result.counts).toEqual({ ok: 1, warning: 0, error: 0 });
    expect(run.problems).toEqual([expect.objectContaining({ row: 1, column: '民族', severity: 'warning' })]);
  });

  it('refuses an empty file and a file of blank lines', async () => {
    expect((await planError('empty.csv', '')).message).toContain('文件为空');
    expect((await planError('blank.csv', '\uFEFF\r\n , ,\r\n\r\n')).message).toContain('文件为空');
  });

  it('refuses a file over the size cap before reading it', async () => {
    const err = await planError('big.csv', 'x'.repeat(5000), 4096);
    expect(err.message).toContain('超过上限 4 KB');
  });

  it('refuses old .xls workbooks and unrelated file types by name', async () => {
    const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(100)]);
    expect((await planError('old.xls', xls)).message).toContain('.xls');
    expect((await planError('scan.pdf', '%PDF-1.4')).message).toContain('不支持 .pdf');
  });
});

describe('persons: normalising and checking each row', () => {
  it('stores canonical IDs from lower-case x, full-width digits and surrounding spaces', async () => {
    const store = await storeWithHouseholds();
    const fullWidth = SON.replace(/[0-9X]/gu, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));
    const lowerX = '11010519491231002x';
    await importFile(
      store,
      'h.csv',
      `户编号,村(社区)代码,组,门牌号,户主身份证号\r\n${VILLAGE}-01-003,${VILLAGE},二组,1号,11010519491231002X\r\n`,
    );
    const run = await importFile(
      store,
      'p.csv',
      [`身份证号,户编号,姓名,与户主关系,出生日期`, `  ${HEAD}  ,${HH1}, 王德明 ,户主,1968/5/12`, `${fullWidth},${HH1},王小明,儿子,`, `${lowerX},${VILLAGE}-01-003,李秀英,本人,`].join('\r\n'),
    );
    expect(run.problems).toEqual([]);
    expect(run.result.counts).toEqual({ ok: 3, warning: 0, error: 0 });
    expect(store.persons.get(HEAD)).toMatchObject({ name: '王德明', sex: 'M', birthDate: '1968-05-12', relation: '户主', status: 'living', villageCode: VILLAGE });
    expect(store.persons.get(SON)).toMatchObject({ relation: '子', birthDate: '1995-07-15' });
    expect(store.persons.get('11010519491231002X')).toMatchObject({ sex: 'F', relation: '户主' });
  });

  it('refuses a 15-digit ID and suggests the upgraded 18-digit one', async () => {
    const store = await storeWithHouseholds();
    const run = await importFile(store, 'p.csv', `身份证号,户编号,姓名,与户主关系\r\n421321680512001,${HH1},王德明,户主\r\n`);
    expect(run.result.counts.error).toBe(1);
    const [p] = problemAt(run, 2);
    expect(p).toMatchObject({ column: '身份证号', value: '421321680512001', severity: 'error', file: 'p.csv', sheet: null });
    expect(p?.reason).toContain('15位旧身份证号');
    expect(p?.reason).toContain(HEAD);
  });

  it('refuses a wrong check digit and names the right one', async () => {
    const store = await storeWithHouseholds();
    const wrong = HEAD.slice(0, 17) + (HEAD.endsWith('0') ? '1' : '0');
    const run = await importFile(store, 'p.csv', `身份证号,户编号,姓名,与户主关系\r\n${wrong},${HH1},王德明,户主\r\n`);
    expect(problemAt(run, 2)[0]?.reason).toBe(`身份证号校验位错误，应为 ${HEAD.slice(17)}`);
    expect(store.persons.size).toBe(0);
  });

  it('skips only the bad rows: duplicates in the file name the earlier row', async () => {
    const store = await storeWithHouseholds();
    const run = await importFile(
      store,
      'p.csv',
      [`身份证号,户编号,姓名,与户主关系`, `${HEAD},${HH1},王德明,户主`, `${WIFE},${HH2},张桂兰,户主`, `${HEAD},${HH2},王德明,配偶`].join('\r\n'),
    );
    expect(run.result.counts).toEqual({ ok: 2, warning: 0, error: 1 });
    expect(problemAt(run, 4)).toEqual([expect.objectContaining({ column: '身份证号', reason: expect.stringContaining('与第 2 行的身份证号重复') as string })]);
    expect(store.persons.get(HEAD)?.householdId).toBe(HH1);
  });

  it('refuses an ID already registered in another household, naming both households', async () => {
    const store = await storeWithHouseholds();
    await importFile(store, 'p1.csv', `身份证号,户编号,姓名,与户主关系\r\n${HEAD},${HH1},王德明,户主\r\n`);
    const run = await importFile(store, 'p2.csv', `身份证号,户编号,姓名,与户主关系\r\n${HEAD},${HH2},王德明,配偶\r\n`);
    const reason = problemAt(run, 2)[0]?.reason ?? '';
    expect(reason).toContain(HH1);
    expect(reason).toContain(HH2);
    expect(store.persons.get(HEAD)?.householdId).toBe(HH1);
  });

  it('refuses a person of an unknown household and one outside the admin’s area', async () => {
    const store = await storeWithHouseholds();
    const run = await importFile(store, 'p.csv', `身份证号,户编号,姓名,与户主关系\r\n${HEAD},${VILLAGE}-09-999,王德明,户主\r\n${WIFE},${HH2},张桂兰,户主\r\n`, {
      areaPrefix: '421321102',
    });
    expect(problemAt(run, 2)[0]?.reason).toContain('不存在');
    expect(problemAt(run, 3)[0]?.reason).toContain('不在您的管理区域内');
    expect(run.result.counts.error).toBe(2);
  });

  it('checks sex and birth date against the ID, and warns about an unknown relation and a death without date', async () => {
    const store = await storeWithHouseholds();
    const run = await importFile(
      store,
      'p.csv',
      [`身份证号,户编号,姓名,性别,出生日期,与户主关系,状态`, `${HEAD},${HH1},王德明,女,,户主,正常`, `${WIFE},${HH2},张桂兰,,,表亲,死亡`].join('\r\n'),
    );
    expect(problemAt(run, 2)).toEqual([expect.objectContaining({ column: '性别', severity: 'error' })]);
    const warnings = problemAt(run, 3);
    expect(warnings.map((w) => w.column)).toEqual(['与户主关系', '状态日期']);
    expect(warnings.every((w) => w.severity === 'warning')).toBe(true);
    expect(store.persons.get(WIFE)).toMatchObject({ relation: '其他', status: 'deceased' });
    expect(run.result.counts).toEqual({ ok: 0, warning: 1, error: 1 });
  });

  it('reports the cells of a row decoded from a second encoding instead of storing garbage', async () => {
    const store = await storeWithHouseholds();
    const utf8 = Buffer.from(`身份证号,户编号,姓名,与户主关系\r\n${HEAD},${HH1},王德明,户主\r\n`, 'utf8');
    const gbk = iconv.encode(`${WIFE},${HH2},张桂兰,户主\r\n`, 'gbk');
    const run = await importFile(store, 'mixed.csv', Buffer.concat([utf8, gbk]));
    expect(run.result.counts).toEqual({ ok: 1, warning: 0, error: 1 });
    expect(problemAt(run, 3)[0]?.reason).toContain('混用了 UTF-8 和 GBK');
  });

  it('reads a GBK file saved by Excel', async () => {
    const store = await storeWithHouseholds();
    const run = await importFile(store, 'gbk.csv', iconv.encode(`身份证号,户编号,姓名,与户主关系\r\n${HEAD},${HH1},王德明,户主\r\n`, 'gbk'));
    expect(run.result.counts.ok).toBe(1);
    expect(store.persons.get(HEAD)?.name).toBe('王德明');
  });
});

describe('households and regions', () => {
  it('refuses unknown region codes and codes that are not villages', async () => {
    const store = new MemoryRosterStore({ regions: REGIONS });
    const run = await importFile(
      store,
      'h.csv',
      [`户编号,村(社区)代码,组,门牌号,户主身份证号`, `a-1,421321199999,一组,1号,${HEAD}`, `a-2,421321101000,一组,2号,${HEAD}`, `a-3,${VILLAGE},一组,3号,${HEAD}`].join('\r\n'),
    );
    expect(problemAt(run, 2)[0]?.reason).toContain('不在区划表中');
    expect(problemAt(run, 3)[0]?.reason).toContain('村（社区）级');
    expect(run.result.counts).toEqual({ ok: 1, warning: 0, error: 2 });
  });

  it('keeps an area admin off households of other areas', async () => {
    const store = new MemoryRosterStore({ regions: REGIONS });
    const run = await importFile(store, 'h.csv', `户编号,村(社区)代码,组,门牌号,户主身份证号\r\nb-1,${OTHER_VILLAGE},一组,1号,${HEAD}\r\n`, { areaPrefix: VILLAGE });
    expect(problemAt(run, 2)[0]?.reason).toContain('不在您的管理区域内');
    expect(store.households.size).toBe(0);
  });

  it('is idempotent: the same file again changes nothing', async () => {
    const store = await storeWithHouseholds();
    const again = await importFile(store, 'households.csv', HOUSEHOLDS_CSV);
    expect(again.result.parts[0]).toMatchObject({ rows: 2, inserted: 0, updated: 0, unchanged: 2 });
  });
});

describe('accounts and payment lines', () => {
  async function rosterStore(): Promise<MemoryRosterStore> {
    const store = await storeWithHouseholds();
    await importFile(store, 'p.csv', `身份证号,户编号,姓名,与户主关系\r\n${HEAD},${HH1},王德明,户主\r\n${WIFE},${HH2},张桂兰,户主\r\n`);
    await importFile(store, 'i.csv', `项目编码,项目名称,主管部门,发放对象,标准金额(元),发放周期\r\nDB,城乡低保,民政,按户,580,按月\r\n`);
    return store;
  }

  it('imports a card that fails the Luhn check with a warning, and a passbook without one', async () => {
    const store = await rosterStore();
    const bad = card(1).slice(0, 18) + String((Number(card(1).slice(18)) + 1) % 10);
    const run = await importFile(
      store,
      'a.csv',
      [`账号,账户类型,开户银行,持卡人身份证号`, `${bad},银行卡,湖北随县农村商业银行,${HEAD}`, `8100000001234,存折,湖北随县农村商业银行,${WIFE}`, `${card(2)},银行卡,湖北随县农村商业银行,${SON}`].join('\r\n'),
    );
    expect(problemAt(run, 2)).toEqual([expect.objectContaining({ column: '账号', severity: 'warning', reason: expect.stringContaining('未通过校验') as string })]);
    expect(problemAt(run, 3)).toEqual([]);
    expect(problemAt(run, 4)[0]?.reason).toContain('不在人员名册中');
    expect(run.result.counts).toEqual({ ok: 1, warning: 1, error: 1 });
    expect(store.accounts.size).toBe(2);
  });

  it('reads amounts in yuan and Excel date serials, refusing negative and non-numeric amounts', async () => {
    const store = await rosterStore();
    const header = '项目编码,身份证号,发放期间,发放金额(元),发放日期,账号,开户银行';
    const run = await importFile(
      store,
      'l.csv',
      [
        header,
        `DB,${HEAD},2021-01,580.00,44211,${card(1)},湖北随县农村商业银行`,
        `DB,${HEAD},2021年2月,-580,2021/2/15,${card(1)},湖北随县农村商业银行`,
        `DB,${HEAD},2021-03,五百八,2021/3/15,${card(1)},湖北随县农村商业银行`,
        `DB,${HEAD},2021-04,580.005,2021/4/15,${card(1)},湖北随县农村商业银行`,
        `XX,${HEAD},2021-05,580,2021/5/15,${card(1)},湖北随县农村商业银行`,
      ].join('\r\n'),
    );
    expect(problemAt(run, 3)[0]).toMatchObject({ column: '发放金额(元)', value: '-580', reason: '金额不能为负数' });
    expect(problemAt(run, 4)[0]?.reason).toContain('金额应为以元为单位的数字');
    expect(problemAt(run, 5)[0]?.reason).toContain('两位小数');
    expect(problemAt(run, 6)[0]?.reason).toContain('不在补贴项目清单中');
    const line = store.lines.get(`DB:${HEAD}:2021-01:1`);
    expect(line).toMatchObject({ amountFen: 58000, paidOn: '2021-01-15', householdId: HH1, villageCode: VILLAGE });
    // The card is not on the accounts roster: a finding, kept with a warning.
    expect(problemAt(run, 2)).toEqual([expect.objectContaining({ column: '账号', severity: 'warning' })]);
  });

  it('keeps a payment to someone off the roster as a warning when household and village are given', async () => {
    const store = await rosterStore();
    const stranger = citizenId('19800101', 5);
    const header = '项目编码,身份证号,发放期间,发放金额(元),发放日期,账号,开户银行,户编号,村(社区)代码';
    const run = await importFile(
      store,
      'l.csv',
      [header, `DB,${stranger},2021-01,580,2021-01-15,${card(9)},湖北随县农村商业银行,${VILLAGE}-99-001,${VILLAGE}`, `DB,${stranger},2021-02,580,2021-02-15,${card(9)},湖北随县农村商业银行,,`].join('\r\n'),
    );
    expect(problemAt(run, 2).map((p) => [p.column, p.severity])).toEqual([
      ['身份证号', 'warning'],
      ['账号', 'warning'],
    ]);
    expect(problemAt(run, 3)[0]).toMatchObject({ severity: 'error' });
    expect(store.lines.get(`DB:${stranger}:2021-01:1`)).toMatchObject({ householdId: `${VILLAGE}-99-001`, villageCode: VILLAGE });
  });

  it('tells a supplementary payment from a duplicate by its sequence number', async () => {
    const store = await rosterStore();
    const header = '项目编码,身份证号,发放期间,发放金额(元),发放日期,账号,开户银行,序次';
    const line = (seq: string) => `DB,${HEAD},2021-01,100,2021-01-15,${card(1)},湖北随县农村商业银行,${seq}`;
    const run = await importFile(store, 'l.csv', [header, line(''), line('2'), line('1')].join('\r\n'));
    expect(run.result.counts.error).toBe(1);
    expect(problemAt(run, 4)[0]?.reason).toContain('与第 2 行是同一笔发放');
    expect(store.lines.has(`DB:${HEAD}:2021-01:2`)).toBe(true);
  });
});

describe('the report', () => {
  it('keeps the first problems only but counts them all', async () => {
    const store = await storeWithHouseholds();
    // 17 digits each: every row is an error.
    const rows = Array.from({ length: 30 }, (_, i) => `421321196805120${String(i).padStart(2, '0')},${HH1},某人,户主`);
    const run = await importFile(store, 'p.csv', ['身份证号,户编号,姓名,与户主关系', ...rows].join('\r\n'), { cap: 10 });
    expect(run.log.count).toBe(30);
    expect(run.log.kept).toHaveLength(10);
    expect(run.log.truncated).toBe(true);
    expect(run.result.counts.error).toBe(30);
  });
});

describe('workbooks', () => {
  async function xlsx(build: (wb: ExcelJS.Workbook) => void): Promise<string> {
    const wb = new ExcelJS.Workbook();
    build(wb);
    const path = join(dir, `${n++}.xlsx`);
    // Via a buffer: ExcelJS's writeFile can resolve before the file is complete (seen once under load in CI).
    writeFileSync(path, Buffer.from(await wb.xlsx.writeBuffer()));
    return path;
  }

  it('imports a sheet per kind in dependency order, whatever order the sheets are in', async () => {
    const path = await xlsx((wb) => {
      const p = wb.addWorksheet('人员');
      p.addRow(['身份证号', '户编号', '姓名', '出生日期', '与户主关系']);
      const r = p.addRow([HEAD, HH1, '王德明', new Date(Date.UTC(1968, 4, 12)), '户主']);
      r.getCell(4).numFmt = 'yyyy/m/d';
      // What Excel keeps of an 18-digit ID typed into a number cell.
      p.addRow([Number('421321199507150031'), HH1, '王小明', null, '子']);
      wb.addWorksheet('说明').addRow(['本工作簿由县民政局整理']);
      const h = wb.addWorksheet('Sheet3');
      h.addRow(['户编号', '村(社区)代码', '组', '门牌号', '户主身份证号']);
      h.addRow([HH1, Number(VILLAGE), '一组', '8号', HEAD]);
    });
    const plan = await planFile(path, 'county.xlsx');
    expect(plan.kind).toBe('workbook');
    expect(plan.parts.map((p) => [p.sheet, p.header.kind])).toEqual([
      ['Sheet3', 'households'],
      ['人员', 'persons'],
    ]);
    expect(plan.passes).toEqual([[2], [0]]);
    expect(plan.problems).toEqual([expect.objectContaining({ sheet: '说明', severity: 'warning' })]);

    const store = new MemoryRosterStore({ regions: REGIONS });
    const log = new ProblemLog();
    const result = await importPlannedFile(plan, { store, importId: 'x', areaPrefix: '421321', log });
    expect(store.households.get(HH1)?.villageCode).toBe(VILLAGE);
    expect(store.persons.get(HEAD)?.birthDate).toBe('1968-05-12');
    // An 18-digit ID typed into a number cell has lost its last digits.
    expect(log.kept.find((p) => p.sheet === '人员' && p.row === 3)?.reason).toContain('Excel 存成了数字');
    expect(result.parts.map((p) => [p.sheet, p.inserted, p.errors])).toEqual([
      ['Sheet3', 1, 0],
      ['人员', 1, 1],
    ]);
  });

  it('refuses the whole workbook when a sheet named for a kind lacks its columns', async () => {
    const path = await xlsx((wb) => {
      wb.addWorksheet('户').addRow(['户编号', '组']);
    });
    const err = await planFile(path, 'w.xlsx').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlanError);
    expect((err as PlanError).message).toContain('工作表“户”');
    expect((err as PlanError).message).toContain('村(社区)代码');
    expect((err as PlanError).kindGuess).toBe('households');
  });
});

describe('cancelling', () => {
  it('stops at the next batch when the signal is aborted', async () => {
    const store = await storeWithHouseholds();
    const path = write('p.csv', `身份证号,户编号,姓名,与户主关系\r\n${HEAD},${HH1},王德明,户主\r\n`);
    const plan = await planFile(path, 'p.csv');
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(importPlannedFile(plan, { store, importId: 'x', areaPrefix: null, log: new ProblemLog(), signal: controller.signal })).rejects.toThrow();
    expect(store.persons.size).toBe(0);
  });
});
