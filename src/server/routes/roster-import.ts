/**
 * Roster import over HTTP, for admins: upload CSV/XLSX files, watch the
 * import, read its report, download templates.
 *
 * POST answers 202 with the run ids as soon as the files are on disk; the
 * import runs in the background (one at a time, see import/runner.ts) and
 * the app polls GET /admin/imports/:id for progress.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { regionPrefix } from '#shared/domain/region-code.ts';
import { refreshCoverage } from '#server/db/coverage-repository.ts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import * as z from 'zod/mini';
import { ApiErrorSchema } from '#shared/schemas/api.ts';
import {
  ImportRunListSchema,
  ImportRunSchema,
  ImportUploadResponseSchema,
  ROSTER_DATA_KINDS,
  type ImportRun,
  type ImportRunListItem,
} from '#shared/schemas/roster-import.ts';
import { failInterruptedImports, findImportRecord, listImportRecords, type ImportRecordRow } from '#server/db/roster-import-repository.ts';
import { KIND_SPECS, type RosterDataKind } from '#server/import/columns.ts';
import { reportCsv } from '#server/import/csv-write.ts';
import { maskedProblem } from '#server/privacy/import-problems.ts';
import { DEFAULT_MAX_FILE_BYTES } from '#server/import/plan.ts';
import { DEFAULT_REPORT_CAP } from '#server/import/problems.ts';
import { ImportRunner, type LiveRun, type UploadedFile } from '#server/import/runner.ts';
import { parseStoredReport } from '#server/import/service.ts';
import { templateCsv, templateWorkbook } from '#server/import/templates.ts';
import { currentUser, hashToken, SESSION_COOKIE, type AuthUser } from '../plugins/auth.ts';
import { HttpError, loggableError } from '../plugins/errors.ts';
import { formatBytes } from '#shared/domain/format-bytes.ts';
import { apiText as t } from '#server/messages/api.zh-CN.ts';
import { appendAudit } from '#server/db/audit-repository.ts';
import { attachment } from './attachment.ts';

export interface RosterImportRouteOptions {
  /** Largest file accepted, bytes (default 1 GiB). */
  maxFileBytes?: number;
  /** Problems kept per run (default 10,000); counts stay exact. */
  reportCap?: number;
  /** Where uploads are spooled before import (default the OS temp dir). */
  tempDir?: string;
}

/** Files per upload: a county's six files and a margin. */
const MAX_FILES = 10;
/** Problems returned with a run's status; the CSV report has them all. */
const STATUS_PROBLEMS = 200;
const LIST_LIMIT = 50;

const IdParams = z.object({ id: z.uuid(t.imports.invalidId) });
const TEMPLATE_FILES = [...ROSTER_DATA_KINDS.map((k) => `${k}.csv`), 'workbook.xlsx'] as const;
const TemplateParams = z.object({ file: z.enum(TEMPLATE_FILES) });

/** An error of the operating system (a full disk, a missing temp dir): the server's fault, not the request's. */
function isSystemError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && ('errno' in err || 'syscall' in err);
}

/** A display name for an uploaded file: no path, no control characters, bounded. */
function cleanFileName(raw: string | undefined): string {
  const name = basename((raw ?? '').replace(/\\/gu, '/'))
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u001f\u007f]/gu, '')
    .trim()
    .slice(0, 200);
  return name === '' ? 'upload' : name;
}

/**
 * Who may see a run: admins whose area contains the uploader's area.
 * Command-line runs (no user) may touch any area, so only county-wide or
 * wider admins see them.
 */
function visible(viewer: AuthUser, uploaderAreaCode: string | null): boolean {
  if (uploaderAreaCode === null) return viewer.areaPrefix.length <= 6;
  return uploaderAreaCode.startsWith(viewer.areaPrefix);
}

function liveToRun(r: LiveRun): ImportRun {
  return {
    id: r.id,
    fileName: r.fileName,
    kind: r.kind,
    status: r.status,
    sha256: r.sha256,
    userName: r.user.displayName,
    startedAt: r.startedAt.toISOString(),
    finishedAt: null,
    progress: { ...r.progress },
    counts: { ...r.counts },
    fileError: null,
    parts: [],
    problemCount: r.log.count,
    problems: r.log.kept.slice(0, STATUS_PROBLEMS).map(maskedProblem),
  };
}

function recordToListItem(row: ImportRecordRow, fileError: string | null, problemCount: number): ImportRunListItem {
  return {
    id: row.id,
    fileName: row.fileName,
    kind: row.kind,
    status: row.status,
    sha256: row.sha256,
    userName: row.userId === null ? null : row.userName,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    counts: { ok: row.okCount, warning: row.warningCount, error: row.errorCount },
    fileError,
    problemCount,
  };
}

export const rosterImportRoutes: FastifyPluginAsyncZod<RosterImportRouteOptions> = async (app, opts) => {
  const maxFileBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const tempDir = opts.tempDir ?? tmpdir();
  const runner = new ImportRunner(app.db.db, {
    maxFileBytes,
    reportCap: opts.reportCap ?? DEFAULT_REPORT_CAP,
    onError: (err, run) => app.log.error({ err: loggableError(err), importId: run.id, fileName: run.fileName }, 'roster import failed'),
    onFinished: async (run, outcome) => {
      await appendAudit(app.db.db, {
        action: 'import.run',
        userId: run.user.id,
        username: run.user.username,
        areaCode: run.user.areaCode,
        ip: run.user.ip,
        targetType: 'import',
        targetId: run.id,
        details: { fileName: outcome.fileName, kind: outcome.kind, status: outcome.status, counts: outcome.counts },
      });
      // What was imported is scanned into the ledger (issue 13, item 4), in the background,
      // and the forms are counted again against it (coverage, issue 15).
      if (outcome.status === 'succeeded' && outcome.counts.ok + outcome.counts.warning > 0) {
        await refreshCoverage(app.db.db, regionPrefix(run.user.areaCode));
        await app.scans.request(run.user.areaCode, 'import', { userId: run.user.id, username: run.user.username, ip: run.user.ip });
      }
    },
  });

  await app.register(fastifyMultipart, {
    limits: { fileSize: maxFileBytes, files: MAX_FILES, fields: 10, parts: MAX_FILES + 10 },
  });

  app.addHook('onReady', async () => {
    const n = await failInterruptedImports(app.db.db, {
      version: 1,
      fileError: t.imports.restarted,
      parts: [],
      problemCount: 0,
      problems: [],
    });
    if (n > 0) app.log.warn({ count: n }, 'roster imports interrupted by a restart marked failed');
  });
  app.addHook('onClose', async () => {
    await runner.close();
  });

  const requireAdmin = app.requireRole('admin');

  /**
   * Status polls of a run in progress, from the session that uploaded it,
   * are answered without the database: on PGlite the import's transaction
   * holds the only connection, and the progress bar would otherwise freeze
   * until the import ends. The session was checked when it uploaded; its
   * own run's progress is all it gets this way.
   */
  async function adminOrUploader(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const token = request.cookies[SESSION_COOKIE];
    const id = (request.params as { id?: unknown }).id;
    const run = typeof id === 'string' ? runner.get(id) : undefined;
    if (run && token && hashToken(token) === run.user.sessionId) {
      request.user = {
        id: run.user.id,
        username: run.user.username,
        displayName: run.user.displayName,
        role: 'admin',
        areaCode: run.user.areaCode,
        areaPrefix: run.user.areaPrefix,
        sessionId: run.user.sessionId,
        // It uploaded, so its password was its own then.
        mustChangePassword: false,
      };
      return;
    }
    await requireAdmin(request, reply);
  }

  app.post(
    '/admin/imports',
    {
      preHandler: requireAdmin,
      // The multipart stream is capped per file by `limits.fileSize`; this is the route's own ceiling.
      bodyLimit: maxFileBytes * MAX_FILES,
      schema: {
        tags: ['import'],
        summary: 'Upload roster files (multipart, CSV or XLSX); answers at once with one import id per file',
        consumes: ['multipart/form-data'],
        response: { 202: ImportUploadResponseSchema, 400: ApiErrorSchema, 403: ApiErrorSchema, 413: ApiErrorSchema, 415: ApiErrorSchema },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      if (!request.isMultipart()) throw new HttpError(415, 'unsupported_media_type', t.imports.multipartOnly);
      const files: UploadedFile[] = [];
      try {
        for await (const part of request.files()) {
          const path = join(tempDir, `ykt-import-${randomUUID()}`);
          const hash = createHash('sha256');
          let size = 0;
          const tap = new Transform({
            transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
              hash.update(chunk);
              size += chunk.length;
              done(null, chunk);
            },
          });
          files.push({ path, fileName: cleanFileName(part.filename), sizeBytes: 0, sha256: '' });
          await pipeline(part.file, tap, createWriteStream(path));
          if (part.file.truncated) throw new HttpError(413, 'file_too_large', t.imports.fileTooLarge(cleanFileName(part.filename), formatBytes(maxFileBytes)));
          const last = files.at(-1);
          if (last) Object.assign(last, { sizeBytes: size, sha256: hash.digest('hex') });
        }
      } catch (err) {
        await Promise.all(files.map((f) => rm(f.path, { force: true })));
        const code = (err as { code?: unknown }).code;
        if (code === 'FST_REQ_FILE_TOO_LARGE') throw new HttpError(413, 'file_too_large', t.imports.tooLarge(formatBytes(maxFileBytes)));
        if (code === 'FST_FILES_LIMIT') throw new HttpError(413, 'too_many_files', t.imports.tooManyFiles(MAX_FILES));
        if (err instanceof HttpError || typeof code === 'string' || isSystemError(err)) throw err;
        // busboy's own parse errors ("Boundary not found", "Unexpected end of form", "Malformed part header"):
        // the client sent a broken request; nothing was imported.
        request.log.info({ err }, 'malformed multipart upload');
        throw new HttpError(400, 'invalid_multipart', t.imports.brokenMultipart);
      }
      if (files.length === 0) throw new HttpError(400, 'no_file', t.imports.noFile);
      const runs = runner.submit(files, {
        id: user.id,
        displayName: user.displayName,
        areaCode: user.areaCode,
        areaPrefix: user.areaPrefix,
        sessionId: user.sessionId,
        username: user.username,
        ip: request.ip,
      });
      request.log.info({ userId: user.id, imports: runs.map((r) => ({ id: r.id, fileName: r.fileName })) }, 'roster import queued');
      return reply.code(202).send({ imports: runs.map((r) => ({ id: r.id, fileName: r.fileName })) });
    },
  );

  app.get(
    '/admin/imports',
    {
      preHandler: requireAdmin,
      schema: { tags: ['import'], summary: 'Recent import runs (newest first)', response: { 200: ImportRunListSchema, 403: ApiErrorSchema } },
    },
    async (request) => {
      const viewer = currentUser(request);
      const live = runner.list().filter((r) => visible(viewer, r.user.areaCode));
      const liveIds = new Set(live.map((r) => r.id));
      const stored = (await listImportRecords(app.db.db, LIST_LIMIT))
        .filter((r) => !liveIds.has(r.id) && visible(viewer, r.userId === null ? null : r.userAreaCode))
        .map((r) => recordToListItem(r, r.fileError, r.problemCount));
      const current = live.map((r) => {
        const { problems: _p, parts: _s, progress: _g, ...item } = liveToRun(r);
        return item;
      });
      return { runs: [...current, ...stored].slice(0, LIST_LIMIT) };
    },
  );

  app.get(
    '/admin/imports/:id',
    {
      preHandler: adminOrUploader,
      schema: {
        tags: ['import'],
        summary: 'One import run: status, progress, counts and the first problems',
        params: IdParams,
        response: { 200: ImportRunSchema, 403: ApiErrorSchema, 404: ApiErrorSchema },
      },
    },
    async (request) => {
      const viewer = currentUser(request);
      const run = runner.get(request.params.id);
      if (run) {
        if (!visible(viewer, run.user.areaCode)) throw new HttpError(404, 'not_found', t.imports.notFound);
        return liveToRun(run);
      }
      const row = await findImportRecord(app.db.db, request.params.id);
      if (!row || !visible(viewer, row.userId === null ? null : row.userAreaCode)) throw new HttpError(404, 'not_found', t.imports.notFound);
      const report = parseStoredReport(row.report);
      const rows = report.parts.reduce((n, p) => n + p.rows, 0);
      return {
        ...recordToListItem(row, report.fileError, report.problemCount),
        progress: { bytesRead: 0, bytesTotal: 0, rows },
        parts: report.parts,
        problems: report.problems.slice(0, STATUS_PROBLEMS).map(maskedProblem),
      };
    },
  );

  app.get(
    '/admin/imports/:id/report.csv',
    {
      preHandler: requireAdmin,
      schema: {
        tags: ['import'],
        summary: 'The run’s problems as CSV (UTF-8 with BOM, opens in Excel)',
        params: IdParams,
        response: { 200: z.string(), 403: ApiErrorSchema, 404: ApiErrorSchema, 409: ApiErrorSchema },
      },
    },
    async (request, reply) => {
      const viewer = currentUser(request);
      if (runner.get(request.params.id)) throw new HttpError(409, 'import_running', t.imports.stillRunning);
      const row = await findImportRecord(app.db.db, request.params.id);
      if (!row || !visible(viewer, row.userId === null ? null : row.userAreaCode)) throw new HttpError(404, 'not_found', t.imports.notFound);
      const report = parseStoredReport(row.report);
      const base = row.fileName.replace(/\.[^.]*$/u, '');
      attachment(reply, `import-report-${row.id.slice(0, 8)}.csv`, t.imports.reportFileName(base));
      return reply.type('text/csv; charset=utf-8').send(reportCsv(report.problems.map(maskedProblem), report.problemCount - report.problems.length));
    },
  );

  app.get(
    '/admin/import-templates/:file',
    {
      preHandler: requireAdmin,
      schema: {
        tags: ['import'],
        summary: 'Import template: <kind>.csv for one kind, or workbook.xlsx with a sheet per kind',
        params: TemplateParams,
        response: { 200: z.any(), 403: ApiErrorSchema },
      },
    },
    async (request, reply) => {
      const { file } = request.params;
      if (file === 'workbook.xlsx') {
        attachment(reply, 'roster-import-template.xlsx', t.imports.templateFileName);
        return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await templateWorkbook());
      }
      const kind = file.replace(/\.csv$/u, '') as RosterDataKind;
      attachment(reply, `${kind}-template.csv`, t.imports.kindTemplateFileName(KIND_SPECS[kind].label));
      return reply.type('text/csv; charset=utf-8').send(templateCsv(kind));
    },
  );
};
