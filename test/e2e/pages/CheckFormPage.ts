import type { Locator, Page } from 'playwright-core';

/** Reads one row of the device's IndexedDB (bypassing the app), e.g. meta 'downloadedAt'. */
export function readDeviceRow(page: Page, store: string, key: string): Promise<unknown> {
  return page.evaluate(
    ([s, k]) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('ykt-device');
        open.onerror = () => reject(open.error ?? new Error('indexedDB.open failed'));
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains(s)) {
            db.close();
            resolve(undefined);
            return;
          }
          const get = db.transaction(s, 'readonly').objectStore(s).get(k);
          get.onsuccess = () => {
            resolve(get.result);
            db.close();
          };
          get.onerror = () => reject(get.error ?? new Error('get failed'));
        };
      }),
    [store, key] as const,
  );
}

/** All rows of a store of the device's IndexedDB. */
export function readDeviceRows(page: Page, store: string): Promise<unknown[]> {
  return page.evaluate(
    (s) =>
      new Promise<unknown[]>((resolve, reject) => {
        const open = indexedDB.open('ykt-device');
        open.onerror = () => reject(open.error ?? new Error('indexedDB.open failed'));
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains(s)) {
            db.close();
            resolve([]);
            return;
          }
          const all = db.transaction(s, 'readonly').objectStore(s).getAll();
          all.onsuccess = () => {
            resolve(all.result as unknown[]);
            db.close();
          };
          all.onerror = () => reject(all.error ?? new Error('getAll failed'));
        };
      }),
    store,
  );
}

/** Puts one row into a store of the device's IndexedDB (bypassing the app): data as an earlier session left it. */
export function writeDeviceRow(page: Page, store: string, row: unknown): Promise<void> {
  return page.evaluate(
    ([s, r]) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('ykt-device');
        open.onerror = () => reject(open.error ?? new Error('indexedDB.open failed'));
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(s, 'readwrite');
          tx.objectStore(s).put(r);
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error ?? new Error('put failed'));
        };
      }),
    [store, row] as const,
  );
}

/** Waits until the runner's first pull has brought the whole area to the device. */
export async function waitForAreaDownload(page: Page, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const row = (await readDeviceRow(page, 'meta', 'downloadedAt')) as { value?: unknown } | undefined;
    if (typeof row?.value === 'string') return;
    await page.waitForTimeout(250);
  }
  throw new Error('the area download did not finish');
}

/** Every input of the screen with what it holds: the check that a reload kept every answer. */
export function snapshotInputs(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => {
    const out: Record<string, string> = {};
    const inputs = document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>('main input, main textarea, main select');
    inputs.forEach((el, i) => {
      const key = `${el.name || el.id || String(i)}${el instanceof HTMLInputElement && (el.type === 'radio' || el.type === 'checkbox') ? `=${el.parentElement?.textContent ?? ''}` : ''}`;
      if (el instanceof HTMLInputElement && (el.type === 'radio' || el.type === 'checkbox')) out[key] = String(el.checked);
      else if (!(el instanceof HTMLInputElement && el.type === 'file')) out[key] = el.value;
    });
    return out;
  });
}

export class CheckFormPage {
  constructor(readonly page: Page) {}

  async goto(baseUrl: string, householdId: string): Promise<void> {
    await this.page.goto(`${baseUrl}/households/${encodeURIComponent(householdId)}/form`);
    await this.ready();
  }

  async ready(): Promise<void> {
    await this.page.locator('[data-form-ready]').waitFor();
  }

  heading(): Locator {
    return this.page.getByRole('heading', { level: 1 });
  }

  nav(): Locator {
    return this.page.getByRole('navigation', { name: '表单各部分' });
  }

  async next(): Promise<void> {
    const before = await this.heading().textContent();
    await this.nav().getByRole('button', { name: /下一步/ }).click();
    await this.page.waitForFunction((t) => document.querySelector('h1')?.textContent !== t, before);
  }

  async openSection(title: string): Promise<void> {
    await this.nav().getByRole('button', { name: /选择部分|▾/ }).click();
    await this.nav().getByRole('button', { name: new RegExp(`^\\d\\. ${title}`) }).click();
    await this.heading().filter({ hasText: title }).waitFor();
  }

  /** A card (person, item, account, problem) by its title. */
  card(title: string | RegExp): Locator {
    return this.page.getByRole('region', { name: title });
  }

  /** Answers a choice question (fieldset legend) inside `scope` by the visible option text. */
  async choose(scope: Locator | Page, question: string | RegExp, option: string): Promise<void> {
    await scope.getByRole('group', typeof question === 'string' ? { name: question, exact: true } : { name: question }).getByRole('radio', { name: option, exact: true }).check();
  }

  saveStatus(): Locator {
    return this.page.getByTestId('save-status');
  }

  async waitSaved(): Promise<void> {
    await this.page.waitForFunction(() => document.querySelector('[data-testid=save-status]')?.textContent === '已保存');
  }

  formState(): Locator {
    return this.page.getByTestId('form-state');
  }

  /** Draws a signature-like scribble with the mouse on the signature pad. */
  async drawSignature(): Promise<void> {
    const canvas = this.page.getByRole('img', { name: /签名区/ });
    await canvas.scrollIntoViewIfNeeded();
    const box = await canvas.boundingBox();
    if (!box) throw new Error('signature pad not visible');
    const strokes = [
      [[0.1, 0.6], [0.18, 0.3], [0.25, 0.7], [0.3, 0.35]],
      [[0.38, 0.4], [0.45, 0.65], [0.52, 0.3], [0.6, 0.6]],
      [[0.66, 0.5], [0.75, 0.35], [0.82, 0.62], [0.9, 0.45]],
    ];
    for (const stroke of strokes) {
      const [first, ...rest] = stroke;
      await this.page.mouse.move(box.x + box.width * first![0]!, box.y + box.height * first![1]!);
      await this.page.mouse.down();
      for (const [x, y] of rest) await this.page.mouse.move(box.x + box.width * x!, box.y + box.height * y!, { steps: 8 });
      await this.page.mouse.up();
    }
  }
}
