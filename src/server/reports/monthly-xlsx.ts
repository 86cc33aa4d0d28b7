/** The monthly report and the stage summaries as XLSX workbooks: a title row, the header, a row per township, the total. */
import ExcelJS from 'exceljs';
import type { MonthlyReport, MonthlyRow, StageReport } from '#shared/schemas/report.ts';
import { stageFigures, stageTitle } from '#shared/domain/stage-summary.ts';
import { apiText } from '#server/messages/api.zh-CN.ts';

const t = apiText.reports;
const yuan = (fen: number) => Math.round(fen) / 100;
const codeList = (byCode: Record<string, number>) =>
  Object.entries(byCode)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([c, n]) => `${c}×${n}`)
    .join('、');

function cells(r: MonthlyRow): (string | number)[] {
  return [r.name, r.checkedInMonth, r.checkedToDate, r.households, r.foundInMonth, r.byCategory.A ?? 0, r.byCategory.B ?? 0, r.byCategory.C ?? 0, yuan(r.amountInvolvedFen), r.closedInMonth, yuan(r.amountRecoveredFen), r.referredInMonth, r.openAtEnd, r.closedToDate, codeList(r.byCode)];
}

function townshipSheet(wb: ExcelJS.Workbook, name: string, title: string, columns: readonly string[], report: Pick<MonthlyReport, 'rows' | 'total'>) {
  const sheet = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 2 }], pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  sheet.mergeCells(1, 1, 1, columns.length);
  sheet.getCell(1, 1).value = title;
  sheet.getCell(1, 1).font = { bold: true, size: 14 };
  sheet.getRow(2).values = [...columns];
  sheet.getRow(2).font = { bold: true };
  for (const r of report.rows) sheet.addRow(cells(r));
  const total = sheet.addRow(cells(report.total));
  total.font = { bold: true };
  columns.forEach((c, i) => {
    sheet.getColumn(i + 1).width = i === 0 ? 16 : i === columns.length - 1 ? 40 : Math.max(10, c.length * 2);
  });
  for (const col of [9, 11]) sheet.getColumn(col).numFmt = '#,##0.00';
}

export async function monthlyXlsx(report: MonthlyReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  townshipSheet(wb, t.monthlySheet, t.monthlyTitle(report.area.name, report.month), t.monthlyColumns, report);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function stageXlsx(report: StageReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const title = stageTitle(report.area.name, report.year, report.stage);
  const sheet = wb.addWorksheet(t.stageFiguresSheet, { pageSetup: { orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  sheet.mergeCells(1, 1, 1, 2);
  sheet.getCell(1, 1).value = title;
  sheet.getCell(1, 1).font = { bold: true, size: 14 };
  sheet.getRow(2).values = [...t.stageFigureColumns];
  sheet.getRow(2).font = { bold: true };
  for (const f of stageFigures(report)) sheet.addRow([f.label, f.money === true && typeof f.value === 'number' ? yuan(f.value) : f.value]);
  sheet.addRow([t.figuresByCode, codeList(report.total.byCode)]);
  sheet.getColumn(1).width = 36;
  sheet.getColumn(2).width = 48;
  townshipSheet(wb, t.stageTownshipSheet, title, t.stageColumns, report);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
