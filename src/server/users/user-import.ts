/**
 * Accounts from a file (issue 12, item 1): an admin uploads a CSV or XLSX of
 * a township's cadres (用户名, 姓名, 角色, 区划代码, 电话) and every good row
 * becomes an account with a temporary password, changed at first sign-in.
 * Each row stands alone: a bad one is reported with its row number, column
 * and reason, and never stops the others; an account already there is
 * reported, not changed. The rules are createUser's (area inside the admin's,
 * role fits the area), so a row can do nothing the screen could not.
 */
import { randomInt } from 'node:crypto';
import * as z from 'zod/mini';
import { temporaryPassword } from '#shared/domain/password-rules.ts';
import type { Role } from '#shared/schemas/auth.ts';
import { UserCreateSchema, type UserImportReport } from '#shared/schemas/users.ts';
import type { Db } from '#server/db/client.ts';
import { cellText, isBlank, type RawCell } from '#server/import/cells.ts';
import { readCsvRows, type SheetRow } from '#server/import/csv-reader.ts';
import { readXlsxSheets } from '#server/import/xlsx-reader.ts';
import { normalizeHeader } from '#server/import/columns.ts';
import { ImportFileError } from '#server/import/problems.ts';
import { apiText } from '#server/messages/api.zh-CN.ts';
import { HttpError } from '#server/plugins/errors.ts';
import { createUser, type Actor } from './user-service.ts';

const t = apiText.usersImport;

/** One upload creates at most this many accounts (a county has a few hundred cadres). */
export const MAX_IMPORT_ROWS = 2000;
const HEADER_SEARCH_ROWS = 10;

type Field = keyof typeof t.headers;
const FIELDS = Object.keys(t.headers) as Field[];
const REQUIRED: readonly Field[] = ['username', 'displayName', 'role', 'areaCode'];

const headerField = new Map<string, Field>(FIELDS.flatMap((f) => t.headers[f].map((h) => [normalizeHeader(h), f] as const)));
const roleWord = new Map<string, Role>(
  (Object.keys(t.roleWords) as Role[]).flatMap((role) => t.roleWords[role].map((w) => [w.toLowerCase(), role] as const)),
);

async function* rowsOf(path: string, kind: 'csv' | 'xlsx'): AsyncGenerator<SheetRow> {
  if (kind === 'csv') {
    yield* readCsvRows(path);
    return;
  }
  // The first worksheet holds the accounts.
  for await (const sheet of readXlsxSheets(path)) {
    yield* sheet.rows;
    return;
  }
}

const text = (cell: RawCell | undefined) => (cell === undefined || cell === null ? '' : cellText(cell).trim());

/** Which column holds which field, from a header row; null when fewer than two known headers. */
function headerOf(cells: readonly RawCell[]): Map<Field, number> | null {
  const found = new Map<Field, number>();
  cells.forEach((cell, i) => {
    const field = headerField.get(normalizeHeader(text(cell)));
    if (field !== undefined && !found.has(field)) found.set(field, i);
  });
  return found.size >= 2 ? found : null;
}

/** `body.areaCode` → 区划代码, for a problem found by the rules the screen also uses. */
function columnOf(path: string | undefined): string {
  const field = path?.replace(/^body\./, '') ?? '';
  return t.label[field] ?? '';
}

export async function importUsers(db: Db, actor: Actor, path: string, kind: 'csv' | 'xlsx'): Promise<UserImportReport> {
  const report: UserImportReport = { created: [], problems: [], rows: 0 };
  let header: Map<Field, number> | null = null;
  const seen = new Map<string, number>();
  try {
    for await (const { row, cells } of rowsOf(path, kind)) {
      if (header === null) {
        const found = headerOf(cells);
        if (found === null && row >= HEADER_SEARCH_ROWS) throw new HttpError(400, 'validation', t.noHeader);
        if (found !== null) {
          const missing = REQUIRED.filter((f) => !found.has(f));
          if (missing.length > 0) throw new HttpError(400, 'validation', t.missingColumns(missing.map((f) => t.label[f]).join('、')));
        }
        header = found;
        continue;
      }
      const columns = header;
      if (cells.every((c) => c === null || isBlank(c))) continue;
      report.rows += 1;
      if (report.rows > MAX_IMPORT_ROWS) throw new HttpError(400, 'validation', t.tooManyRows(MAX_IMPORT_ROWS));
      const at = (f: Field) => text(cells[columns.get(f) ?? -1]);

      const roleText = at('role');
      const role = roleWord.get(roleText.toLowerCase());
      if (role === undefined) {
        report.problems.push({ row, column: t.label.role ?? '', message: t.unknownRole(roleText) });
        continue;
      }
      const phone = at('phone');
      const input = { username: at('username'), displayName: at('displayName'), role, areaCode: at('areaCode'), phone: phone === '' ? null : phone, password: temporaryPassword(randomInt) };
      const parsed = z.safeParse(UserCreateSchema, input);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) report.problems.push({ row, column: t.label[String(issue.path[0])] ?? '', message: issue.message });
        continue;
      }
      const earlier = seen.get(parsed.data.username.toLowerCase());
      if (earlier !== undefined) {
        report.problems.push({ row, column: t.label.username ?? '', message: t.duplicate(earlier) });
        continue;
      }
      seen.set(parsed.data.username.toLowerCase(), row);
      try {
        const user = await createUser(db, actor, parsed.data);
        report.created.push({ row, id: user.id, username: user.username, displayName: user.displayName, role: user.role, areaCode: user.areaCode, temporaryPassword: parsed.data.password });
      } catch (err) {
        if (!(err instanceof HttpError) || err.statusCode >= 500) throw err;
        report.problems.push({ row, column: columnOf(err.fields?.[0]?.path), message: err.message });
      }
    }
  } catch (err) {
    if (err instanceof ImportFileError) throw new HttpError(400, 'unreadable_file', err.message || t.unreadable);
    throw err;
  }
  if (header === null) throw new HttpError(400, 'validation', report.rows === 0 ? t.noHeader : t.empty);
  if (report.rows === 0 && report.problems.length === 0) throw new HttpError(400, 'validation', t.empty);
  return report;
}
