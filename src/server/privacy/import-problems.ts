/**
 * An import's problems as they leave the server (the status screen, the
 * report CSV): the cell of an ID or account column masked, and any citizen
 * ID or long account-like number inside a reason masked too. The row and
 * column still point at the cell in the admin's own file, which is where it
 * gets fixed; the full value stays in the server's import record.
 */
import { maskAccount, maskCitizenId } from '#shared/domain/mask.ts';
import type { ImportProblem } from '#shared/schemas/roster-import.ts';
import { importText } from '#server/messages/import.zh-CN.ts';

const f = importText.label;
const ID_COLUMNS = new Set<string>([f.citizenId, f.headPersonId, f.holderPersonId]);
const ACCOUNT_COLUMNS = new Set<string>([f.accountNumber]);

/** An 18-character ID, or a run of 13+ digits (an account: region codes have 12, amounts fewer). */
const IN_TEXT_RE = /(?<![\dXx])(\d{17}[\dXx]|\d{13,30})(?![\dXx])/g;

export function maskNumbersInText(text: string): string {
  return text.replace(IN_TEXT_RE, (m) => (m.length === 18 && /^\d{17}[\dXx]$/.test(m) ? maskCitizenId(m) : maskAccount(m)));
}

export function maskedProblem(p: ImportProblem): ImportProblem {
  let value = p.value;
  if (value !== null && p.column !== null && ID_COLUMNS.has(p.column)) value = maskCitizenId(value);
  else if (value !== null && p.column !== null && ACCOUNT_COLUMNS.has(p.column)) value = maskAccount(value);
  else if (value !== null) value = maskNumbersInText(value);
  return { ...p, value, reason: maskNumbersInText(p.reason) };
}
