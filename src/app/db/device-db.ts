import Dexie, { type EntityTable, type Table } from 'dexie';
import type { CheckFormBody, VisitLog } from '#shared/schemas/check-form.ts';
import type { MutationResult, ReviewStatus, SyncAccount, SyncHousehold, SyncPaymentLine, SyncPerson } from '#shared/schemas/sync.ts';
import type { SubsidyItem } from '#shared/schemas/roster.ts';
import type { LedgerTask } from '#shared/schemas/ledger.ts';
import type { LedgerAction } from '#shared/domain/ledger/lifecycle.ts';
import { AREA_META_KEYS } from './meta-keys.ts';

/** Small key/value facts about this device and its user. */
export interface MetaRow {
  key: string;
  value: unknown;
}

/**
 * A check form on this device.
 * - draft: being filled; autosaved on every change.
 * - ready: submitted by the cadre, waiting in the outbox (still editable).
 * - synced: the server holds exactly this version (serverRev).
 * - returned: a supervisor sent it back (reviewComment says why); editable.
 * - attention: the server rejected or could not merge the last push (lastResult says why).
 */
export type LocalFormState = 'draft' | 'ready' | 'synced' | 'returned' | 'attention';

export interface LocalForm {
  id: string;
  householdId: string;
  villageCode: string;
  kind: 'cadre' | 'inspection';
  body: CheckFormBody;
  state: LocalFormState;
  /** Server revision this copy was last synced at; 0 if never pushed. */
  serverRev: number;
  reviewStatus: ReviewStatus | null;
  reviewComment: string | null;
  /** Where the cadre was in the form (section id), to resume after a crash or reload. */
  resumeAt: string | null;
  /** Device clock, for display only. */
  updatedAt: string;
  lastResult: MutationResult | null;
  /** When this device's last upload of the form was accepted (device clock); kept when a pull replaces the copy. */
  uploadedAt?: string;
  /** Created by opening the household, never edited since: nothing of the cadre's is in it yet. */
  pristine?: true;
  /** The visit as recorded so far (opened, active seconds per section, GPS at open); goes into the body at submit (visit-store.ts). */
  visit?: VisitLog;
}

export interface OutboxEntry {
  /** Auto-increment: the order mutations are sent in. */
  seq?: number;
  mutationId: string;
  /** Per-device counter, persisted, strictly increasing (architecture.md, principle 1). */
  counter: number;
  kind: 'form.put';
  formId: string;
  /** pending: not yet answered; attention: rejected or in conflict, kept for a person to see. */
  status: 'pending' | 'attention';
  clientTime: string;
  lastResult: MutationResult | null;
  attempts: number;
}

/**
 * A household's payment lines, kept as one record (schema version 3). The
 * device reads lines only household by household (the form's ledger, the
 * village's coverage), and IndexedDB's cost is per record: in Chromium ~70 µs
 * a put whatever its size, so 300,000 lines as rows took 20 s to store where
 * 10,000 household records take 2 s.
 */
export interface HouseholdLinesRow {
  householdId: string;
  villageCode: string;
  lines: SyncPaymentLine[];
}

export interface BlobRow {
  sha256: string;
  blob: Blob;
  type: string;
  size: number;
  /** 0 until the server confirmed it holds these bytes (an index cannot be boolean). */
  uploaded: 0 | 1;
  createdAt: string;
}

/** A rectification task of the cadre's village (GET /api/ledger/tasks), as last downloaded or as changed here since. */
export type LedgerTaskRow = LedgerTask;

/**
 * A step on a ledger item taken on this device, waiting to be sent (or
 * refused by the server, kept with its reason until the cadre has read it).
 * Photos travel as blob hashes; the blobs wait in `blobs`.
 */
export interface LedgerOutboxEntry {
  seq?: number;
  /** The step's idempotency key: sent twice, taken once. */
  mutationId: string;
  itemId: string;
  action: LedgerAction;
  status: 'pending' | 'refused';
  error?: string | undefined;
  createdAt: string;
}

export class DeviceDb extends Dexie {
  meta!: EntityTable<MetaRow, 'key'>;
  items!: EntityTable<SubsidyItem, 'code'>;
  households!: EntityTable<SyncHousehold, 'id'>;
  persons!: EntityTable<SyncPerson, 'id'>;
  /** Keyed by the account's surrogate key since version 5 (by number and bank before). */
  accounts!: EntityTable<SyncAccount, 'id'>;
  /** Version 2's one-row-per-line store; empty since version 3 (householdLines), kept declared. */
  paymentLines!: EntityTable<SyncPaymentLine, 'id'>;
  householdLines!: EntityTable<HouseholdLinesRow, 'householdId'>;
  forms!: EntityTable<LocalForm, 'id'>;
  outbox!: EntityTable<OutboxEntry, 'seq'>;
  blobs!: EntityTable<BlobRow, 'sha256'>;
  // Keyed by item.id (a nested key path, which EntityTable cannot name).
  ledgerTasks!: Table<LedgerTaskRow, string>;
  ledgerOutbox!: EntityTable<LedgerOutboxEntry, 'seq'>;

  constructor(name = 'ykt-device') {
    // 'strict' makes Chromium flush each commit to disk before reporting success:
    // a phone killed right after "saved" must still have the record.
    super(name, { chromeTransactionDurability: 'strict' });
    // Every version stays declared while devices may still run it; a new
    // version only adds stores or indexes and never drops unsynced records.
    this.version(1).stores({ meta: 'key' });
    this.version(2).stores({
      items: 'code',
      households: 'id, villageCode',
      persons: 'id, householdId',
      accounts: '[number+bankName], holderPersonId',
      paymentLines: 'id, householdId, beneficiaryPersonId',
      forms: 'id, householdId, state',
      outbox: '++seq, &mutationId, formId, status',
      blobs: 'sha256, uploaded',
    });
    this.version(3)
      .stores({
        householdLines: 'householdId, villageCode',
        // [kind+householdId+state]: the household list reads every form's state from the index alone, without the bodies.
        forms: 'id, householdId, state, [kind+householdId+state]',
      })
      .upgrade(async (tx) => {
        // Lines a version-2 device already downloaded move into their household's record.
        const groups = new Map<string, HouseholdLinesRow>();
        await tx.table<SyncPaymentLine, string>('paymentLines').each((l) => {
          const g = groups.get(l.householdId);
          if (g) g.lines.push(l);
          else groups.set(l.householdId, { householdId: l.householdId, villageCode: l.villageCode, lines: [l] });
        });
        await tx.table<HouseholdLinesRow, string>('householdLines').bulkPut([...groups.values()]);
        await tx.table('paymentLines').clear();
      });
    // Versions 4 and 5: full numbers leave the device (issue 12, item 3). The roster
    // rows held citizen IDs and account numbers; they go, with the cursor, and the
    // next sync downloads the area again with keys and masked numbers. Accounts
    // change their primary key, which IndexedDB cannot alter: version 4 drops the
    // store, version 5 makes it again. Forms and the outbox stay untouched.
    this.version(4)
      .stores({ accounts: null })
      .upgrade(async (tx) => {
        await Promise.all(['households', 'persons', 'householdLines', 'paymentLines'].map((t) => tx.table(t).clear()));
        await tx.table('meta').bulkDelete(AREA_META_KEYS);
      });
    this.version(5).stores({ accounts: 'id, holderPersonId' });
    // Version 6: the problem ledger in the field (issue 13, item 3).
    this.version(6).stores({ ledgerTasks: 'item.id', ledgerOutbox: '++seq, &mutationId, itemId, status' });
  }
}

export const deviceDb = new DeviceDb();
