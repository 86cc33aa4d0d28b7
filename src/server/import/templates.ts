/**
 * Import templates: the Chinese headers of each kind and one example row
 * that imports cleanly as it is (the example household holds the example
 * person, who holds the example card). The CSV is UTF-8 with a BOM so Excel
 * opens it correctly; in the workbook, ID and account columns are formatted
 * as text so Excel keeps all 18–19 digits when they are typed in.
 */
import ExcelJS from 'exceljs';
import { KIND_SPECS, ROSTER_DATA_KINDS, type RosterDataKind } from './columns.ts';
import { csvLine, UTF8_BOM } from './csv-write.ts';
import { importText as t } from '#server/messages/import.zh-CN.ts';

export function templateCsv(kind: RosterDataKind): string {
  const spec = KIND_SPECS[kind];
  return UTF8_BOM + csvLine(spec.columns.map((c) => c.zh)) + csvLine(spec.columns.map((c) => c.example), { guardFormula: false });
}

/** One sheet per kind, in import order, named as the importer recognises them. */
export async function templateWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = t.template.creator;
  for (const kind of ROSTER_DATA_KINDS) {
    const spec = KIND_SPECS[kind];
    const ws = wb.addWorksheet(spec.label, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = spec.columns.map((c) => ({
      header: c.zh,
      key: c.field,
      width: Math.max(10, Math.min(28, c.zh.length * 2 + 4, c.example.length + 4)),
      ...(c.text === true ? { style: { numFmt: '@' } } : {}),
    }));
    const header = ws.getRow(1);
    header.font = { bold: true };
    spec.columns.forEach((c, i) => {
      if (c.required) header.getCell(i + 1).note = t.template.required;
    });
    ws.addRow(Object.fromEntries(spec.columns.map((c) => [c.field, c.example])));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
