/**
 * `npm run cli -- import <file...>`: imports roster files from the server's
 * shell, on the same database the server uses (PGlite in --data-dir, or
 * PostgreSQL at --database-url), with the same checks and report as an
 * upload. Progress goes to stderr, the report to stdout; the exit code is 1
 * when a file was refused as a whole.
 */
import { writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { normalizeAreaPrefix } from '#shared/domain/region-code.ts';
import { configureZodMessages } from '#shared/schemas/zod-locale.ts';
import { loadConfig } from '#server/config.ts';
import { openDatabase } from '#server/db/client.ts';
import type { ImportRunKind } from '#shared/schemas/roster-import.ts';
import { KIND_SPECS, kindRank } from '#server/import/columns.ts';
import { reportCsv } from '#server/import/csv-write.ts';
import type { ImportProgressState } from '#server/import/importer.ts';
import { DEFAULT_MAX_FILE_BYTES, PlanError, type FilePlan } from '#server/import/plan.ts';
import { planImport, runImport, type ImportOutcome } from '#server/import/service.ts';

const HELP = `用法：npm run cli -- import <文件...> [选项]

导入区划、补贴项目、户、人员、账户、发放明细（CSV 或 XLSX；列名见 README“Importing the roster”）。
多个文件按依赖顺序导入（区划 → 补贴项目 → 户 → 人员 → 账户 → 发放明细），每个文件一个事务。

选项：
  --database-url <url>   PostgreSQL 连接串（默认读取 DATABASE_URL；都没有则用 PGlite）
  --data-dir <dir>       PGlite 数据目录（默认读取 DATA_DIR，否则 ./data）
  --area <区划代码>       只允许导入该区域内的行（如 421321）；默认不限
  --report <file.csv>    把完整的问题报告写入 CSV 文件（UTF-8 带 BOM，可用 Excel 打开）
  --max-size <MB>        单个文件大小上限，默认 1024 MB
  --show <n>             在屏幕上列出前 n 条问题，默认 50
  -h, --help             显示本说明`;

const KIND_LABEL = (k: ImportRunKind): string => (k === 'workbook' ? '工作簿' : KIND_SPECS[k].label);

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

/** Progress line on stderr once a second: rows, rows/s and the share of the file read. */
function startProgress(fileName: string, progress: ImportProgressState): () => void {
  const started = Date.now();
  const tty = process.stderr.isTTY;
  let lastPrint = 0;
  const print = (final: boolean) => {
    const secs = (Date.now() - started) / 1000;
    const rate = secs > 0 ? Math.round(progress.rows / secs) : 0;
    const pct = progress.bytesTotal > 0 ? Math.min(100, Math.floor((progress.bytesRead / progress.bytesTotal) * 100)) : 0;
    const line = `${fileName}：${fmt(progress.rows)} 行，${fmt(rate)} 行/秒，已读 ${pct}%，${secs.toFixed(1)} 秒`;
    if (tty) process.stderr.write(`\r\x1b[K${line}${final ? '\n' : ''}`);
    else if (final || Date.now() - lastPrint >= 5000) {
      process.stderr.write(`${line}\n`);
      lastPrint = Date.now();
    }
  };
  const timer = setInterval(() => print(false), 1000);
  return () => {
    clearInterval(timer);
    print(true);
  };
}

function printOutcome(o: ImportOutcome, show: number): void {
  const head = o.status === 'succeeded' ? '完成' : '失败（未改动任何数据）';
  console.log(`\n== ${o.fileName}（${KIND_LABEL(o.kind)}）：${head}`);
  if (o.fileError) console.log(`   原因：${o.fileError}`);
  for (const p of o.parts) {
    const where = p.sheet === null ? '' : `工作表“${p.sheet}” `;
    console.log(
      `   ${where}${KIND_LABEL(p.kind)}：读取 ${fmt(p.rows)} 行；新增 ${fmt(p.inserted)}，更新 ${fmt(p.updated)}，未变 ${fmt(p.unchanged)}；错误 ${fmt(p.errors)} 行（已跳过），警告 ${fmt(p.warnings)} 行（已导入）`,
    );
  }
  if (o.status === 'succeeded') console.log(`   合计：正常 ${fmt(o.counts.ok)} 行，警告 ${fmt(o.counts.warning)} 行，错误 ${fmt(o.counts.error)} 行；导入记录 ${o.id}`);
  // A refused file's reason is already printed above.
  const listed = o.problems.filter((p) => !(p.row === null && p.reason === o.fileError)).slice(0, show);
  for (const p of listed) {
    const where = [p.sheet === null ? null : `工作表“${p.sheet}”`, p.row === null ? null : `第 ${p.row} 行`, p.column === null ? null : `“${p.column}”列`]
      .filter((x) => x !== null)
      .join(' ');
    const value = p.value === null || p.value === '' ? '' : `（值：${p.value}）`;
    console.log(`   [${p.severity === 'error' ? '错误' : '警告'}] ${where}${where ? '：' : ''}${p.reason}${value}`);
  }
  const others = o.problemCount - listed.length - (o.fileError === null ? 0 : 1);
  if (others > 0) console.log(`   …… 另有 ${fmt(others)} 条问题，完整列表用 --report 导出`);
}

export async function run(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'database-url': { type: 'string' },
        'data-dir': { type: 'string' },
        area: { type: 'string' },
        report: { type: 'string' },
        'max-size': { type: 'string' },
        show: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = args;
  if (values.help === true) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length === 0) {
    console.error(`请给出要导入的文件\n\n${HELP}`);
    return 2;
  }
  let areaPrefix: string | null = null;
  if (values.area !== undefined) {
    areaPrefix = normalizeAreaPrefix(values.area);
    if (areaPrefix === null) {
      console.error(`--area ${values.area} 不是有效的区划代码或前缀（如 421321 或 421321000000）`);
      return 2;
    }
  }
  const maxMb = values['max-size'] === undefined ? null : Number(values['max-size']);
  if (maxMb !== null && !(maxMb > 0)) {
    console.error('--max-size 应为正数（MB）');
    return 2;
  }
  const show = values.show === undefined ? 50 : Math.max(0, Number.parseInt(values.show, 10) || 0);
  const maxFileBytes = maxMb === null ? DEFAULT_MAX_FILE_BYTES : Math.floor(maxMb * 1024 * 1024);

  configureZodMessages();
  const config = loadConfig({ ...process.env, ...(values['data-dir'] ? { DATA_DIR: values['data-dir'] } : {}) });
  const url = values['database-url'] ?? config.databaseUrl;
  const database = await openDatabase(url ? { kind: 'postgres', url } : { kind: 'pglite', dataDir: config.dataDir });
  let failed = 0;
  try {
    await database.migrate();
    console.error(`数据库：${database.kind === 'postgres' ? 'PostgreSQL' : `PGlite（${config.dataDir}）`}`);

    const planned: { path: string; name: string; plan: FilePlan | PlanError }[] = [];
    for (const p of positionals) {
      const path = resolve(p);
      planned.push({ path, name: basename(path), plan: await planImport(path, basename(path), { maxFileBytes }) });
    }
    // Dependency order across files, so persons find the households of another file.
    const rank = (x: (typeof planned)[number]) =>
      x.plan instanceof PlanError ? -1 : Math.min(...x.plan.parts.map((part) => kindRank(part.header.kind)));
    planned.sort((a, b) => rank(a) - rank(b));

    const reportRows = [];
    let omitted = 0;
    for (const f of planned) {
      const progress: ImportProgressState = { bytesRead: 0, bytesTotal: 0, rows: 0 };
      const stop = f.plan instanceof PlanError ? () => undefined : startProgress(f.name, progress);
      const outcome = await runImport(database.db, f.path, f.name, f.plan, { user: null, areaPrefix, maxFileBytes, progress });
      stop();
      if (outcome.internalError !== undefined) console.error(outcome.internalError);
      printOutcome(outcome, show);
      if (outcome.status === 'failed') failed++;
      reportRows.push(...outcome.problems);
      omitted += outcome.problemCount - outcome.problems.length;
    }
    if (values.report !== undefined) {
      await writeFile(values.report, reportCsv(reportRows, omitted), 'utf8');
      console.log(`\n问题报告已写入 ${resolve(values.report)}（${fmt(reportRows.length)} 条）`);
    }
  } finally {
    await database.close();
  }
  return failed > 0 ? 1 : 0;
}
