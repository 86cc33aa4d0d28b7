/**
 * The roster importer: plans a file (format, sheets, kinds, headers), then
 * streams its rows in dependency order through parsing, duplicate and
 * referential checks, and batched upserts into a {@link RosterImportStore}.
 *
 * Memory does not grow with the file: rows are handled a batch at a time
 * and the only per-row state kept is the compact duplicate index
 * (key-index.ts) and at most `reportCap` problems.
 *
 * Referential checks ask the store, which runs inside the import's
 * transaction: a persons sheet sees the households written by the sheet
 * before it. That is why kinds are processed in dependency order — several
 * files of one upload by their kind, the sheets of one workbook by reading
 * it again when they are out of order (a workbook in template order is read
 * once after the plan).
 */
import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { ImportPartSummary, ImportRunKind } from '#shared/schemas/roster-import.ts';
import { isBlank } from './cells.ts';
import { KIND_SPECS, kindForSheetName, kindRank, type RosterDataKind } from './columns.ts';
import { readCsvRows, type SheetRow } from './csv-reader.ts';
import { HEADER_SEARCH_ROWS, matchHeader, type HeaderMap } from './headers.ts';
import { KeyRowIndex } from './key-index.ts';
import { ImportFileError, ProblemLog, type ImportProblem } from './problems.ts';
import { RowCursor } from './row-cursor.ts';
import { parseAccount, parseHousehold, parsePaymentLine, parsePerson, parseRegion, parseSubsidyItem, reportGarbledCells, type ParsedPaymentLine } from './rows.ts';
import { accountKey, type AccountRow, type PaymentLineRow, type PersonRow, type RosterImportStore, type WriteCounts } from './store.ts';
import { readXlsxSheets } from './xlsx-reader.ts';
import { formatBytes } from '#shared/domain/format-bytes.ts';

/** 1 GiB: a county's full payment history as CSV is a few hundred MB. */
export const DEFAULT_MAX_FILE_BYTES = 1024 ** 3;

export type FileFormat = 'csv' | 'xlsx';

export interface PlannedPart {
  sheet: string | null;
  /** Worksheet position (0 for a CSV file). */
  sheetIndex: number;
  header: HeaderMap;
}

export interface FilePlan {
  path: string;
  fileName: string;
  sizeBytes: number;
  format: FileFormat;
  kind: ImportRunKind;
  /** In processing order (dependency order, then file order). */
  parts: PlannedPart[];
  /** For a workbook: which sheets each reading of the file processes. */
  passes: number[][];
  /** Found while planning: unknown columns, skipped sheets. */
  problems: ImportProblem[];
}

/** A failure before the file's kind was known carries the kind it most resembles, for the import record. */
export class PlanError extends ImportFileError {
  constructor(
    message: string,
    readonly kindGuess: ImportRunKind,
    sheet: string | null = null,
  ) {
    super(message, sheet);
    this.name = 'PlanError';
  }
}

/** A guess from the file name ('人员.csv', 'persons-2021.csv'), used only to label a failed run. */
function kindFromFileName(fileName: string): RosterDataKind | null {
  const base = fileName.replace(/\.[^.]*$/u, '');
  for (const kind of Object.keys(KIND_SPECS) as RosterDataKind[]) {
    if (KIND_SPECS[kind].sheetNames.some((n) => base.toLowerCase().includes(n.toLowerCase()))) return kind;
  }
  return null;
}

/** Names a text table may carry; anything else that is not a workbook (a .docx, a .pdf) is refused by name. */
const TEXT_EXTENSIONS: ReadonlySet<string> = new Set(['', '.csv', '.txt', '.tsv']);
const WORKBOOK_EXTENSIONS: ReadonlySet<string> = new Set(['', '.xlsx', '.xlsm']);

async function sniffFormat(path: string): Promise<FileFormat | 'xls'> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(8);
    const { bytesRead } = await fh.read(buf, 0, 8, 0);
    if (bytesRead >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04) return 'xlsx';
    if (bytesRead >= 4 && buf[0] === 0xd0 && buf[1] === 0xcf && buf[2] === 0x11 && buf[3] === 0xe0) return 'xls';
    return 'csv';
  } finally {
    await fh.close();
  }
}

async function firstRows(rows: AsyncIterable<SheetRow>): Promise<SheetRow[]> {
  const out: SheetRow[] = [];
  for await (const r of rows) {
    if (r.cells.every(isBlank)) continue;
    out.push(r);
    if (out.length >= HEADER_SEARCH_ROWS) break;
  }
  return out;
}

function unknownColumnProblems(fileName: string, sheet: string | null, header: HeaderMap): ImportProblem[] {
  return header.unknown.map((column) => ({
    file: fileName,
    sheet,
    row: header.row,
    column,
    value: null,
    reason: `未识别的列，已忽略（${KIND_SPECS[header.kind].label}表可用的列见导入模板）`,
    severity: 'warning' as const,
  }));
}

/**
 * Reads just enough of a file to know what it holds. Throws PlanError for a
 * file that cannot be imported at all; nothing is written before this.
 */
export async function planFile(path: string, fileName: string, opts: { maxFileBytes?: number } = {}): Promise<FilePlan> {
  const maxBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const nameGuess = kindFromFileName(fileName);
  const { size } = await stat(path);
  const format = size === 0 ? 'csv' : await sniffFormat(path);
  // The record of a failed run needs a kind; 'workbook' stands for "not known".
  const guess: ImportRunKind = nameGuess ?? 'workbook';
  if (size === 0) throw new PlanError('文件为空（0 字节）', guess);
  if (size > maxBytes) throw new PlanError(`文件大小 ${formatBytes(size)} 超过上限 ${formatBytes(maxBytes)}；请按乡镇或年份拆分后分别导入`, guess);
  if (format === 'xls') {
    throw new PlanError('这是旧版 Excel（.xls）文件或加密的工作簿，无法读取；请在 Excel 中“另存为” .xlsx 或 CSV 后再导入', guess);
  }
  const ext = extname(fileName).toLowerCase();
  if ((format === 'csv' && !TEXT_EXTENSIONS.has(ext)) || (format === 'xlsx' && !WORKBOOK_EXTENSIONS.has(ext))) {
    throw new PlanError(`不支持 ${ext} 文件：请上传 CSV（.csv）或 Excel 工作簿（.xlsx）`, guess);
  }
  const problems: ImportProblem[] = [];

  if (format === 'csv') {
    const head = await firstRows(readCsvRows(path));
    if (head.length === 0) throw new PlanError('文件为空：没有任何内容', guess);
    const match = matchHeader(head);
    if (!match.ok) throw new PlanError(match.reason, match.kind ?? guess);
    problems.push(...unknownColumnProblems(fileName, null, match.header));
    const part: PlannedPart = { sheet: null, sheetIndex: 0, header: match.header };
    return { path, fileName, sizeBytes: size, format, kind: match.header.kind, parts: [part], passes: [[0]], problems };
  }

  const found: PlannedPart[] = [];
  let sheets = 0;
  for await (const sheet of readXlsxSheets(path)) {
    sheets++;
    const named = kindForSheetName(sheet.name);
    const head = await firstRows(sheet.rows);
    if (head.length === 0) continue;
    const match = matchHeader(head, named);
    if (match.ok) {
      found.push({ sheet: sheet.name, sheetIndex: sheet.index, header: match.header });
      problems.push(...unknownColumnProblems(fileName, sheet.name, match.header));
    } else if (named !== undefined || match.kind !== null) {
      // Named like a roster sheet, or its header half-matches one: the admin
      // meant it to be imported, so importing the other sheets alone would
      // leave a hole nobody notices.
      throw new PlanError(`工作表“${sheet.name}”：${match.reason}`, named ?? match.kind ?? guess, sheet.name);
    } else {
      problems.push({
        file: fileName,
        sheet: sheet.name,
        row: null,
        column: null,
        value: null,
        reason: '工作表不是任何一类名册（列名无法识别），已跳过',
        severity: 'warning',
      });
    }
  }
  if (sheets === 0) throw new PlanError('工作簿中没有工作表', guess);
  if (found.length === 0) throw new PlanError('工作簿中没有可导入的数据：所有工作表都是空的或无法识别', guess);

  const ordered = [...found].sort((a, b) => kindRank(a.header.kind) - kindRank(b.header.kind) || a.sheetIndex - b.sheetIndex);
  // Each reading of the workbook handles sheets in file order, so the
  // dependency order splits into runs that also rise in file order.
  const passes: number[][] = [];
  let current: number[] = [];
  for (const p of ordered) {
    const last = current.at(-1);
    if (last !== undefined && p.sheetIndex < last) {
      passes.push(current);
      current = [];
    }
    current.push(p.sheetIndex);
  }
  if (current.length > 0) passes.push(current);
  const kinds = new Set(found.map((p) => p.header.kind));
  const kind: ImportRunKind = kinds.size === 1 ? (found[0]?.header.kind ?? 'workbook') : 'workbook';
  return { path, fileName, sizeBytes: size, format, kind, parts: ordered, passes, problems };
}

// ---------------------------------------------------------------------------
// Import

export interface ImportProgressState {
  bytesRead: number;
  bytesTotal: number;
  rows: number;
}

export interface ImportOptions {
  store: RosterImportStore;
  importId: string;
  /** The admin's area prefix: rows outside it are errors. Null (command line) imports anywhere. */
  areaPrefix: string | null;
  log: ProblemLog;
  /** Updated as the file is read; the caller polls it. */
  progress?: ImportProgressState;
  signal?: AbortSignal | undefined;
  /** Rows per database round trip. */
  batchRows?: number;
  /** Counts to add to as rows are settled (lets a caller show them while the import runs). */
  counts?: ImportResult['counts'];
}

export interface ImportResult {
  parts: ImportPartSummary[];
  counts: { ok: number; warning: number; error: number };
}

interface Pending<T> {
  c: RowCursor;
  value: T | null;
}

interface Ctx {
  store: RosterImportStore;
  importId: string;
  areaPrefix: string | null;
  knownItems: Set<string>;
}

interface KindHandler<T, W> {
  parse(c: RowCursor): T | null;
  /** Natural key for duplicates within the file, and the column to blame. */
  key(value: T): string;
  keyField: string;
  duplicateReason(earlierRow: number): string;
  /** Referential and area checks; returns the row to write, or null (an error was reported on the cursor). */
  check(items: Pending<T>[], ctx: Ctx): Promise<(W | null)[]>;
  write(rows: W[], ctx: Ctx): Promise<WriteCounts>;
}

function outsideArea(ctx: Ctx, code: string): boolean {
  return ctx.areaPrefix !== null && !code.startsWith(ctx.areaPrefix);
}

function areaReason(ctx: Ctx, what: string): string {
  return `${what}不在您的管理区域内（区划代码前缀 ${ctx.areaPrefix ?? ''}），不能导入`;
}

const unique = <T>(values: Iterable<T>): T[] => [...new Set(values)];

type ParsedRegion = NonNullable<ReturnType<typeof parseRegion>>;
type ParsedItem = NonNullable<ReturnType<typeof parseSubsidyItem>>;
type ParsedHousehold = NonNullable<ReturnType<typeof parseHousehold>>;

const regionsHandler: KindHandler<ParsedRegion, ParsedRegion> = {
  parse: parseRegion,
  key: (r) => r.code,
  keyField: 'code',
  duplicateReason: (row) => `与第 ${row} 行的区划代码重复`,
  async check(items, ctx) {
    return items.map(({ c, value }) => {
      if (!value) return null;
      if (outsideArea(ctx, value.code)) {
        c.error('code', areaReason(ctx, '该区划'));
        return null;
      }
      return value;
    });
  },
  write: (rows, ctx) => ctx.store.upsertRegions(rows, ctx.importId),
};

const itemsHandler: KindHandler<ParsedItem, ParsedItem> = {
  parse: parseSubsidyItem,
  key: (i) => i.code,
  keyField: 'code',
  duplicateReason: (row) => `与第 ${row} 行的项目编码重复`,
  // The catalogue is county-wide and carries no region: any admin may maintain it.
  check: async (items) => items.map((p) => p.value),
  write: (rows, ctx) => ctx.store.upsertSubsidyItems(rows, ctx.importId),
};

const householdsHandler: KindHandler<ParsedHousehold, ParsedHousehold> = {
  parse: parseHousehold,
  key: (h) => h.id,
  keyField: 'id',
  duplicateReason: (row) => `与第 ${row} 行的户编号重复`,
  async check(items, ctx) {
    const values = items.flatMap((p) => (p.value ? [p.value] : []));
    const regions = await ctx.store.findRegions(unique(values.map((v) => v.villageCode)));
    // Only needed to keep an area admin off other areas' households.
    const existing = ctx.areaPrefix === null ? new Map<string, { villageCode: string }>() : await ctx.store.findHouseholds(unique(values.map((v) => v.id)));
    return items.map(({ c, value }) => {
      if (!value) return null;
      if (outsideArea(ctx, value.villageCode)) {
        c.error('villageCode', areaReason(ctx, '该村（社区）'));
        return null;
      }
      if (!regions.has(value.villageCode)) {
        c.error('villageCode', `村（社区）代码 ${value.villageCode} 不在区划表中；请核对代码，或先导入区划`);
        return null;
      }
      const before = existing.get(value.id);
      if (before && outsideArea(ctx, before.villageCode)) {
        c.error('id', `户编号 ${value.id} 已属于区域外的村（${before.villageCode}），不能改动`);
        return null;
      }
      return value;
    });
  },
  write: (rows, ctx) => ctx.store.upsertHouseholds(rows, ctx.importId),
};

type ParsedPerson = NonNullable<ReturnType<typeof parsePerson>>;

const personsHandler: KindHandler<ParsedPerson, PersonRow> = {
  parse: parsePerson,
  key: (p) => p.id,
  keyField: 'id',
  duplicateReason: (row) => `与第 ${row} 行的身份证号重复：同一人只能出现一次`,
  async check(items, ctx) {
    const values = items.flatMap((p) => (p.value ? [p.value] : []));
    const households = await ctx.store.findHouseholds(unique(values.map((v) => v.householdId)));
    const existing = await ctx.store.findPersons(unique(values.map((v) => v.id)));
    return items.map(({ c, value }) => {
      if (!value) return null;
      const household = households.get(value.householdId);
      if (!household) {
        c.error('householdId', `户编号 ${value.householdId} 不存在；请先导入户信息（或在同一工作簿中放入“户”工作表）`);
        return null;
      }
      if (outsideArea(ctx, household.villageCode)) {
        c.error('householdId', areaReason(ctx, `户 ${value.householdId} 所在的村`));
        return null;
      }
      const before = existing.get(value.id);
      if (before && before.householdId !== value.householdId) {
        c.error('id', `该身份证号已登记在户 ${before.householdId}，与本行的户 ${value.householdId} 不一致；同一人不能属于两户，请核实后再导入`);
        return null;
      }
      return { ...value, villageCode: household.villageCode };
    });
  },
  write: (rows, ctx) => ctx.store.upsertPersons(rows, ctx.importId),
};

type ParsedAccount = NonNullable<ReturnType<typeof parseAccount>>;

const accountsHandler: KindHandler<ParsedAccount, AccountRow> = {
  parse: parseAccount,
  key: (a) => accountKey(a.number, a.bankName),
  keyField: 'number',
  duplicateReason: (row) => `与第 ${row} 行是同一账户（账号和开户银行都相同）`,
  async check(items, ctx) {
    const values = items.flatMap((p) => (p.value ? [p.value] : []));
    const holders = await ctx.store.findPersons(unique(values.map((v) => v.holderPersonId)));
    const existing = await ctx.store.findAccounts(unique(values.map((v) => v.number)));
    return items.map(({ c, value }) => {
      if (!value) return null;
      const holder = holders.get(value.holderPersonId);
      if (!holder) {
        c.error('holderPersonId', '持卡人不在人员名册中；请先导入人员');
        return null;
      }
      if (outsideArea(ctx, holder.villageCode)) {
        c.error('holderPersonId', areaReason(ctx, '持卡人所在的村'));
        return null;
      }
      const before = existing.get(accountKey(value.number, value.bankName));
      if (before && outsideArea(ctx, before.villageCode)) {
        c.error('number', '该账户已登记在区域外的村，不能改动');
        return null;
      }
      if (before && before.holderPersonId !== value.holderPersonId) {
        c.warn('holderPersonId', `该账户原登记的持卡人身份证号为 ${before.holderPersonId}，本次改为 ${value.holderPersonId}`);
      }
      return { ...value, villageCode: holder.villageCode };
    });
  },
  write: (rows, ctx) => ctx.store.upsertAccounts(rows, ctx.importId),
};

const linesHandler: KindHandler<ParsedPaymentLine, PaymentLineRow> = {
  parse: parsePaymentLine,
  key: (l) => l.id,
  keyField: 'lineId',
  duplicateReason: (row) => `与第 ${row} 行是同一笔发放（同一项目、对象、期间与序次，或同一明细编号）；如为补发，请在“序次”列填 2、3…`,
  async check(items, ctx) {
    const values = items.flatMap((p) => (p.value ? [p.value] : []));
    const missingItems = unique(values.map((v) => v.itemCode)).filter((code) => !ctx.knownItems.has(code));
    if (missingItems.length > 0) for (const code of await ctx.store.findSubsidyItemCodes(missingItems)) ctx.knownItems.add(code);
    // One after the other: the transaction is one connection, which runs one query at a time anyway.
    const persons = await ctx.store.findPersons(unique(values.map((v) => v.beneficiaryPersonId)));
    const accounts = await ctx.store.findAccounts(unique(values.map((v) => v.accountNumber)));
    const existing = ctx.areaPrefix === null ? new Map<string, { villageCode: string }>() : await ctx.store.findPaymentLines(unique(values.map((v) => v.id)));
    // Beneficiaries not on the roster are settled through the household or village given in the file.
    const offRoster = values.filter((v) => !persons.has(v.beneficiaryPersonId));
    const households = await ctx.store.findHouseholds(unique(offRoster.flatMap((v) => (v.householdId === undefined ? [] : [v.householdId]))));
    const regions = await ctx.store.findRegions(unique(offRoster.flatMap((v) => (v.villageCode === undefined ? [] : [v.villageCode]))));
    return items.map(({ c, value }) => {
      if (!value) return null;
      if (!ctx.knownItems.has(value.itemCode)) {
        c.error('itemCode', `项目编码 ${value.itemCode} 不在补贴项目清单中；请先导入补贴项目`);
        return null;
      }
      let householdId: string;
      let villageCode: string;
      const person = persons.get(value.beneficiaryPersonId);
      if (person) {
        householdId = person.householdId;
        villageCode = person.villageCode;
        if (value.householdId !== undefined && value.householdId !== person.householdId) {
          c.warn('householdId', `发放对象在名册中属于户 ${person.householdId}，与本行的户编号不同；已按名册记录`);
        }
      } else {
        const household = value.householdId === undefined ? undefined : households.get(value.householdId);
        if (value.householdId !== undefined && household) {
          householdId = value.householdId;
          villageCode = household.villageCode;
        } else if (value.householdId !== undefined && value.villageCode !== undefined && regions.has(value.villageCode)) {
          householdId = value.householdId;
          villageCode = value.villageCode;
        } else {
          c.error(
            'beneficiaryPersonId',
            value.householdId === undefined || value.villageCode === undefined
              ? '发放对象不在人员名册中，且未同时填写“户编号”和“村(社区)代码”，无法确定所属村；请先导入人员，或补填这两列'
              : `发放对象不在人员名册中，村（社区）代码 ${value.villageCode} 也不在区划表中`,
          );
          return null;
        }
        // Kept: a payment to someone off the roster is itself a finding (C2).
        c.warn('beneficiaryPersonId', '发放对象不在人员名册中（已导入，请核实是否虚报冒领）');
      }
      if (outsideArea(ctx, villageCode)) {
        c.error('beneficiaryPersonId', areaReason(ctx, `发放对象所在的村（${villageCode}）`));
        return null;
      }
      const before = existing.get(value.id);
      if (before && outsideArea(ctx, before.villageCode)) {
        c.error(c.has('lineId') ? 'lineId' : 'beneficiaryPersonId', '该发放明细已登记在区域外的村，不能改动');
        return null;
      }
      if (!accounts.has(accountKey(value.accountNumber, value.bankName))) {
        c.warn('accountNumber', '收款账户不在账户名册中（已导入，请核实）');
      }
      const { householdId: _h, villageCode: _v, ...line } = value;
      return { ...line, householdId, villageCode };
    });
  },
  write: (rows, ctx) => ctx.store.upsertPaymentLines(rows, ctx.importId),
};

/** One type for all: each handler only ever receives the values its own parse produced. */
type AnyHandler = KindHandler<unknown, unknown>;
const HANDLERS: Readonly<Record<RosterDataKind, AnyHandler>> = {
  regions: regionsHandler,
  'subsidy-items': itemsHandler,
  households: householdsHandler,
  persons: personsHandler,
  accounts: accountsHandler,
  'payment-lines': linesHandler,
};

/** Rows per round trip: large enough to amortise it, small enough for a quick transaction step. */
const DEFAULT_BATCH_ROWS = 2000;

class PartImporter {
  private batch: Pending<unknown>[] = [];
  private inFlight: Promise<void> = Promise.resolve();
  private readonly index = new KeyRowIndex();
  readonly summary: ImportPartSummary;

  constructor(
    private readonly plan: FilePlan,
    private readonly part: PlannedPart,
    private readonly opts: ImportOptions,
    private readonly ctx: Ctx,
    private readonly counts: ImportResult['counts'],
  ) {
    this.summary = { sheet: part.sheet, kind: part.header.kind, rows: 0, inserted: 0, updated: 0, unchanged: 0, errors: 0, warnings: 0 };
  }

  private get handler(): AnyHandler {
    return HANDLERS[this.part.header.kind];
  }

  async consume(rows: AsyncIterable<SheetRow>): Promise<void> {
    const batchRows = this.opts.batchRows ?? DEFAULT_BATCH_ROWS;
    const handler = this.handler;
    try {
      for await (const { row, cells } of rows) {
        if (row <= this.part.header.row || cells.every(isBlank)) continue;
        this.summary.rows++;
        if (this.opts.progress) this.opts.progress.rows++;
        const c = new RowCursor(this.plan.fileName, this.part.sheet, this.part.header, row, cells);
        reportGarbledCells(c);
        let value = c.hasError ? null : handler.parse(c);
        if (value !== null && !c.hasError) {
          const earlier = this.index.addOrGet(handler.key(value), row);
          if (earlier !== undefined) {
            c.error(c.has(handler.keyField) ? handler.keyField : null, handler.duplicateReason(earlier));
            value = null;
          }
        }
        this.batch.push({ c, value: c.hasError ? null : value });
        if (this.batch.length >= batchRows) {
          // The next batch is parsed while this one is checked and written;
          // the database still sees one batch at a time, in file order.
          await this.inFlight;
          const batch = this.batch;
          this.batch = [];
          this.inFlight = this.settle(batch);
          // Observed by the next await; avoids an unhandled rejection meanwhile.
          this.inFlight.catch(() => undefined);
        }
      }
      await this.inFlight;
      const last = this.batch;
      this.batch = [];
      await this.settle(last);
    } finally {
      // Never leave a write running past a failure: the caller rolls the
      // transaction back, and a statement arriving after the rollback would
      // run outside it.
      await this.inFlight.catch(() => undefined);
    }
  }

  private async settle(batch: Pending<unknown>[]): Promise<void> {
    if (batch.length === 0) return;
    if (this.opts.signal?.aborted) throw this.opts.signal.reason instanceof Error ? this.opts.signal.reason : new Error('import aborted');
    const handler = this.handler;
    const rows = await handler.check(batch, this.ctx);
    const writable: unknown[] = [];
    rows.forEach((r, i) => {
      if (r !== null && batch[i]?.c.hasError === false) writable.push(r);
    });
    const written = writable.length > 0 ? await handler.write(writable, this.ctx) : { inserted: 0, updated: 0 };
    this.summary.inserted += written.inserted;
    this.summary.updated += written.updated;
    this.summary.unchanged += writable.length - written.inserted - written.updated;
    for (const { c } of batch) {
      for (const p of c.problems) this.opts.log.add(p);
      if (c.hasError) {
        this.summary.errors++;
        this.counts.error++;
      } else if (c.problems.length > 0) {
        this.summary.warnings++;
        this.counts.warning++;
      } else {
        this.counts.ok++;
      }
    }
  }
}

/**
 * Imports a planned file through `opts.store`. The caller wraps the call in
 * one transaction: an ImportFileError thrown here (a file that turns out to
 * be broken half-way) must roll back everything written before it.
 */
export async function importPlannedFile(plan: FilePlan, opts: ImportOptions): Promise<ImportResult> {
  for (const p of plan.problems) opts.log.add(p);
  const ctx: Ctx = { store: opts.store, importId: opts.importId, areaPrefix: opts.areaPrefix, knownItems: new Set() };
  const counts = opts.counts ?? { ok: 0, warning: 0, error: 0 };
  const parts: ImportPartSummary[] = [];
  const progress = opts.progress;
  if (progress) {
    progress.bytesTotal = plan.sizeBytes * plan.passes.length;
    progress.bytesRead = 0;
  }
  const onBytes = (n: number) => {
    if (progress) progress.bytesRead += n;
  };

  if (plan.format === 'csv') {
    const part = plan.parts[0];
    if (!part) return { parts, counts };
    const importer = new PartImporter(plan, part, opts, ctx, counts);
    await importer.consume(readCsvRows(plan.path, { onBytes, signal: opts.signal }));
    return { parts: [importer.summary], counts };
  }

  const byIndex = new Map(plan.parts.map((p) => [p.sheetIndex, p]));
  for (const pass of plan.passes) {
    const wanted = new Set(pass);
    for await (const sheet of readXlsxSheets(plan.path, { onBytes, signal: opts.signal })) {
      const part = byIndex.get(sheet.index);
      if (!part || !wanted.has(sheet.index)) continue;
      const importer = new PartImporter(plan, part, opts, ctx, counts);
      await importer.consume(sheet.rows);
      parts.push(importer.summary);
      wanted.delete(sheet.index);
      // The rest of the workbook is for a later pass: stop reading it now.
      if (wanted.size === 0) break;
    }
  }
  // Report parts in processing order, which is how the plan lists them.
  const order = new Map(plan.parts.map((p, i) => [p.sheetIndex, i]));
  const sheetIndexOf = (s: ImportPartSummary) => plan.parts.find((p) => p.sheet === s.sheet)?.sheetIndex ?? 0;
  parts.sort((a, b) => (order.get(sheetIndexOf(a)) ?? 0) - (order.get(sheetIndexOf(b)) ?? 0));
  return { parts, counts };
}
