/**
 * Test-only helpers injected into every page of a device's browser context
 * (context.addInitScript): they read and write the app's IndexedDB with the
 * exact shapes of src/app/db/device-db.ts (LocalForm, OutboxEntry, meta) and
 * the same transaction boundaries as src/app/db/form-store.ts (a form and its
 * outbox entry in one transaction), and trigger the app's own sync runner the
 * way the browser does (the `online` event). Nothing here ships in the app.
 *
 * `installPageHelpers` is serialized into the page: it must not reference
 * anything outside its own body.
 */
import type { CheckFormBody } from '#shared/schemas/check-form.ts';
import type { LocalForm, MetaRow, OutboxEntry } from '#app/db/device-db.ts';

export interface NewForm {
  householdId: string;
  villageCode: string;
  body: CheckFormBody;
  /** Form id; made in the page (UUIDv7, like the app) when absent. */
  id?: string;
}

export interface DeviceDump {
  forms: LocalForm[];
  outbox: OutboxEntry[];
  meta: MetaRow[];
  counts: Record<'items' | 'households' | 'persons' | 'accounts' | 'paymentLines', number>;
  /** Keys of the roster stores, to compare with what the server served. */
  keys: Record<'items' | 'households' | 'persons' | 'accounts' | 'paymentLines', string[]> | null;
}

export interface PageHelpers {
  exists(): Promise<boolean>;
  /** One transaction per form, as the app saves; each kept open `holdMs` after its writes (a slow phone). */
  submitNew(forms: NewForm[], holdMs?: number): Promise<string[]>;
  /** Like submitNew, but all forms in ONE transaction, kept open `holdMs` after the writes (a bulk write to crash in the middle of). */
  submitNewInOneTransaction(forms: NewForm[], holdMs?: number): Promise<string[]>;
  submitEdit(formId: string, body: CheckFormBody): Promise<void>;
  /**
   * Like submitNew, each form with a signature of `bytes` random bytes: the
   * blob stored first under its SHA-256 (putBlob of blob-store.ts, its own
   * transaction), then the form referencing it with its outbox entry.
   */
  submitNewWithSignature(forms: NewForm[], bytes: number): Promise<string[]>;
  dump(withKeys?: boolean): Promise<DeviceDump>;
  /** Writes one meta record (e.g. a device id planted as an older app version left it). */
  setMeta(key: string, value: unknown): Promise<void>;
  /** Waits until no tab of this origin holds the sync lock. */
  idle(): Promise<void>;
  /** Fires the app's `online` trigger, then waits until the run it started is over; resolves with the ms it took. */
  trigger(): Promise<number>;
}

declare global {
  interface Window {
    __ykt: PageHelpers;
  }
}

export function installPageHelpers(): void {
  const STORES = ['forms', 'outbox', 'meta'];

  function req<T>(r: IDBRequest<T>): Promise<T> {
    return new Promise((resolve, reject) => {
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error ?? new Error('IDB request failed'));
    });
  }
  function done(tx: IDBTransaction): Promise<void> {
    return new Promise((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('IDB transaction failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IDB transaction aborted'));
    });
  }
  async function exists(): Promise<boolean> {
    const dbs = await indexedDB.databases();
    return dbs.some((d) => d.name === 'ykt-device');
  }
  async function open(): Promise<IDBDatabase> {
    // Never create the database: that is the app's (Dexie's) job.
    if (!(await exists())) throw new Error('the app has not created its device store yet');
    const db = await req(indexedDB.open('ykt-device'));
    if (!db.objectStoreNames.contains('outbox')) {
      db.close();
      throw new Error('device store has no outbox yet');
    }
    return db;
  }
  // Same algorithm as uuidv7() in src/app/db/form-store.ts.
  function uuidv7(): string {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    let ms = Date.now();
    for (let i = 5; i >= 0; i--) {
      bytes[i] = ms % 256;
      ms = Math.floor(ms / 256);
    }
    bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
    bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
    const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  // nextCounter() of src/app/db/sync-store.ts, inside the caller's transaction.
  async function nextCounter(tx: IDBTransaction): Promise<number> {
    const meta = tx.objectStore('meta');
    const row = (await req(meta.get('mutationCounter'))) as { value?: unknown } | undefined;
    const next = (typeof row?.value === 'number' ? row.value : 0) + 1;
    await req(meta.put({ key: 'mutationCounter', value: next }));
    return next;
  }
  async function addOne(tx: IDBTransaction, f: NewForm): Promise<string> {
    const id = f.id ?? uuidv7();
    const now = new Date().toISOString();
    const form: LocalForm = {
      id,
      householdId: f.householdId,
      villageCode: f.villageCode,
      kind: f.body.kind,
      body: f.body,
      state: 'ready',
      serverRev: 0,
      reviewStatus: null,
      reviewComment: null,
      resumeAt: null,
      updatedAt: now,
      lastResult: null,
    };
    await req(tx.objectStore('forms').add(form));
    const entry: OutboxEntry = { mutationId: uuidv7(), counter: await nextCounter(tx), kind: 'form.put', formId: id, status: 'pending', clientTime: now, lastResult: null, attempts: 0 };
    await req(tx.objectStore('outbox').add(entry));
    return id;
  }

  // A test may expose __yktProgress (page.exposeFunction) to learn how far a write got; never awaited.
  function progress(n: number): void {
    const report = (window as unknown as { __yktProgress?: (n: number) => unknown }).__yktProgress;
    if (report) void report(n);
  }

  // Compound keys ([number+bankName]) as 'number|bankName', the server's stream key.
  function keyText(k: IDBValidKey): string {
    return Array.isArray(k) ? k.map((x) => keyText(x)).join('|') : typeof k === 'string' || typeof k === 'number' ? String(k) : JSON.stringify(k);
  }

  // A transaction stays open while requests keep coming: a slow write, still uncommitted.
  async function hold(tx: IDBTransaction, ms: number): Promise<void> {
    const until = performance.now() + ms;
    while (performance.now() < until) await req(tx.objectStore('meta').get('mutationCounter'));
  }

  const helpers: PageHelpers = {
    exists,
    async submitNew(forms, holdMs = 0) {
      const db = await open();
      try {
        const ids: string[] = [];
        for (const f of forms) {
          // One transaction per form, as submitForm does.
          const tx = db.transaction(STORES, 'readwrite', { durability: 'strict' });
          const finished = done(tx);
          ids.push(await addOne(tx, f));
          await hold(tx, holdMs);
          await finished;
          progress(ids.length);
        }
        return ids;
      } finally {
        db.close();
      }
    },
    async submitNewInOneTransaction(forms, holdMs = 0) {
      const db = await open();
      try {
        const tx = db.transaction(STORES, 'readwrite', { durability: 'strict' });
        const finished = done(tx);
        const ids: string[] = [];
        for (const f of forms) ids.push(await addOne(tx, f));
        progress(ids.length);
        await hold(tx, holdMs);
        await finished;
        return ids;
      } finally {
        db.close();
      }
    },
    async submitNewWithSignature(forms, bytes) {
      const db = await open();
      try {
        const ids: string[] = [];
        for (const f of forms) {
          const data = new Uint8Array(bytes);
          for (let i = 0; i < bytes; i += 65536) crypto.getRandomValues(data.subarray(i, Math.min(bytes, i + 65536)));
          const sha256 = [...new Uint8Array(await crypto.subtle.digest('SHA-256', data))].map((b) => b.toString(16).padStart(2, '0')).join('');
          const blobTx = db.transaction('blobs', 'readwrite', { durability: 'strict' });
          const blobDone = done(blobTx);
          await req(blobTx.objectStore('blobs').put({ sha256, blob: new Blob([data], { type: 'image/png' }), type: 'image/png', size: bytes, uploaded: 0, createdAt: new Date().toISOString() }));
          await blobDone;
          const body = { ...f.body, evidence: { ...f.body.evidence, signatureBlob: sha256 } };
          const tx = db.transaction(STORES, 'readwrite', { durability: 'strict' });
          const finished = done(tx);
          ids.push(await addOne(tx, { ...f, body }));
          await finished;
          progress(ids.length);
        }
        return ids;
      } finally {
        db.close();
      }
    },
    async submitEdit(formId, body) {
      const db = await open();
      try {
        // submitForm(): the form and (unless one is still pending) a new outbox entry, together.
        const tx = db.transaction(STORES, 'readwrite', { durability: 'strict' });
        const finished = done(tx);
        const forms = tx.objectStore('forms');
        const form = (await req(forms.get(formId))) as LocalForm | undefined;
        if (!form) throw new Error(`form ${formId} not on this device`);
        await req(forms.put({ ...form, body, state: 'ready', updatedAt: new Date().toISOString(), lastResult: null }));
        const entries = (await req(tx.objectStore('outbox').index('formId').getAll(formId))) as OutboxEntry[];
        if (!entries.some((e) => e.status === 'pending')) {
          const entry: OutboxEntry = { mutationId: uuidv7(), counter: await nextCounter(tx), kind: 'form.put', formId, status: 'pending', clientTime: new Date().toISOString(), lastResult: null, attempts: 0 };
          await req(tx.objectStore('outbox').add(entry));
        }
        await finished;
      } finally {
        db.close();
      }
    },
    async setMeta(key, value) {
      const db = await open();
      try {
        const tx = db.transaction('meta', 'readwrite', { durability: 'strict' });
        const finished = done(tx);
        await req(tx.objectStore('meta').put({ key, value }));
        await finished;
      } finally {
        db.close();
      }
    },
    async dump(withKeys = false) {
      const db = await open();
      try {
        const roster = ['items', 'households', 'persons', 'accounts'] as const;
        // Since schema version 3 payment lines live in one record per household (householdLines).
        const perHousehold = db.objectStoreNames.contains('householdLines');
        const lineStore = perHousehold ? 'householdLines' : 'paymentLines';
        const tx = db.transaction([...STORES, ...roster, lineStore], 'readonly');
        const forms = (await req(tx.objectStore('forms').getAll())) as LocalForm[];
        const outbox = (await req(tx.objectStore('outbox').getAll())) as OutboxEntry[];
        const meta = (await req(tx.objectStore('meta').getAll())) as MetaRow[];
        const counts = { items: 0, households: 0, persons: 0, accounts: 0, paymentLines: 0 };
        const keys = { items: [] as string[], households: [] as string[], persons: [] as string[], accounts: [] as string[], paymentLines: [] as string[] };
        for (const s of roster) {
          counts[s] = await req(tx.objectStore(s).count());
          if (withKeys) keys[s] = (await req(tx.objectStore(s).getAllKeys())).map(keyText);
        }
        if (perHousehold) {
          const rows = (await req(tx.objectStore('householdLines').getAll())) as { lines: { id: string }[] }[];
          const ids = rows.flatMap((r) => r.lines.map((l) => l.id));
          counts.paymentLines = ids.length;
          if (withKeys) keys.paymentLines = ids;
        } else {
          counts.paymentLines = await req(tx.objectStore('paymentLines').count());
          if (withKeys) keys.paymentLines = (await req(tx.objectStore('paymentLines').getAllKeys())).map(keyText);
        }
        return { forms, outbox, meta, counts, keys: withKeys ? keys : null };
      } finally {
        db.close();
      }
    },
    async idle() {
      await navigator.locks.request('ykt-sync', () => undefined);
    },
    async trigger() {
      const started = performance.now();
      // Let a run in progress end first: the trigger below would only find the runner busy.
      await navigator.locks.request('ykt-sync', () => undefined);
      // The app's own trigger (useSyncRunner). The runner is loaded on first use, so
      // it takes the lock a little later: wait until it has, then until it lets go.
      window.dispatchEvent(new Event('online'));
      const deadline = performance.now() + 3000;
      while (performance.now() < deadline) {
        const state = await navigator.locks.query();
        if ([...(state.held ?? []), ...(state.pending ?? [])].some((l) => l.name === 'ykt-sync')) break;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      await navigator.locks.request('ykt-sync', () => undefined);
      return performance.now() - started;
    },
  };
  window.__ykt = helpers;
}
