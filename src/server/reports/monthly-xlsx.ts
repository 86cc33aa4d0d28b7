/** The monthly report as an XLSX workbook: a title row, the header, a row per township, the total. */
import ExcelJS from 'exceljs';
import type { MonthlyReport, MonthlyRow } from '#shared/schemas/report.ts';
import { apiText } from '#server/messages/api.zh-CN.ts';

const t = apiText.reports;
const yuan = (fen: number) => Math.round(fen) / 100;

function cells(r: MonthlyRow): (string | number)[] {
  const codes = Object.entries(r.byCode)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([c, n]) => `${c}×${n}`)
    .join('、');
  return [r.name, r.checkedInMonth, r.checkedToDate, r.households, r.foundInMonth, r.byCategory.A ?? 0, r.byCategory.B ?? 0, r.byCategory.C ?? 0, yuan(r.amountInvolvedFen), r.closedInMonth, yuan(r.amountRecoveredFen), r.referredInMonth, r.openAtEnd, r.closedToDate, codes];
}

export async function monthlyXlsx(report: MonthlyReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet(t.monthlySheet, { views: [{ state: 'frozen', ySplit: 2 }], pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  const columns = t.monthlyColumns;
  sheet.mergeCells(1, 1, 1, columns.length);
  sheet.getCell(1, 1).value = t.monthlyTitle(report.area.name, report.month);
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
  return Buffer.from(await wb.xlsx.writeBuffer());
}
