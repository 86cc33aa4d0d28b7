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
import { DATABASE_OPTIONS, openCliDatabase } from './cli-database.ts';
import type { ImportRunKind } from '#shared/schemas/roster-import.ts';
import { KIND_SPECS, kindRank } from '#server/import/columns.ts';
import { reportCsv } from '#server/import/csv-write.ts';
import type { ImportProgressState } from '#server/import/importer.ts';
import { DEFAULT_MAX_FILE_BYTES, PlanError, type FilePlan } from '#server/import/plan.ts';
import { planImport, runImport, type ImportOutcome } from '#server/import/service.ts';
import { cliText } from '#server/messages/cli.zh-CN.ts';
import { existsSync } from 'node:fs';

const t = cliText.import;
const HELP = t.help;

const KIND_LABEL = (k: ImportRunKind): string => (k === 'workbook' ? t.workbook : KIND_SPECS[k].label);

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
    const line = t.progress(fileName, fmt(progress.rows), fmt(rate), pct, secs.toFixed(1));
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
  const head = o.status === 'succeeded' ? t.succeeded : t.failed;
  console.log(t.outcome(o.fileName, KIND_LABEL(o.kind), head));
  if (o.fileError) console.log(t.reason(o.fileError));
  for (const p of o.parts) {
    const where = p.sheet === null ? '' : `${t.sheet(p.sheet)} `;
    const n = { rows: fmt(p.rows), inserted: fmt(p.inserted), updated: fmt(p.updated), unchanged: fmt(p.unchanged), errors: fmt(p.errors), warnings: fmt(p.warnings) };
    console.log(t.part(where, KIND_LABEL(p.kind), n));
  }
  if (o.status === 'succeeded') console.log(t.total(fmt(o.counts.ok), fmt(o.counts.warning), fmt(o.counts.error), o.id));
  // A refused file's reason is already printed above.
  const listed = o.problems.filter((p) => !(p.row === null && p.reason === o.fileError)).slice(0, show);
  for (const p of listed) {
    const where = [p.sheet === null ? null : t.sheet(p.sheet), p.row === null ? null : t.row(p.row), p.column === null ? null : t.column(p.column)]
      .filter((x) => x !== null)
      .join(' ');
    const value = p.value === null || p.value === '' ? '' : t.value(p.value);
    console.log(t.problem(p.severity === 'error' ? t.error : t.warning, where, p.reason, value));
  }
  const others = o.problemCount - listed.length - (o.fileError === null ? 0 : 1);
  if (others > 0) console.log(t.more(fmt(others)));
}

export async function run(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...DATABASE_OPTIONS,
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
    console.error(`${t.noFiles}\n\n${HELP}`);
    return 2;
  }
  const missing = positionals.filter((p) => !existsSync(resolve(p)));
  if (missing.length > 0) {
    for (const p of missing) console.error(t.missingFile(resolve(p)));
    return 2;
  }
  let areaPrefix: string | null = null;
  if (values.area !== undefined) {
    areaPrefix = normalizeAreaPrefix(values.area);
    if (areaPrefix === null) {
      console.error(t.badArea(values.area));
      return 2;
    }
  }
  const maxMb = values['max-size'] === undefined ? null : Number(values['max-size']);
  if (maxMb !== null && !(maxMb > 0)) {
    console.error(t.badMaxSize);
    return 2;
  }
  const show = values.show === undefined ? 50 : Math.max(0, Number.parseInt(values.show, 10) || 0);
  const maxFileBytes = maxMb === null ? DEFAULT_MAX_FILE_BYTES : Math.floor(maxMb * 1024 * 1024);

  configureZodMessages();
  const { database, dataDir } = await openCliDatabase(values);
  let failed = 0;
  try {
    console.error(t.database(database.kind === 'postgres' ? 'PostgreSQL' : t.pglite(dataDir)));

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
      console.log(t.reportWritten(resolve(values.report), fmt(reportRows.length)));
    }
  } finally {
    await database.close();
  }
  return failed > 0 ? 1 : 0;
}
