/**
 * Benchmark: does the XLSX export stream keep memory flat as rows grow?
 * exceljs's streaming writer hands a sheet's XML to the zip entry without
 * heeding back-pressure, so when rows come faster than deflate takes them
 * the XML piles up (table-stream.ts paces on the entry's drain). Here rows
 * come as fast as possible (no database), the worst case for that pile-up.
 *
 * Measured: peak heap and RSS above the level before (sampled every 5 ms,
 * after a forced GC), for 20,000, 80,000 and 240,000 rows of an export's
 * 15 columns; floor: the same rows as CSV through csvStream.
 *
 * Run:  node --expose-gc --import tsx test/bench/xlsx-stream-memory.ts
 */
import type { Readable } from 'node:stream';
import { csvStream, xlsxStream, type Cell } from '#server/exports/table-stream.ts';

const PAGE = 2000;
const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;

async function* pages(n: number): AsyncGenerator<Cell[][]> {
  for (let p = 0; p < n; p++) {
    // A page arrives asynchronously, as a database's would (without its wait).
    await Promise.resolve();
    const page: Cell[][] = [];
    for (let i = 0; i < PAGE; i++) {
      page.push(['厉山镇', '星亮村村民委员会', `${i % 9}组`, `${p}-${i}`, '张三丰', `4213**********${String(i).padStart(4, '0')}`, '已核查', 5, 5, 12, 12, 'A2×1', '李建国', '已通过', '2026-12-04 10:00']);
    }
    yield page;
  }
}

async function measure(make: () => Readable) {
  globalThis.gc?.();
  const base = process.memoryUsage();
  let heap = 0;
  let rss = 0;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    heap = Math.max(heap, m.heapUsed - base.heapUsed);
    rss = Math.max(rss, m.rss - base.rss);
  }, 5);
  const start = performance.now();
  let bytes = 0;
  for await (const chunk of make()) bytes += (chunk as Buffer).length;
  clearInterval(timer);
  return { ms: performance.now() - start, bytes, heap, rss };
}

const header = Array.from({ length: 15 }, (_, i) => `列${i + 1}`);
console.log('| rows | format | time | bytes | peak heap above before | peak RSS above before |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const n of [10, 40, 120]) {
  for (const format of ['csv', 'xlsx'] as const) {
    const m = await measure(() => (format === 'csv' ? csvStream(header, pages(n)) : xlsxStream('导出', header, pages(n), new Set([3, 5]))));
    console.log(`| ${(n * PAGE).toLocaleString('en')} | ${format} | ${(m.ms / 1000).toFixed(1)} s | ${mib(m.bytes)} | ${mib(m.heap)} | ${mib(m.rss)} |`);
  }
}
