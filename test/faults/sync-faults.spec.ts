/**
 * The fault suite (issue 5, item 8): the real server as a child process
 * (src/server/server.ts with YKT_FAULTS=1, src/server/sync/faults.ts), the
 * real built app in Chromium as the devices. Runs on PGlite (project
 * `faults`) and on PostgreSQL (project `faults-pg`, when TEST_DATABASE_URL
 * is set). Every scenario ends with expectConverged(): nothing lost, nothing
 * doubled, outbox drained, device == server.
 *
 * Forms are written into the app's IndexedDB by the app's own store code,
 * bundled into the page (helpers/page-helpers.ts): the scenarios need
 * hundreds of forms, bodies the server must refuse, and writes to kill in the
 * middle, which the screen cannot give on cue. The service-worker scenario (g)
 * uses the real check-form screen. Syncing is always the app's own runner.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { CheckFormBody } from '#shared/schemas/check-form.ts';
import type { SyncHousehold } from '#shared/schemas/sync.ts';
import { launchChromium } from '#test/helpers/browser.ts';
import { checkFormBody } from '#test/fixtures/check-form.ts';
import { CheckFormPage } from '../e2e/pages/CheckFormPage.ts';
import { Api } from './helpers/api.ts';
import { Device } from './helpers/device.ts';
import { expectConsistentStore, expectConverged } from './helpers/invariants.ts';
import type { NewForm } from './helpers/page-helpers.ts';
import { faultDbKind, ServerProcess } from '#test/helpers/server-process.ts';

const kind = faultDbKind();
let server: ServerProcess;
let browser: Browser;
let admin: Api;
let supervisor: Api;
/** The cadre's phone, kept across scenarios like a real one (its counter and outbox carry on). */
let phone: Device;
let households: SyncHousehold[];

beforeAll(async () => {
  server = await ServerProcess.start({ kind });
  browser = await launchChromium();
  admin = await Api.signIn(server, 'admin');
  supervisor = await Api.signIn(server, 'supervisor');
  phone = await Device.open(browser, server);
  await phone.downloaded();
  households = await phone.households();
  expect(households.length).toBeGreaterThan(5);
});
afterAll(async () => {
  await browser.close();
  await server.dispose();
});
afterEach(async () => {
  // Leave no fault armed and the phone online for the next scenario.
  if (server.running) server.setFaults({});
  await phone.context.setOffline(false);
});

/** On failure, prints what the server said during the test. */
function showServerLogOnFailure() {
  const from = server.output().length;
  onTestFailed(() => {
    console.log(`--- server output during the test (${kind}) ---\n${server.output().slice(from).slice(-6000)}`);
  });
}

function body(h: SyncHousehold, tag: string): CheckFormBody {
  const b = checkFormBody(h);
  b.evidence.remarks = tag;
  return b;
}

function newForms(tag: string, n: number, offset = 0): NewForm[] {
  return Array.from({ length: n }, (_, i) => {
    const h = households[(offset + i) % households.length]!;
    return { householdId: h.id, villageCode: h.villageCode, body: body(h, `${tag}-${i}`) };
  });
}

async function crash(page: Page): Promise<void> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const crashed = page.waitForEvent('crash');
  void cdp.send('Page.crash').catch(() => undefined);
  await crashed;
  // A crashed page left open makes context-wide calls (setOffline) fail.
  await page.close().catch(() => undefined);
}

describe(`sync under faults (${kind})`, () => {
  it('a. server killed after commit, before the reply: the retry answers duplicate and makes no second version', async () => {
    showServerLogOnFailure();
    const ids = await phone.submitNew(newForms('a', 5));
    server.setFaults({ killAfterCommit: 1 });
    await phone.trigger();
    expect(await server.waitForExit()).toEqual({ code: null, signal: 'SIGKILL' });

    // The device never heard back: everything is still pending.
    const d = await phone.dump();
    expect(d.outbox.filter((e) => ids.includes(e.formId)).map((e) => e.status)).toEqual(['pending', 'pending', 'pending', 'pending', 'pending']);

    // Offline while the server comes back, so the ledger is read before the retry.
    await phone.context.setOffline(true);
    try {
      await server.restart();
      const committed = await admin.ledger([], ids);
      expect(committed.forms.map((f) => f.rev)).toEqual([1, 1, 1, 1, 1]);
    } finally {
      await phone.context.setOffline(false);
    }

    await phone.syncUntil();
    // The device's first answer for each form is the stored one, as a duplicate.
    for (const id of ids) expect((await phone.answersFor(id)).map((r) => [r.status, r.rev])).toEqual([['duplicate', 1]]);
    const { ledger } = await expectConverged(phone, admin);
    expect(ledger.versions.filter((v) => ids.includes(v.formId))).toHaveLength(5);
  });

  it('a2. server killed after commit, then the form corrected before the retry: the correction reaches the server, not dropped as a duplicate', async () => {
    showServerLogOnFailure();
    const [id] = await phone.submitNew(newForms('a2', 1, 1));
    server.setFaults({ killAfterCommit: 1 });
    await phone.trigger();
    expect(await server.waitForExit()).toEqual({ code: null, signal: 'SIGKILL' });

    // The answer never came; the cadre corrects the submitted form while the server is away.
    const sent = (await phone.form(id!))!;
    const corrected = { ...sent.body, evidence: { ...sent.body.evidence, remarks: 'a2 corrected after the lost answer' } };
    await phone.submitEdit(id!, corrected);
    await server.restart();
    await phone.syncUntil();

    // The retry of the first id meets the first body on the server and says so; the correction goes as a new mutation on rev 1.
    expect((await phone.answersFor(id!)).map((r) => [r.status, r.rev, r.bodyDiffers ?? false])).toEqual([
      ['duplicate', 1, true],
      ['applied', 2, false],
    ]);
    const { ledger } = await expectConverged(phone, admin);
    expect(ledger.forms.find((f) => f.id === id)?.body.evidence.remarks).toBe('a2 corrected after the lost answer');
  });

  it('b. server killed in the middle of a batch: nothing half-applied, the retry applies all', async () => {
    showServerLogOnFailure();
    const before = await admin.ledger([await phone.deviceId()]);
    const ids = await phone.submitNew(newForms('b', 6, 2));
    server.setFaults({ killMidBatch: 3 });
    await phone.trigger();
    expect(await server.waitForExit()).toEqual({ code: null, signal: 'SIGKILL' });

    await phone.context.setOffline(true);
    try {
      await server.restart();
      const l = await admin.ledger([await phone.deviceId()], ids);
      expect(l.forms.filter((f) => ids.includes(f.id)), 'no form of the killed batch').toEqual([]);
      expect(l.mutations).toHaveLength(before.mutations.length);
      expect(l.totals).toEqual(before.totals);
    } finally {
      await phone.context.setOffline(false);
    }

    await phone.syncUntil();
    for (const id of ids) expect((await phone.answersFor(id)).map((r) => [r.status, r.rev])).toEqual([['applied', 1]]);
    await expectConverged(phone, admin);
  });

  it('c. the same batch pushed twice, racing and replayed: one effect', async () => {
    showServerLogOnFailure();
    const ids = await phone.submitNew(newForms('c', 8, 4));
    const statuses: string[][] = [];
    const codes: number[] = [];
    // The app's push goes out twice at once (two runners racing); the app gets one of the answers.
    await phone.page.route('**/api/sync/push', async (route) => {
      const [r1, r2] = await Promise.all([route.fetch(), route.fetch()]);
      for (const r of [r1, r2]) {
        codes.push(r.status());
        if (r.ok()) statuses.push(((await r.json()) as { results: { status: string }[] }).results.map((x) => x.status));
      }
      await route.fulfill({ response: r2 });
    });
    try {
      await phone.syncUntil();
    } finally {
      await phone.page.unroute('**/api/sync/push');
    }
    expect(codes, 'both racing pushes answered').toEqual([200, 200]);
    expect(statuses.flat().sort()).toEqual([...Array<string>(8).fill('applied'), ...Array<string>(8).fill('duplicate')]);
    const { ledger } = await expectConverged(phone, admin);

    // A replay of the exact bytes the app sent: every mutation answers duplicate, nothing changes.
    const sent = phone.pushes.at(-1)!;
    expect(sent.mutations.map((m) => m.formId).sort()).toEqual([...ids].sort());
    const cookie = (await phone.context.cookies()).find((c) => c.name === 'ykt_sid')!;
    const replayer = Api.withCookie(server, `ykt_sid=${cookie.value}`);
    const replays = await Promise.all([replayer.push(sent), replayer.push(sent)]);
    for (const r of replays) {
      expect(r.status).toBe(200);
      expect(r.results.map((x) => x.status)).toEqual(Array<string>(8).fill('duplicate'));
    }
    expect((await admin.ledger([await phone.deviceId()], ids)).totals).toEqual(ledger.totals);
    await expectConverged(phone, admin);
  });

  it('d. two tabs syncing at once: Web Locks serialize them, no mutation is sent twice', async () => {
    showServerLogOnFailure();
    const device = await Device.open(browser, server);
    try {
      await device.downloaded();
      const tab2 = await device.newTab();
      await device.submitNew(newForms('d', 120));
      // Slow pushes make the runs overlap; the runner sends 50 per batch.
      server.setFaults({ delayPushMs: 300 });
      await Promise.all([device.trigger(device.page), device.trigger(tab2), device.trigger(tab2), device.trigger(device.page)]);
      await device.syncUntil();
      const sent = device.pushes.flatMap((p) => p.mutations.map((m) => m.id));
      expect(sent).toHaveLength(120);
      expect(new Set(sent).size, 'no mutation sent twice').toBe(120);
      const { ledger } = await expectConverged(device, admin);
      const deviceId = await device.deviceId();
      const mine = ledger.mutations.filter((m) => m.deviceId === deviceId);
      expect(mine.filter((m) => m.status !== 'applied'), 'no duplicate answers: nothing was sent twice').toEqual([]);
      expect(mine).toHaveLength(120);
    } finally {
      await device.close();
    }
  });

  it('e. a week offline with the device clock ±1 day: everything arrives, ordered by counter, not by clock', async () => {
    showServerLogOnFailure();
    const DAY = 24 * 3600 * 1000;
    const start = Date.now();
    const device = await Device.open(browser, server, 'cadre', {}, async (context) => {
      await context.clock.install({ time: start });
    });
    try {
      await device.downloaded();
      await device.context.setOffline(true);
      const skew = [0, DAY, -DAY, 0, DAY, -DAY, 0];
      const made: string[] = [];
      const edited = new Set<string>();
      for (let day = 0; day < 7; day++) {
        // A day passes (the runner's timers fire, fail offline and back off), and the phone's clock is off by up to a day.
        await device.context.clock.fastForward('24:00:00');
        await device.context.clock.setSystemTime(start + (day + 1) * DAY + skew[day]!);
        made.push(...(await device.submitNew(newForms(`e-day${day}`, 2, day * 2))));
        // An edit of yesterday's form, still unsent: the pending entry keeps its place, the body is the latest.
        if (day > 0) {
          const id = made[made.length - 3]!;
          const f = (await device.form(id))!;
          await device.submitEdit(id, { ...f.body, evidence: { ...f.body.evidence, remarks: `${f.body.evidence.remarks} edited on day ${day}` } });
          edited.add(id);
        }
      }
      const offline = await device.dump();
      expectConsistentStore(offline);
      expect(offline.outbox.filter((e) => e.status === 'pending')).toHaveLength(14);
      // Counters follow the order forms were made; the device clock does not.
      const byCounter = [...offline.outbox].sort((a, b) => a.counter - b.counter);
      expect(byCounter.map((e) => e.formId)).toEqual(made);
      const times = byCounter.map((e) => Date.parse(e.clientTime));
      expect(times.some((t, i) => i > 0 && t < times[i - 1]!), 'the clock went backwards at least once').toBe(true);

      await device.context.setOffline(false);
      await device.syncUntil();
      const counters = device.answered.flatMap((p) => p.sent.mutations.map((m) => m.counter));
      expect(counters, 'sent in counter order').toEqual([...counters].sort((a, b) => a - b));
      const { ledger } = await expectConverged(device, admin);
      const deviceId = await device.deviceId();
      const mine = ledger.mutations.filter((m) => m.deviceId === deviceId);
      expect(mine.map((m) => m.counter)).toEqual(byCounter.map((e) => e.counter));
      expect(mine.map((m) => m.clientTime)).toEqual(byCounter.map((e) => e.clientTime));
      expect(edited.size).toBe(6);
      for (const id of edited) expect(ledger.forms.find((f) => f.id === id)?.body.evidence.remarks).toMatch(/edited on day \d$/);
    } finally {
      await device.close();
    }
  });

  it('f. two devices on one household: different fields merge, the same field is a conflict a supervisor resolves, both converge (and a send-back reaches both)', async () => {
    showServerLogOnFailure();
    const a = await Device.open(browser, server);
    const b = await Device.open(browser, server);
    try {
      await Promise.all([a.downloaded(), b.downloaded()]);
      const h = households[0]!;
      const head = h.headPersonId;
      const base = body(h, 'f');
      base.members = [{ personId: head, name: '户主', idNumber: null, isNew: false, present: null, identityChecked: null, status: null, statusDate: null, relation: '户主', note: '' }];
      const [formId] = await a.submitNew([{ householdId: h.id, villageCode: h.villageCode, body: base }]);
      await a.syncUntil();
      await b.syncUntil((d) => d.forms.some((f) => f.id === formId && f.serverRev === 1));

      const fromA = structuredClone(base);
      fromA.members[0]!.present = true;
      fromA.household.phone = '13812345678';
      const fromB = structuredClone(base);
      fromB.members[0]!.present = false;
      fromB.publicity.sawResults = true;
      await a.submitEdit(formId!, fromA);
      await b.submitEdit(formId!, fromB);
      await a.syncUntil();
      await b.syncUntil();
      expect((await a.answersFor(formId!)).map((r) => [r.status, r.rev])).toEqual([['applied', 1], ['applied', 2]]);
      expect(await b.answersFor(formId!)).toMatchObject([{ status: 'conflict', rev: 3, conflicts: [{ path: `members[${head}].present`, mine: false, theirs: true }] }]);

      const detail = await supervisor.formDetail(formId!);
      expect(detail.conflicts).toEqual([{ path: `members[${head}].present`, mine: false, theirs: true }]);
      expect(detail.body.household.phone).toBe('13812345678');
      expect(detail.body.publicity.sawResults).toBe(true);
      const listed = await supervisor.request('GET', '/forms?conflicts=1');
      expect((listed.json as { id: string }[]).map((f) => f.id)).toContain(formId);
      const resolved = await supervisor.request('POST', `/forms/${formId}/resolve`, { rev: 3, resolutions: [{ path: `members[${head}].present`, value: false }] });
      expect(resolved.status).toBe(200);

      const at4 = (d: Awaited<ReturnType<Device['dump']>>) => d.forms.some((f) => f.id === formId && f.serverRev === 4);
      const da = await a.syncUntil(at4);
      const db = await b.syncUntil(at4);
      const fa = da.forms.find((f) => f.id === formId)!;
      const fb = db.forms.find((f) => f.id === formId)!;
      expect(fa.body).toEqual(fb.body);
      expect(fa.body.members[0]!.present).toBe(false);
      expect(fa.body.household.phone).toBe('13812345678');
      expect(fa.body.publicity.sawResults).toBe(true);
      for (const dev of [a, b]) await expectConverged(dev, admin);
      const final = await admin.ledger([], [formId!]);
      expect(final.versions.map((v) => v.rev)).toEqual([1, 2, 3, 4]);
      expect(final.forms[0]!.conflicts).toEqual([]);

      // A send-back reaches both devices on their next pull, marked.
      const returned = await supervisor.request('POST', `/forms/${formId}/review`, { action: 'return', comment: '请补拍户主身份证照片', rev: 4 });
      expect(returned.status).toBe(200);
      const isReturned = (d: Awaited<ReturnType<Device['dump']>>) => d.forms.some((f) => f.id === formId && f.state === 'returned' && f.serverRev === 5);
      for (const dev of [a, b]) {
        const d = await dev.syncUntil(isReturned);
        expect(d.forms.find((f) => f.id === formId)?.reviewComment).toBe('请补拍户主身份证照片');
        await expectConverged(dev, admin);
      }
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('g. a service-worker update while a form has unsaved input: the prompt waits, nothing drawn or typed is lost', async () => {
    showServerLogOnFailure();
    const device = await Device.open(browser, server);
    try {
      const page = device.page;
      await device.downloaded();
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
      });
      // Controlled by the first service worker, as a phone is after its first visit.
      await page.reload();
      await device.homeShown();
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
      const household = households[3]!;
      const form = new CheckFormPage(page);
      await form.goto(server.baseUrl, household.id);
      await form.openSection('当面核实');

      // The householder is signing: the finger is still on the pad (ink not yet stored).
      const pad = page.getByRole('img', { name: /签名区/ });
      await pad.scrollIntoViewIfNeeded();
      const box = (await pad.boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.6);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.3, { steps: 8 });
      await page.evaluate(() => {
        (window as unknown as { __notReloaded: boolean }).__notReloaded = true;
      });

      // A new build of the service worker appears on the server.
      const sw = join(server.staticDir, 'sw.js');
      writeFileSync(sw, `${readFileSync(sw, 'utf8')}\n// build ${Date.now()}\n`);
      await page.evaluate(async () => {
        const reg = await navigator.serviceWorker.getRegistration();
        await reg?.update();
      });
      const prompt = page.locator('.update-prompt');
      await prompt.waitFor({ timeout: 30_000 });
      await expect.poll(() => prompt.textContent()).toContain('有未保存的填写内容');
      const apply = prompt.getByRole('button', { name: '立即更新' });
      expect(await apply.isDisabled()).toBe(true);
      await page.waitForTimeout(1000);
      expect(await apply.isDisabled()).toBe(true);
      expect(await page.evaluate(() => (window as unknown as { __notReloaded?: boolean }).__notReloaded)).toBe(true);

      // The signature is finished and stored; only then can the update go ahead.
      await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.6, { steps: 8 });
      await page.mouse.up();
      await page.getByText('已签名', { exact: true }).waitFor();
      await expect.poll(() => apply.isDisabled()).toBe(false);
      await form.waitSaved();
      const reloaded = page.waitForEvent('load');
      await apply.click();
      await reloaded;
      expect(await page.evaluate(() => (window as unknown as { __notReloaded?: boolean }).__notReloaded)).toBeUndefined();

      // After the update: the draft and its signature are on the device, and the screen shows them.
      const d = await device.dump();
      const draft = d.forms.find((f) => f.householdId === household.id);
      expect(draft?.state).toBe('draft');
      const sha = draft?.body.evidence.signatureBlob;
      expect(sha).toMatch(/^[0-9a-f]{64}$/);
      const stored = await page.evaluate(async (key) => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const o = indexedDB.open('ykt-device');
          o.onsuccess = () => resolve(o.result);
          o.onerror = () => reject(o.error ?? new Error('open failed'));
        });
        const r = db.transaction('blobs').objectStore('blobs').get(key);
        const row = await new Promise<{ size: number } | undefined>((resolve) => (r.onsuccess = () => resolve(r.result as { size: number } | undefined)));
        db.close();
        return row?.size ?? 0;
      }, sha!);
      expect(stored).toBeGreaterThan(0);
      await form.ready();
      await form.openSection('当面核实');
      await page.getByText('已签名', { exact: true }).waitFor();
    } finally {
      await device.close();
    }
  });

  it('h1. the tab killed during outbox writes: each form is with its outbox entry or not at all; the next sync completes', async () => {
    showServerLogOnFailure();
    const before = await phone.dump();
    let stored = 0;
    await phone.page.exposeFunction('__yktProgress', (n: number) => {
      stored = n;
    });
    // One form per transaction (as the app saves), each slow to commit, killed part-way.
    void phone.page.evaluate((f) => window.__ykt.submitNew(f, 25), newForms('h-each', 200)).catch(() => undefined);
    await expect.poll(() => stored, { timeout: 30_000, interval: 5 }).toBeGreaterThanOrEqual(10);
    // The server refuses sync until the checks are done: nothing leaves the outbox. (Not the
    // browser offline: reopening offline depends on Chromium restarting the service worker the
    // crash took down with the renderer, and now and then it sends the navigation to the network.)
    server.setFaults({ refuseSync: true });
    await crash(phone.page);
    await phone.reopen();
    const mid = await phone.dump();
    expectConsistentStore(mid);
    const added = mid.forms.length - before.forms.length;
    expect(added).toBeGreaterThanOrEqual(10);
    expect(added, 'killed before the end').toBeLessThan(200);
    expect(mid.outbox.filter((e) => e.status === 'pending')).toHaveLength(added);

    // All forms in ONE transaction, killed before it commits: none of them.
    stored = 0;
    await phone.page.exposeFunction('__yktProgress', (n: number) => {
      stored = n;
    });
    void phone.page.evaluate((f) => window.__ykt.submitNewInOneTransaction(f, 60_000), newForms('h-bulk', 300)).catch(() => undefined);
    await expect.poll(() => stored, { timeout: 30_000, interval: 5 }).toBe(300);
    await crash(phone.page);
    await phone.reopen();
    const afterBulk = await phone.dump();
    expectConsistentStore(afterBulk);
    expect(afterBulk.forms.filter((f) => f.body.evidence.remarks.startsWith('h-bulk'))).toEqual([]);
    expect(afterBulk.forms).toHaveLength(mid.forms.length);

    server.setFaults({});
    await phone.syncUntil();
    const { ledger } = await expectConverged(phone, admin);
    expect(ledger.forms.filter((f) => f.body.evidence.remarks.startsWith('h-each'))).toHaveLength(added);
  });

  it('h2. the tab killed during a long pull: the stored cursor matches the stored rows, the next sync resumes and completes', async () => {
    showServerLogOnFailure();
    server.setFaults({ pullPageLimit: 25, delayPullMs: 150 });
    const device = await Device.open(browser, server);
    const cookie = (await device.context.cookies()).find((c) => c.name === 'ykt_sid')!;
    const reader = Api.withCookie(server, `ykt_sid=${cookie.value}`);
    try {
      for (let round = 0; round < 2; round++) {
        const cursorBefore = await device.meta('pullCursor');
        // Let the pull get a few pages further, then kill the tab.
        await expect
          .poll(async () => {
            const c = await device.meta('pullCursor');
            return c !== undefined && c !== cursorBefore;
          }, { timeout: 30_000, interval: 50 })
          .toBe(true);
        await device.page.waitForTimeout(200 + round * 250);
        // The server refuses sync from here: the reopened app finds the store as the crash left it.
        // (Reopening offline instead depends on Chromium restarting the service worker the crash
        // took down with the renderer; now and then it sends the navigation to the network.)
        server.setFaults({ pullPageLimit: 25, delayPullMs: 150, refuseSync: true });
        await crash(device.page);
        await device.reopen();
        const d = await device.dump(true);
        // The reopened app's own pull was refused and changed nothing: the store is still consistent.
        server.setFaults({ pullPageLimit: 25, delayPullMs: 150 });
        expectConsistentStore(d);
        const cursor = d.meta.find((m) => m.key === 'pullCursor')?.value;
        expect(typeof cursor).toBe('string');
        expect(d.meta.find((m) => m.key === 'downloadedAt'), 'not finished yet').toBeUndefined();
        // Exactly the rows the server serves up to that cursor (same pages: same page size, no change since).
        const pages = await reader.pullPages(null, cursor as string);
        expect(pages.at(-1)!.cursor).toBe(cursor);
        const served = keysOf(pages);
        expect(d.keys).toEqual(served);
        // The network blinks: the app's `online` trigger resumes the pull.
        await device.context.setOffline(true);
        await device.context.setOffline(false);
      }
      server.setFaults({ pullPageLimit: 25 });
      const done = await device.syncUntil((d) => d.meta.some((m) => m.key === 'downloadedAt'));
      const all = await reader.pullPages(null);
      const full = await device.dump(true);
      expect(full.keys).toEqual(keysOf(all));
      const totals = all[0]!.totals!;
      expect(full.counts).toEqual({ items: totals.item, households: totals.household, persons: totals.person, accounts: totals.account, paymentLines: totals.paymentLine });
      expect(done.forms.length).toBe(totals.form);
      await expectConverged(device, admin);
    } finally {
      await device.close();
    }
  });

  it('i. a poison mutation in a batch: the rest goes through, the poison is kept on the server and needs attention on the device, later mutations pass', async () => {
    showServerLogOnFailure();
    const [good1, , good2] = newForms('i', 3, 1);
    const h = households[1]!;
    // Rejected by the server: a household that is not on the roster.
    const unknown = body({ ...h, id: 'no-such-household' }, 'i-poison');
    // Makes the database fail: PostgreSQL cannot store U+0000 in jsonb or text.
    const nul = body(h, 'i-nul\u0000');
    const ids = await phone.submitNew([good1!, { householdId: 'no-such-household', villageCode: h.villageCode, body: unknown }, { householdId: h.id, villageCode: h.villageCode, body: nul }, good2!]);
    const d = await phone.syncUntil();
    const state = (id: string) => d.forms.find((f) => f.id === id);
    // One batch, each answered on its own.
    const answers = await Promise.all(ids.map(async (id) => (await phone.answersFor(id)).map((r) => r.status)));
    expect(answers).toEqual([['applied'], ['rejected'], ['rejected'], ['applied']]);
    expect((await phone.answersFor(ids[2]!))[0]?.message).toContain('无法保存的字符');
    expect(state(ids[0]!)).toMatchObject({ state: 'synced', serverRev: 1 });
    expect(state(ids[1]!)).toMatchObject({ state: 'attention', lastResult: { status: 'rejected' } });
    expect(state(ids[2]!)).toMatchObject({ state: 'attention', lastResult: { status: 'rejected' } });
    expect(state(ids[3]!)).toMatchObject({ state: 'synced', serverRev: 1 });
    expect(d.outbox.filter((e) => e.status === 'attention').map((e) => e.formId).sort()).toEqual([ids[1]!, ids[2]!].sort());

    const [later] = await phone.submitNew(newForms('i-later', 1, 3));
    const d2 = await phone.syncUntil();
    expect(d2.forms.find((f) => f.id === later)).toMatchObject({ state: 'synced', serverRev: 1 });
    expect((await phone.answersFor(later!)).map((r) => r.status)).toEqual(['applied']);
    // The entries needing attention were not sent again.
    expect((await phone.answersFor(ids[1]!)).length).toBe(1);
    const { ledger } = await expectConverged(phone, admin, { attention: 2 });
    const poison = ledger.mutations.filter((m) => m.status === 'rejected');
    expect(poison).toHaveLength(2);
    expect(ledger.forms.map((f) => f.id)).not.toContain(ids[1]);
    expect(ledger.forms.map((f) => f.id)).not.toContain(ids[2]);
  });

  if (kind === 'postgres') {
    it('j. a transaction that commits after a later one: the device gets both, after the early one commits', async () => {
      showServerLogOnFailure();
      // The HTTP-level proof is test/integration/server/sync-late-commit.pg.test.ts; this is the app end to end.
      await phone.syncUntil();
      const [first, second] = households.slice(-2) as [SyncHousehold, SyncHousehold];
      const early = new pg.Client({ connectionString: server.pgUrl! });
      const late = new pg.Client({ connectionString: server.pgUrl! });
      await early.connect();
      await late.connect();
      const phoneOf = async (id: string) => (await phone.households()).find((x) => x.id === id)?.phone;
      try {
        await early.query('begin');
        await early.query(`update households set phone = '13900000011' where id = $1`, [first.id]);
        await late.query('begin');
        await late.query(`update households set phone = '13900000022' where id = $1`, [second.id]);
        await late.query('commit');
        await phone.syncUntil();
        expect(await phoneOf(second.id), 'a later commit is held back while an earlier transaction is open').toBe(second.phone);
        await early.query('commit');
        await phone.syncUntil();
        expect(await phoneOf(first.id)).toBe('13900000011');
        expect(await phoneOf(second.id)).toBe('13900000022');
      } finally {
        await early.end();
        await late.end();
      }
      await expectConverged(phone, admin, { attention: 2 });
    });
  }

  // Keep last: the phone's device id changes here.
  it("k. a device id the server has bound to another user (a phone passed on by an older app): the app takes a new id, nothing is lost", async () => {
    showServerLogOnFailure();
    await phone.syncUntil();
    // The inspector's phone registered this id first.
    const inspector = await Api.signIn(server, 'inspector');
    const taken = randomUUID();
    expect((await inspector.push({ deviceId: taken, appVersion: 'test', mutations: [] })).status).toBe(200);
    await phone.page.evaluate(async (id) => window.__ykt.setMeta('deviceId', id), taken);
    const ids = await phone.submitNew(newForms('k', 2, 2));
    const d = await phone.syncUntil();
    for (const id of ids) expect(d.forms.find((f) => f.id === id)).toMatchObject({ state: 'synced', serverRev: 1 });
    const renewed = await phone.deviceId();
    expect(renewed).not.toBe(taken);
    // The refused push under the taken id stored nothing; the forms came under the new one.
    const refused = phone.answered.filter((a) => a.sent.deviceId === taken);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((a) => a.status === 409)).toBe(true);
    // Last scenario: expectConverged counts every counter under one device id, and this phone now has two.
    const ledger = await admin.ledger([renewed, taken], ids);
    expect(ledger.forms.map((f) => f.id).sort()).toEqual([...ids].sort());
    expect(ledger.mutations.filter((m) => m.deviceId === taken)).toEqual([]);
    expect(ledger.mutations.filter((m) => m.deviceId === renewed).map((m) => m.status)).toEqual(['applied', 'applied']);
  });
});

type Keys = Record<'items' | 'households' | 'persons' | 'accounts' | 'paymentLines', string[]>;
function keysOf(pages: Awaited<ReturnType<Api['pullPages']>>): Keys {
  const sorted = (xs: string[]) => [...new Set(xs)].sort();
  const c = pages.map((p) => p.changes);
  return {
    items: sorted(c.flatMap((x) => x.item.map((r) => r.code))),
    households: sorted(c.flatMap((x) => x.household.map((r) => r.id))),
    persons: sorted(c.flatMap((x) => x.person.map((r) => r.id))),
    accounts: sorted(c.flatMap((x) => x.account.map((r) => r.id))),
    paymentLines: sorted(c.flatMap((x) => x.paymentLine.map((r) => r.id))),
  };
}
