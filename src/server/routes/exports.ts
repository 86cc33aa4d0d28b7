/** Exports for the archive and upward reports (issue 15, item 4): streamed, masked, logged. */
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import * as z from 'zod/mini';
import { requestedArea } from '#server/auth/area-scope.ts';
import { CoverageQuerySchema } from '#shared/schemas/coverage.ts';
import { audit } from '#server/audit/audit.ts';
import { LEDGER_STATE_LABELS } from '#shared/domain/ledger/lifecycle.ts';
import { problemTitle } from '#shared/domain/problem-codes.ts';
import { LedgerListQuerySchema, type LedgerItem } from '#shared/schemas/ledger.ts';
import { ledgerPages } from '#server/db/ledger-repository.ts';
import { chinaToday, toLedgerItem } from '#server/ledger/ledger-service.ts';
import {
  coverageExportPages,
  formExportPages,
  formItemExportPages,
  sampleExportPages,
  type CoverageExportRow,
  type FormExportRow,
  type FormItemExportRow,
  type SampleExportRow,
} from '#server/db/exports-repository.ts';
import { refreshComparisons, roundForUser } from '#server/inspection/inspection-service.ts';
import type { Db } from '#server/db/client.ts';
import { findRegion } from '#server/db/regions-repository.ts';
import { csvStream, xlsxStream, type Cell } from '#server/exports/table-stream.ts';
import { apiText } from '#server/messages/api.zh-CN.ts';
import { currentUser, type AuthUser } from '../plugins/auth.ts';
import { attachment } from './attachment.ts';

const t = apiText.exports;
const ExportParams = z.object({ format: z.enum(['csv', 'xlsx']) });
/** 组, 门牌号, 户主身份证: text, never numbers. */
const TEXT_COLUMNS = new Set([2, 3, 5]);
/** 组, 门牌号, 享受人身份证: text. */
const ITEM_TEXT_COLUMNS = new Set([2, 3, 6]);
const yuan = (fen: number | null) => (fen === null ? null : fen / 100);

function cells(r: FormExportRow): Cell[] {
  const at = r.updatedAt instanceof Date ? r.updatedAt : new Date(r.updatedAt);
  return [
    r.township,
    r.village,
    r.groupName,
    r.houseNumber,
    r.headName,
    r.headIdMasked,
    t.outcome[r.outcome] ?? r.outcome,
    r.persons,
    r.personsCovered,
    r.items,
    r.itemsCovered,
    r.problems,
    r.author,
    t.reviewStatus[r.reviewStatus] ?? r.reviewStatus,
    ChinaTime(at),
  ];
}

function itemCells(r: FormItemExportRow): Cell[] {
  return [
    r.township,
    r.village,
    r.groupName,
    r.houseNumber,
    r.headName,
    r.personName,
    r.personIdMasked,
    r.itemName,
    r.ledgerLineCount,
    yuan(r.ledgerAmountFen),
    t.yesNo(r.knows),
    r.received === null ? '' : (t.received[r.received] ?? r.received),
    yuan(r.amountReceivedFen),
    t.yesNo(r.onTime),
    t.yesNo(r.intoOwnCard),
    r.distribution === null ? '' : (t.distribution[r.distribution] ?? r.distribution),
    r.note,
    r.author,
    t.reviewStatus[r.reviewStatus] ?? r.reviewStatus,
  ];
}

/** 地区代码: text. */
const LEDGER_TEXT_COLUMNS = new Set([6]);
const ChinaTime = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

function ledgerCells(r: LedgerItem): Cell[] {
  return [
    r.number,
    r.problemCode,
    r.category,
    problemTitle(r.problemCode),
    r.title,
    r.description,
    r.areaCode,
    r.areaName,
    yuan(r.amountInvolvedFen),
    yuan(r.amountRecoveredFen),
    LEDGER_STATE_LABELS[r.state],
    r.overdue ? t.overdue : '',
    r.assignment?.unit ?? '',
    r.assignment?.person ?? '',
    r.assignment?.measure ?? '',
    r.assignment?.deadline ?? '',
    r.referral?.date ?? '',
    r.referral?.reference ?? '',
    r.outcome ?? '',
    ChinaTime(r.createdAt),
    ChinaTime(r.updatedAt),
  ];
}

/** 村代码: text. */
const COVERAGE_TEXT_COLUMNS = new Set([2]);
/** 组, 门牌号: text. */
const SAMPLE_TEXT_COLUMNS = new Set([2, 3]);
const share = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 1000);

function coverageCells(r: CoverageExportRow): Cell[] {
  const reached = r.visited + r.notFound + r.refused;
  return [
    r.township,
    r.village,
    r.villageCode,
    r.households,
    r.visited,
    r.notFound,
    r.refused,
    Math.max(0, r.households - reached),
    share(reached, r.households),
    r.persons,
    r.personsCovered,
    Math.max(0, r.persons - r.personsCovered),
    r.items,
    r.itemsCovered,
    Math.max(0, r.items - r.itemsCovered),
  ];
}

/** 领到金额×2、发现的问题: each differing field once, with how many times it differs. */
function differingText(fields: string[] | null): string {
  const counts = new Map<string, number>();
  for (const f of fields ?? []) counts.set(f, (counts.get(f) ?? 0) + 1);
  return [...counts].map(([f, n]) => t.times(t.compareField[f] ?? f, n)).join('、');
}

function sampleCells(r: SampleExportRow): Cell[] {
  return [
    r.township,
    r.village,
    r.groupName,
    r.houseNumber,
    r.headName,
    t.sampleReason[r.reason] ?? r.reason,
    r.inspectorName ?? '',
    t.yesNo(r.done),
    r.cadreName ?? '',
    r.compared,
    r.differing,
    r.t1Differing,
    r.t2Differing,
    r.t3Differing,
    differingText(r.differingFields),
  ];
}

async function* rows<R>(pages: AsyncIterable<R[]>, toCells: (r: R) => Cell[]): AsyncGenerator<Cell[][], void, undefined> {
  for await (const page of pages) yield page.map(toCells);
}

/** The export's area: the one asked for (a region of mine, else 403/400) or my own, with its prefix and name. */
async function exportArea(db: Db, user: AuthUser, area: string | undefined) {
  const code = area ?? user.areaPrefix.padEnd(12, '0');
  const prefix = requestedArea(user.areaPrefix, code);
  return { code, prefix, name: (await findRegion(db, code))?.name ?? code };
}

interface Table {
  /** The file's names without the day and extension: ASCII for old clients, and the Chinese one. */
  ascii: string;
  label: (day: string) => string;
  sheet: string;
  columns: readonly string[];
  textColumns: ReadonlySet<number>;
}

/** A table as today's attachment, streamed as CSV (UTF-8 with BOM) or XLSX. */
function sendTable(reply: FastifyReply, format: 'csv' | 'xlsx', table: Table, pages: AsyncIterable<Cell[][]>) {
  const day = new Date().toISOString().slice(0, 10);
  attachment(reply, `${table.ascii}-${day}.${format}`, `${table.label(day)}.${format}`);
  if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(csvStream(table.columns, pages));
  return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(xlsxStream(table.sheet, table.columns, pages, table.textColumns));
}

export const exportRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/exports/forms.:format',
    {
      preHandler: app.requireRole('supervisor', 'admin'),
      schema: {
        tags: ['exports'],
        summary: "One row per household with a cadre form, of my area or a region in it, as CSV (UTF-8 with BOM) or XLSX; numbers masked; streamed; logged",
        params: ExportParams,
        querystring: CoverageQuerySchema,
      },
    },
    async (request, reply) => {
      const { code, prefix, name } = await exportArea(app.db.db, currentUser(request), request.query.area);
      const format = request.params.format;
      await audit(app.db.db, request, { action: 'export.forms', targetType: 'region', targetId: code, details: { format } });
      const table = { ascii: `forms-${code}`, label: (day: string) => t.formsFileName(name, day), sheet: t.formsSheet, columns: t.formColumns, textColumns: TEXT_COLUMNS };
      return sendTable(reply, format, table, rows(formExportPages(app.db.db, prefix), cells));
    },
  );
  app.get(
    '/exports/form-items.:format',
    {
      preHandler: app.requireRole('supervisor', 'admin'),
      schema: {
        tags: ['exports'],
        summary: "One row per person and subsidy item answered on the households' cadre forms, of my area or a region in it, as CSV (UTF-8 with BOM) or XLSX; IDs masked; streamed; logged",
        params: ExportParams,
        querystring: CoverageQuerySchema,
      },
    },
    async (request, reply) => {
      const { code, prefix, name } = await exportArea(app.db.db, currentUser(request), request.query.area);
      const format = request.params.format;
      await audit(app.db.db, request, { action: 'export.form_items', targetType: 'region', targetId: code, details: { format } });
      const table = { ascii: `form-items-${code}`, label: (day: string) => t.itemsFileName(name, day), sheet: t.itemsSheet, columns: t.itemColumns, textColumns: ITEM_TEXT_COLUMNS };
      return sendTable(reply, format, table, rows(formItemExportPages(app.db.db, prefix), itemCells));
    },
  );
  app.get(
    '/exports/coverage.:format',
    {
      preHandler: app.requireRole('supervisor', 'admin'),
      schema: {
        tags: ['exports'],
        summary: 'Coverage of my area or a region in it, one row per village (households reached, persons confirmed, items answered, and the gaps), as CSV (UTF-8 with BOM) or XLSX; logged',
        params: ExportParams,
        querystring: CoverageQuerySchema,
      },
    },
    async (request, reply) => {
      const { code, prefix, name } = await exportArea(app.db.db, currentUser(request), request.query.area);
      const format = request.params.format;
      await audit(app.db.db, request, { action: 'export.coverage', targetType: 'region', targetId: code, details: { format } });
      const table = { ascii: `coverage-${code}`, label: (day: string) => t.coverageFileName(name, day), sheet: t.coverageSheet, columns: t.coverageColumns, textColumns: COVERAGE_TEXT_COLUMNS };
      return sendTable(reply, format, table, rows(coverageExportPages(app.db.db, prefix), coverageCells));
    },
  );
  app.get(
    '/exports/rounds/:id/households.:format',
    {
      preHandler: app.requireRole('supervisor', 'admin'),
      schema: {
        tags: ['exports'],
        summary: "A spot-check round's sampled households in my area, in draw order, with who re-checks them and what the comparison with the cadre's form found, as CSV (UTF-8 with BOM) or XLSX; streamed; logged",
        params: z.object({ id: z.uuid(), format: z.enum(['csv', 'xlsx']) }),
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const round = await roundForUser(app.db.db, user, request.params.id);
      // The comparisons as the round's screen shows them: recomputed where a form changed since.
      await refreshComparisons(app.db.db, { roundId: round.id });
      const format = request.params.format;
      await audit(app.db.db, request, { action: 'export.sample', targetType: 'inspection_round', targetId: round.id, details: { format } });
      const table = { ascii: `round-${round.number}`, label: (day: string) => t.sampleFileName(round.name, day), sheet: t.sampleSheet, columns: t.sampleColumns, textColumns: SAMPLE_TEXT_COLUMNS };
      return sendTable(reply, format, table, rows(sampleExportPages(app.db.db, round.id, user.areaPrefix), sampleCells));
    },
  );
  app.get(
    '/exports/ledger.:format',
    {
      preHandler: app.requireRole('supervisor', 'admin'),
      schema: {
        tags: ['exports'],
        summary: "The problem ledger of my area with the list's filters (state, code, category, area, overdue, amount), newest first, as CSV (UTF-8 with BOM) or XLSX; streamed; logged",
        params: ExportParams,
        querystring: z.omit(LedgerListQuerySchema, { before: true, limit: true }),
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const q = request.query;
      // A township or village of my area, or 403/400 (as the other exports); the list's own filter narrows to it.
      const { code, name } = await exportArea(app.db.db, user, q.area);
      const format = request.params.format;
      await audit(app.db.db, request, { action: 'export.ledger', targetType: 'region', targetId: code, details: { format, ...q } });
      const today = chinaToday();
      const table = { ascii: `ledger-${code}`, label: (day: string) => t.ledgerFileName(name, day), sheet: t.ledgerSheet, columns: t.ledgerColumns, textColumns: LEDGER_TEXT_COLUMNS };
      return sendTable(reply, format, table, rows(ledgerPages(app.db.db, user.areaPrefix, q, today), (r) => ledgerCells(toLedgerItem(r, today))));
    },
  );
};
