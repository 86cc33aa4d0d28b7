import { SYNC_ENTITIES, type SyncEntity } from '#shared/schemas/sync.ts';
import type { StreamPosition } from '#server/db/sync-repository.ts';
import { HttpError } from '#server/plugins/errors.ts';
import { apiText as t } from '#server/messages/api.zh-CN.ts';
import { openCursor, sealCursor, type PrivacyKeys } from '#server/privacy/keys.ts';

/**
 * Where each entity's stream stands. Opaque to the device: sealed with the
 * database's cursor key, since its positions are citizen IDs and account
 * numbers (privacy/keys.ts).
 */
export type PullCursor = Record<SyncEntity, StreamPosition>;

export function emptyCursor(): PullCursor {
  return { item: null, household: null, person: null, account: null, paymentLine: null, form: null };
}

/**
 * `scope`: for a download narrower than the area (an inspector's assigned
 * households), a fingerprint of that scope; a cursor made under another scope
 * starts the download again (pull-service.ts).
 */
export function encodeCursor(keys: PrivacyKeys, c: PullCursor, scope?: string): string {
  return sealCursor(keys, JSON.stringify(scope === undefined ? { v: 1, p: c } : { v: 1, p: c, s: scope }));
}

/** The scope fingerprint a cursor was made under, or null (none, or no cursor). */
export function cursorScope(keys: PrivacyKeys, raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null;
  const plain = openCursor(keys, raw);
  if (plain === null) return null;
  try {
    const s = (JSON.parse(plain) as { s?: unknown }).s;
    return typeof s === 'string' ? s : null;
  } catch {
    return null;
  }
}

function isPosition(v: unknown): v is StreamPosition {
  return v === null || (Array.isArray(v) && v.length === 2 && /^\d+$/.test(String(v[0])) && typeof v[1] === 'string');
}

export function decodeCursor(keys: PrivacyKeys, raw: string | undefined): PullCursor {
  if (raw === undefined || raw === '') return emptyCursor();
  try {
    const plain = openCursor(keys, raw);
    if (plain === null) throw new Error('seal');
    const parsed = JSON.parse(plain) as { v?: unknown; p?: Record<string, unknown> };
    if (parsed.v !== 1 || typeof parsed.p !== 'object') throw new Error('version');
    const out = emptyCursor();
    for (const e of SYNC_ENTITIES) {
      const pos = parsed.p[e];
      if (!isPosition(pos)) throw new Error(e);
      out[e] = pos;
    }
    return out;
  } catch {
    throw new HttpError(400, 'invalid_cursor', t.sync.invalidCursor);
  }
}
