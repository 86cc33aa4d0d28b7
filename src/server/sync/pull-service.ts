/**
 * Pull (architecture.md §sync): the changes of the caller's area after a
 * cursor, entity by entity in a fixed order, `limit` rows in all per page.
 * Each entity is read after its own position (a 64-bit transaction id and a
 * key, sync-repository.ts), so a page that ends mid-entity resumes there.
 * With `columns`, the roster entities come as JSON text the database built
 * (sync-columns-repository.ts) and the reply is text already.
 */
import { SYNC_ENTITIES, type PullChanges, type PullResponse } from '#shared/schemas/sync.ts';
import { COLUMN_ENTITIES, type ColumnEntity } from '#shared/schemas/sync-columns.ts';
import type { Db } from '#server/db/client.ts';
import { deviceOwner, touchDevice } from '#server/db/devices-repository.ts';
import { apiText as t } from '#server/messages/api.zh-CN.ts';
import { HttpError } from '#server/plugins/errors.ts';
import { regionsInArea } from '#server/db/regions-repository.ts';
import { pullColumnPage, type ColumnPage } from '#server/db/sync-columns-repository.ts';
import {
  areaTotals,
  formKindsFor,
  pullAccounts,
  pullForms,
  pullHouseholds,
  pullItems,
  pullPaymentLines,
  pullPersons,
  type EntityPage,
  type StreamPosition,
} from '#server/db/sync-repository.ts';
import type { AuthUser } from '#server/plugins/auth.ts';
import { cursorScope, decodeCursor, emptyCursor, encodeCursor } from './cursor.ts';
import { assignmentToken, inspectorScope } from '#server/db/inspection-repository.ts';
import { privacyKeys } from '#server/privacy/keys.ts';
import { maskFormBody } from '#server/privacy/form-bodies.ts';
import type { CheckFormBody } from '#shared/schemas/check-form.ts';
import { pinyinInitials } from './pinyin.ts';

export interface PullInput {
  /** Empty or absent: the first page, which also carries the area's totals. */
  cursor: string | undefined;
  limit: number;
  columns: boolean;
  /** Also send the regions of the area (the device names its villages with them). */
  regions: boolean;
  /** The device's id, recorded as its last pull when well formed. */
  deviceId: string | undefined;
}

/** A reply to send as it is (`json`, already serialized) or through the response schema. */
export type PullAnswer = { json: string } | { value: PullResponse };

/** Optional roster columns travel as absent, not null, matching the shared types. */
function dropNulls<T extends Record<string, unknown>>(row: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) if (v !== null) out[k] = v;
  return out as T;
}

const isColumnEntity = (e: string): e is ColumnEntity => (COLUMN_ENTITIES as readonly string[]).includes(e);

/** A persons block gets the pinyin initials of its names (made here: pinyin-pro is not in the database). */
function blockJson(page: ColumnPage): string {
  const c = page.names === null ? page.columnsJson : `${page.columnsJson.slice(0, -1)},"pinyinInitials":${JSON.stringify(page.names.map(pinyinInitials))}}`;
  return `{"n":${page.n},"c":${c}}`;
}

export async function pull(db: Db, user: AuthUser, input: PullInput): Promise<PullAnswer> {
  const keys = await privacyKeys(db);
  let cursor = decodeCursor(keys, input.cursor);
  const deviceId = input.deviceId !== undefined && /^[0-9a-f-]{36}$/.test(input.deviceId) ? input.deviceId : undefined;
  // A revoked phone gets nothing of the area again, whatever session it holds: it is told to wipe.
  if (deviceId !== undefined && (await deviceOwner(db, deviceId))?.revoked === true) throw new HttpError(401, 'device_revoked', t.auth.deviceRevoked);
  const area = user.areaPrefix;
  let first = input.cursor === undefined || input.cursor === '';
  // A re-check stays independent of the person re-checked: cadres never receive inspection forms, inspectors never cadres' forms.
  const formKinds = formKindsFor(user.role);
  // An inspector's device holds only the households given to it. Their rows were written long
  // before they were given, so when the households given change, the download starts again
  // (`reset`: the device drops the roster it holds first).
  const scope = user.role === 'inspector' ? inspectorScope(user.id) : null;
  const token = user.role === 'inspector' ? await assignmentToken(db, user.id) : undefined;
  let reset = false;
  if (token !== undefined && !first && cursorScope(keys, input.cursor) !== token) {
    cursor = emptyCursor();
    first = true;
    reset = true;
  }
  const only = (entity: Exclude<(typeof SYNC_ENTITIES)[number], 'item'>) => (scope === null ? undefined : scope(entity));

  const changes: PullChanges = { item: [], household: [], person: [], account: [], paymentLine: [], form: [] };
  let budget = input.limit;
  let hasMore = false;
  const readers: Record<(typeof SYNC_ENTITIES)[number], (pos: StreamPosition, n: number) => Promise<EntityPage<Record<string, unknown>>>> = {
    item: (pos, n) => pullItems(db, pos, n),
    household: (pos, n) => pullHouseholds(db, keys, area, pos, n, only('household')),
    person: (pos, n) => pullPersons(db, keys, area, pos, n, only('person')),
    account: (pos, n) => pullAccounts(db, keys, area, pos, n, only('account')),
    paymentLine: (pos, n) => pullPaymentLines(db, keys, area, pos, n, only('paymentLine')),
    form: (pos, n) => pullForms(db, area, pos, n, formKinds, only('form')),
  };
  const blocks: string[] = [];
  for (const entity of SYNC_ENTITIES) {
    if (budget === 0) {
      hasMore = true;
      break;
    }
    if (input.columns && isColumnEntity(entity)) {
      const block = await pullColumnPage(db, keys, entity, area, cursor[entity], budget, only(entity));
      cursor[entity] = block.last;
      budget -= block.n;
      if (block.n > 0 && budget === 0) hasMore = true;
      if (block.n > 0) blocks.push(`${JSON.stringify(entity)}:${blockJson(block)}`);
      continue;
    }
    const page = await readers[entity](cursor[entity], budget);
    cursor[entity] = page.last;
    budget -= page.rows.length;
    if (page.rows.length > 0 && budget === 0) hasMore = true;
    (changes[entity] as unknown[]) = page.rows.map((r) => {
      const row = dropNulls(r);
      if (entity === 'person') return { ...row, pinyinInitials: pinyinInitials(String(row.name)) };
      if (entity === 'form') return { ...row, body: maskFormBody(row.body as CheckFormBody), updatedAt: (row.updatedAt as Date).toISOString(), reviewComment: r.reviewComment ?? null };
      return row;
    });
  }
  if (deviceId !== undefined) await touchDevice(db, { id: deviceId, userId: user.id, appVersion: null, pull: true });
  const totals = first ? await areaTotals(db, area, formKinds, scope ?? undefined) : undefined;
  const regions = input.regions ? await regionsInArea(db, area) : undefined;
  if (input.columns) {
    // Already JSON, so it goes out as text, past the response serializer (PullResponseSchema still describes it).
    const json = `{"changes":${JSON.stringify(changes)},"cursor":${JSON.stringify(encodeCursor(keys, cursor, token))},"hasMore":${String(hasMore)}${reset ? ',"reset":true' : ''}${
      totals ? `,"totals":${JSON.stringify(totals)}` : ''
    }${regions ? `,"regions":${JSON.stringify(regions)}` : ''},"columns":{${blocks.join(',')}}}`;
    return { json };
  }
  return { value: { changes, cursor: encodeCursor(keys, cursor, token), hasMore, ...(reset ? { reset } : {}), ...(totals ? { totals } : {}), ...(regions ? { regions } : {}) } };
}
