/**
 * A field device: the real built app in its own Chromium browser context
 * (its own IndexedDB, deviceId and session), signed in through the UI.
 */
import type { Browser, BrowserContext, BrowserContextOptions, Page, Request } from 'playwright-core';
import type { LocalForm } from '#app/db/device-db.ts';
import type { CheckFormBody } from '#shared/schemas/check-form.ts';
import type { MutationResult, SyncHousehold } from '#shared/schemas/sync.ts';
import { pageHelpersBundle } from './page-bundle.ts';
import type { DeviceDump, NewForm } from './page-helpers.ts';
import { DEMO_PASSWORD, type ServerProcess } from '#test/helpers/server-process.ts';

const PHONE = { width: 360, height: 740 };

export interface SentPush {
  deviceId: string;
  mutations: { id: string; counter: number; formId: string; clientTime: string; baseRev: number }[];
}

export class Device {
  /** Every /api/sync/push request this device's pages started, in order (answered or not). */
  readonly pushes: SentPush[] = [];
  /** The pushes that got an answer, with the answer. */
  readonly answered: { sent: SentPush; status: number; results: MutationResult[] }[] = [];
  private readonly reading = new Set<Promise<void>>();

  private constructor(
    readonly server: ServerProcess,
    readonly context: BrowserContext,
    public page: Page,
  ) {}

  static async open(
    browser: Browser,
    server: ServerProcess,
    username = 'cadre',
    options: BrowserContextOptions = {},
    beforeFirstPage?: (context: BrowserContext) => Promise<void>,
  ): Promise<Device> {
    const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', serviceWorkers: 'allow', ...options });
    await context.addInitScript({ content: await pageHelpersBundle() });
    await beforeFirstPage?.(context);
    const page = await context.newPage();
    const device = new Device(server, context, page);
    device.watch(page);
    await page.goto(server.baseUrl);
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await device.homeShown(page);
    return device;
  }

  /** Records the push bodies of a page (any tab of this device). */
  watch(page: Page): void {
    const isPush = (r: Request) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/sync/push';
    page.on('request', (r) => {
      const body = r.postData();
      if (isPush(r) && body) this.pushes.push(JSON.parse(body) as SentPush);
    });
    page.on('response', (res) => {
      const body = res.request().postData();
      if (!isPush(res.request()) || !body) return;
      const reading = res
        .json()
        .then((json: unknown) => {
          const results = res.ok() ? (json as { results: MutationResult[] }).results : [];
          this.answered.push({ sent: JSON.parse(body) as SentPush, status: res.status(), results });
        })
        .catch(() => undefined)
        .finally(() => this.reading.delete(reading));
      this.reading.add(reading);
    });
  }

  /** The answers the server gave this device for a form, in order. */
  async answersFor(formId: string): Promise<MutationResult[]> {
    await Promise.all(this.reading);
    return this.answered.flatMap((a) => a.results.filter((r) => a.sent.mutations[r.index]?.formId === formId));
  }

  async homeShown(page: Page = this.page): Promise<void> {
    await page.getByRole('heading', { level: 1, name: /您好/ }).waitFor({ timeout: 30_000 });
  }

  /** Another tab of the same device (same origin: same IndexedDB and session). */
  async newTab(): Promise<Page> {
    // Offline, the app comes from the service worker. Page.crash takes down the renderer the
    // worker may share with the page; Chromium starts it again on the next navigation, but a
    // navigation right after the crash can reach the network first (seen once in four runs on
    // a quiet machine, three times in a row on a loaded one, and once on PostgreSQL through 8
    // tries on one page): try again for up to ~45 s, each time in a fresh page, so a page
    // left on Chromium's error screen does not keep answering from it.
    for (let attempt = 1; ; attempt++) {
      const page = await this.context.newPage();
      this.watch(page);
      try {
        await page.goto(this.server.baseUrl);
        await this.homeShown(page);
        return page;
      } catch (err) {
        await page.close().catch(() => undefined);
        if (attempt === 15 || !String(err).includes('ERR_INTERNET_DISCONNECTED')) throw err;
        await new Promise((r) => setTimeout(r, Math.min(4000, 500 * attempt)));
      }
    }
  }

  /** Opens the app again in a new tab after the old one died, and makes it this device's page. */
  async reopen(): Promise<void> {
    this.page = await this.newTab();
  }

  async dump(withKeys = false, page: Page = this.page): Promise<DeviceDump> {
    const d = await page.evaluate((k) => window.__ykt.dump(k), withKeys);
    if (d.keys) for (const list of Object.values(d.keys)) list.sort();
    return d;
  }

  async meta(key: string): Promise<unknown> {
    return (await this.dump()).meta.find((m) => m.key === key)?.value;
  }

  async deviceId(): Promise<string> {
    const id = await this.meta('deviceId');
    if (typeof id !== 'string') throw new Error('no deviceId on the device');
    return id;
  }

  /** Waits for the first full download of the area (started by the app at sign-in). */
  async downloaded(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.meta('downloadedAt')) === undefined) {
      if (Date.now() > deadline) throw new Error('the first download did not finish');
      await this.page.waitForTimeout(100);
    }
  }

  async households(): Promise<SyncHousehold[]> {
    return this.page.evaluate(async () => {
      const open = indexedDB.open('ykt-device');
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error ?? new Error('open failed'));
      });
      const get = db.transaction('households').objectStore('households').getAll();
      const rows = await new Promise<SyncHousehold[]>((resolve, reject) => {
        get.onsuccess = () => resolve(get.result as SyncHousehold[]);
        get.onerror = () => reject(get.error ?? new Error('getAll failed'));
      });
      db.close();
      return rows.sort((a, b) => a.id.localeCompare(b.id));
    });
  }

  submitNew(forms: NewForm[], page: Page = this.page): Promise<string[]> {
    return page.evaluate((f) => window.__ykt.submitNew(f), forms);
  }

  submitEdit(formId: string, body: CheckFormBody, page: Page = this.page): Promise<void> {
    return page.evaluate(([id, b]) => window.__ykt.submitEdit(id, b), [formId, body] as const);
  }

  async form(id: string): Promise<LocalForm | undefined> {
    return (await this.dump()).forms.find((f) => f.id === id);
  }

  /** One run of the app's runner from the `online` trigger (it may fail: the server may be down); resolves with its ms. */
  trigger(page: Page = this.page): Promise<number> {
    return page.evaluate(() => window.__ykt.trigger());
  }

  /** Triggers the app's runner until `check` holds (default: nothing pending in the outbox). */
  async syncUntil(check?: (d: DeviceDump) => boolean, timeoutMs = 60_000): Promise<DeviceDump> {
    const ok = check ?? ((d: DeviceDump) => d.outbox.every((e) => e.status !== 'pending'));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.trigger();
      const d = await this.dump();
      if (ok(d)) return d;
      if (Date.now() > deadline) {
        const pending = d.outbox.filter((e) => e.status === 'pending');
        throw new Error(`sync did not reach the expected state; ${pending.length} pending, first: ${JSON.stringify(pending.slice(0, 3))}`);
      }
      await this.page.waitForTimeout(200);
    }
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}
