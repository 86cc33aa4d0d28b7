import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsvRows, type SheetRow } from '#server/import/csv-reader.ts';
import { ImportFileError } from '#server/import/problems.ts';
import { readXlsxSheets, UNREADABLE_XLSX } from '#server/import/xlsx-reader.ts';

const dir = mkdtempSync(join(tmpdir(), 'ykt-readers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(content: string | Buffer, ext = 'csv'): string {
  const path = join(dir, `f${n++}.${ext}`);
  writeFileSync(path, content);
  return path;
}

async function rows(path: string): Promise<SheetRow[]> {
  const out: SheetRow[] = [];
  for await (const r of readCsvRows(path)) out.push(r);
  return out;
}

const TEXT = '身份证号,姓名\r\n421321196805120013,王德明\r\n11010519491231002X,李秀英\r\n';
const EXPECTED = [
  { row: 1, cells: ['身份证号', '姓名'] },
  { row: 2, cells: ['421321196805120013', '王德明'] },
  { row: 3, cells: ['11010519491231002X', '李秀英'] },
];

describe('readCsvRows: encodings', () => {
  it('reads UTF-8 without a byte-order mark', async () => {
    expect(await rows(file(Buffer.from(TEXT, 'utf8')))).toEqual(EXPECTED);
  });

  it('reads UTF-8 with a byte-order mark (Excel "CSV UTF-8") and drops the mark', async () => {
    expect(await rows(file(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT, 'utf8')])))).toEqual(EXPECTED);
  });

  it('reads GBK as saved by Excel on Chinese Windows', async () => {
    const gbk = iconv.encode(TEXT, 'gbk');
    expect(gbk.equals(Buffer.from(TEXT, 'utf8'))).toBe(false);
    expect(await rows(file(gbk))).toEqual(EXPECTED);
  });

  it('decides on the first non-ASCII bytes even when they come after the first chunk', async () => {
    // 200 KB of ASCII rows, then GBK text: a decision on the first 64 KB alone would pick UTF-8.
    const ascii = 'code,name\r\n' + '421321101200,abc\r\n'.repeat(12_000);
    const content = Buffer.concat([Buffer.from(ascii, 'latin1'), iconv.encode('421321101201,星亮村\r\n', 'gbk')]);
    const all = await rows(file(content));
    expect(all).toHaveLength(12_002);
    expect(all.at(-1)).toEqual({ row: 12_002, cells: ['421321101201', '星亮村'] });
  });

  it('reads tab-separated UTF-16LE (Excel "Unicode 文本")', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT.replace(/,/gu, '\t'), 'utf16le')]);
    expect(await rows(file(utf16))).toEqual(EXPECTED);
  });

  it('reads a UTF-8 file with GBK rows appended as UTF-8, the GBK rows showing U+FFFD for the importer to report', async () => {
    const mixed = Buffer.concat([Buffer.from('姓名\r\n王德明\r\n张三丰\r\n', 'utf8'), iconv.encode('李秀英\r\n', 'gbk')]);
    const all = await rows(file(mixed));
    expect(all.slice(0, 3).map((r) => r.cells)).toEqual([['姓名'], ['王德明'], ['张三丰']]);
    expect(String(all[3]?.cells[0])).toContain('\uFFFD');
  });
});

describe('readCsvRows: rows as Excel numbers them', () => {
  it('counts a quoted cell with line breaks as one row and keeps blank lines', async () => {
    const content = 'a,b\r\n"多行\r\n备注",x\r\n\r\nlast,y\r\n';
    const all = await rows(file(content));
    expect(all.map((r) => r.row)).toEqual([1, 2, 3, 4]);
    expect(all[1]?.cells).toEqual(['多行\r\n备注', 'x']);
    expect(all[3]?.cells).toEqual(['last', 'y']);
  });

  it('tolerates rows with fewer or more cells than the header', async () => {
    const all = await rows(file('a,b,c\r\n1\r\n1,2,3,4\r\n'));
    expect(all.map((r) => r.cells.length)).toEqual([3, 1, 4]);
  });

  it('refuses a file whose quote never closes, naming the row', async () => {
    const err = await rows(file('a,b\r\n1,2\r\n"unclosed,3\r\n4,5\r\n')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportFileError);
    expect((err as Error).message).toContain('引号');
    expect((err as Error).message).toContain('第 3 行');
  });

  it('reads an empty file as no rows', async () => {
    expect(await rows(file(''))).toEqual([]);
  });
});

describe('readXlsxSheets', () => {
  async function workbook(build: (wb: ExcelJS.Workbook) => void): Promise<string> {
    const wb = new ExcelJS.Workbook();
    build(wb);
    const path = join(dir, `w${n++}.xlsx`);
    // Via a buffer: ExcelJS's writeFile can resolve before the file is complete (seen once under load in CI).
    writeFileSync(path, Buffer.from(await wb.xlsx.writeBuffer()));
    return path;
  }

  it('streams each sheet with its name, Excel row numbers and typed cells', async () => {
    const path = await workbook((wb) => {
      const a = wb.addWorksheet('人员');
      a.addRow(['身份证号', '出生日期', '金额', '备注']);
      const r = a.addRow(['11010519491231002X', new Date(Date.UTC(1949, 11, 31)), 580.5, { richText: [{ text: '富' }, { text: '文本' }] }]);
      r.getCell(2).numFmt = 'yyyy-mm-dd';
      a.getRow(5).values = ['第五行', 43835, { formula: '1+1', result: 2 }, { text: '链接', hyperlink: 'https://example.org' }];
      wb.addWorksheet('发放明细').addRow(['项目编码']);
    });
    const seen: { name: string; rows: SheetRow[] }[] = [];
    for await (const sheet of readXlsxSheets(path)) {
      const all: SheetRow[] = [];
      for await (const r of sheet.rows) all.push(r);
      seen.push({ name: sheet.name, rows: all });
    }
    expect(seen.map((s) => s.name)).toEqual(['人员', '发放明细']);
    const people = seen[0]?.rows ?? [];
    expect(people.map((r) => r.row)).toEqual([1, 2, 5]);
    expect(people[1]?.cells).toEqual(['11010519491231002X', new Date(Date.UTC(1949, 11, 31)), 580.5, '富文本']);
    expect(people[2]?.cells).toEqual(['第五行', 43835, 2, '链接']);
  });

  it('lets a sheet be abandoned after its header and still reaches the next', async () => {
    const path = await workbook((wb) => {
      const a = wb.addWorksheet('A');
      for (let i = 0; i < 500; i++) a.addRow([`a${i}`]);
      wb.addWorksheet('B').addRow(['b0']);
    });
    const firsts: unknown[] = [];
    for await (const sheet of readXlsxSheets(path)) {
      for await (const r of sheet.rows) {
        firsts.push(r.cells[0]);
        break;
      }
    }
    expect(firsts).toEqual(['a0', 'b0']);
  });

  it('refuses a file that is not a readable workbook', async () => {
    const broken = file(Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(64, 7)]), 'xlsx');
    const err = await (async () => {
      for await (const sheet of readXlsxSheets(broken)) for await (const row of sheet.rows) expect(row).toBeUndefined();
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportFileError);
    expect((err as Error).message).toBe(UNREADABLE_XLSX);
  });
});
