import { setTimeout as sleep } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { csvStream, xlsxStream, type Cell } from '#server/exports/table-stream.ts';

/** Pages of an export's rows, counting how many the writer has pulled. */
function source(pages: number, rows: number) {
  const pulled = { pages: 0 };
  async function* gen(): AsyncGenerator<Cell[][]> {
    for (let p = 0; p < pages; p++) {
      // A page arrives asynchronously, as a database's would.
      await Promise.resolve();
      pulled.pages += 1;
      yield Array.from({ length: rows }, (_, i) => [`${p}-${i}`, '星亮村村民委员会', `4213**********${String(i).padStart(4, '0')}`, i, null]);
    }
  }
  return { pulled, pages: gen() };
}

async function collect(stream: AsyncIterable<unknown>, pauseMs = 0): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    if (pauseMs > 0) await sleep(pauseMs);
  }
  return Buffer.concat(chunks);
}

describe('xlsxStream', () => {
  it('writes every row of every page in order, text columns as text, to a reader that takes its time', async () => {
    const { pages } = source(12, 2000);
    const file = await collect(xlsxStream('导出', ['编号', '村', '身份证（脱敏）', '序号', '空'], pages, new Set([0, 2])), 2);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('导出');
    expect(sheet?.rowCount).toBe(1 + 12 * 2000);
    expect(sheet?.getRow(1).getCell(3).text).toBe('身份证（脱敏）');
    expect(sheet?.getRow(2).getCell(1).value).toBe('0-0');
    expect(sheet?.getRow(1 + 12 * 2000).getCell(1).value).toBe('11-1999');
    expect(sheet?.getRow(1 + 12 * 2000).getCell(4).value).toBe(1999);
    expect(sheet?.getRow(3).getCell(3).value).toBe('4213**********0001');
  });

  it('stops pulling pages while nobody reads the file', async () => {
    const { pulled, pages } = source(200, 2000);
    const stream = xlsxStream('导出', ['编号', '村', '身份证（脱敏）', '序号', '空'], pages, new Set());
    await sleep(300);
    // Paced by the zip entry and the response: a few pages ahead at most, not the 200 there are.
    expect(pulled.pages).toBeLessThan(20);
    stream.destroy();
  });
});

describe('csvStream', () => {
  it('starts with a BOM and the header, and pulls pages only as it is read', async () => {
    const { pulled, pages } = source(50, 10);
    const stream = csvStream(['编号', '村', '身份证（脱敏）', '序号', '空'], pages);
    await sleep(50);
    expect(pulled.pages).toBeLessThan(50);
    const text = (await collect(stream)).toString('utf8');
    expect(text.startsWith('\uFEFF编号,村,身份证（脱敏）,序号,空')).toBe(true);
    expect(text.trim().split(/\r?\n/)).toHaveLength(1 + 50 * 10);
  });
});
