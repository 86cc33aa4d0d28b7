/**
 * Test-only helpers installed into every page of a device's browser context:
 * the fault suite writes forms with the app's OWN store code
 * (src/app/db/form-store.ts createForm, saveDraft and submitForm; blob-store.ts
 * putBlob),
 * bundled with this file by esbuild (page-bundle.ts) and injected before the
 * app's scripts (context.addInitScript), so what the scenarios write cannot
 * drift from what the product writes. The helper's Dexie is a second
 * connection to the app's database, as another tab's would be. Reading the
 * store back (dump) and planting a meta record as an older app left it stay
 * raw IndexedDB: they look at the store, they do not imitate the product.
 * Nothing here ships in the app.
 */
import { putBlob } from '#app/db/blob-store.ts';
import { deviceDb, type LocalForm, type MetaRow, type OutboxEntry } from '#app/db/device-db.ts';
import { createForm, saveDraft, submitForm } from '#app/db/form-store.ts';
import type { CheckFormBody } from '#shared/schemas/check-form.ts';

export interface NewForm {
  householdId: string;
  villageCode: string;
  body: CheckFormBody;
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
  /** One transaction per form (submitForm's), created and submitted as the app does; each kept open `holdMs` after its writes (a slow phone). */
  submitNew(forms: NewForm[], holdMs?: number): Promise<string[]>;
  /** Like submitNew, but all forms in ONE transaction, kept open `holdMs` after the writes (a bulk write to crash in the middle of). */
  submitNewInOneTransaction(forms: NewForm[], holdMs?: number): Promise<string[]>;
  /** The app's submitForm on a form already on the device (a correction). */
  submitEdit(formId: string, body: CheckFormBody): Promise<void>;
  /**
   * Like submitNew, each form with a signature of `bytes` random bytes: the
   * blob stored first under its SHA-256 (the app's putBlob, its own
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
  /** The helpers write only once the app has made its store (its Dexie declares the versions; so does this copy). */
  async function appStore(): Promise<void> {
    (await open()).close();
  }

  // What the app does when a cadre opens a household and submits its form: createForm, then submitForm.
  async function addOne(f: NewForm): Promise<string> {
    const form = await createForm({ householdId: f.householdId, villageCode: f.villageCode, kind: f.body.kind, body: f.body });
    // The answers are autosaved (saveDraft) before the submit button is pressed.
    await saveDraft(form.id, f.body, null);
    await submitForm(form.id, f.body);
    return form.id;
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
  async function hold(ms: number): Promise<void> {
    const until = performance.now() + ms;
    while (performance.now() < until) await deviceDb.meta.get('mutationCounter');
  }

  // The app's own transaction of a submit (forms, outbox, meta); the app's calls inside it join it.
  function inSubmitTransaction<T>(work: () => Promise<T>): Promise<T> {
    return deviceDb.transaction('rw', [deviceDb.forms, deviceDb.outbox, deviceDb.meta], work);
  }

  const helpers: PageHelpers = {
    exists,
    async submitNew(forms, holdMs = 0) {
      await appStore();
      const ids: string[] = [];
      for (const f of forms) {
        ids.push(
          await inSubmitTransaction(async () => {
            const id = await addOne(f);
            await hold(holdMs);
            return id;
          }),
        );
        progress(ids.length);
      }
      return ids;
    },
    async submitNewInOneTransaction(forms, holdMs = 0) {
      await appStore();
      return inSubmitTransaction(async () => {
        const ids: string[] = [];
        for (const f of forms) ids.push(await addOne(f));
        progress(ids.length);
        await hold(holdMs);
        return ids;
      });
    },
    async submitNewWithSignature(forms, bytes) {
      await appStore();
      const ids: string[] = [];
      for (const f of forms) {
        const data = new Uint8Array(bytes);
        for (let i = 0; i < bytes; i += 65536) crypto.getRandomValues(data.subarray(i, Math.min(bytes, i + 65536)));
        const sha256 = await putBlob(new Blob([data], { type: 'image/png' }));
        ids.push(await addOne({ ...f, body: { ...f.body, evidence: { ...f.body.evidence, signatureBlob: sha256 } } }));
        progress(ids.length);
      }
      return ids;
    },
    async submitEdit(formId, body) {
      await appStore();
      await submitForm(formId, body);
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
