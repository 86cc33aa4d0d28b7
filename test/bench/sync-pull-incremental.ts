/**
 * Benchmark: incremental pull after 100 changes in a 10,000-household area.
 * Target (issue 5): ≤ 300 ms end to end.
 *
 * Method: the real server (src/server/server.ts, child process, PGlite by
 * default) generates the demo county with `--people` people (32,000 ≈ 10,000
 * households, ~290,000 payment lines). Headless Chromium at 360×740 signs in
 * as the county supervisor (area: the whole county) and the app downloads the
 * area through its sync runner (not timed). Then, per round, a cadre's device
 * pushes 100 new check forms over HTTP (100 changes in the area), and the
 * supervisor's app syncs: timed in the page from the `online` trigger to the
 * end of the run (the Web Lock released): push of an empty outbox, the pull
 * request(s), and the page and its cursor committed to IndexedDB. Every round
 * checks that the device then holds exactly the 100 new forms more. The same
 * incremental pull is also timed over HTTP from Node (request to parsed JSON),
 * the server's share without the browser.
 *
 * Run: npm run build && npx tsx test/bench/sync-pull-incremental.ts [--people 32000] [--rounds 5] [--db pglite|pg]
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as z from 'zod/mini';
import { PullResponseSchema, PushResponseSchema, type PullResponse } from '../../src/shared/schemas/sync.ts';
import { checkFormBody } from '../fixtures/check-form.ts';
import { Device } from '../faults/helpers/device.ts';
import { launchChromium } from '../helpers/browser.ts';
import { DIST_DIR } from '../helpers/e2e-server.ts';
import { DEMO_PASSWORD, ServerProcess } from '../helpers/server-process.ts';

const TARGET_MS = 300;
const { values: args } = parseArgs({
  options: {
    people: { type: 'string', default: '32000' },
    rounds: { type: 'string', default: '5' },
    db: { type: 'string', default: 'pglite' },
  },
});
if (!existsSync(join(DIST_DIR, 'index.html'))) throw new Error('dist/ is missing: run `npm run build` first');
process.env.TEST_DATABASE_URL ??= process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function signIn(baseUrl: string, username: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
  if (!res.ok) throw new Error(`sign-in ${username}: ${res.status}`);
  return res.headers.getSetCookie().find((c) => c.startsWith('ykt_sid='))!.split(';')[0]!;
}

/** Pull to the end; `columns` is the app's format (roster rows column by column), `rows` one object per row. */
async function pullAll(baseUrl: string, cookie: string, cursor: string | null, format: 'rows' | 'columns' = 'columns'): Promise<{ pages: PullResponse[]; cursor: string; ms: number }> {
  const started = performance.now();
  const pages: PullResponse[] = [];
  for (;;) {
    const q = new URLSearchParams({ ...(format === 'columns' ? { format } : {}), limit: '10000', ...(cursor ? { cursor } : {}) });
    const res = await fetch(`${baseUrl}/api/sync/pull?${q.toString()}`, { headers: { cookie } });
    if (!res.ok) throw new Error(`pull: ${res.status} ${await res.text()}`);
    const page = z.parse(PullResponseSchema, await res.json());
    pages.push(page);
    cursor = page.cursor;
    if (!page.hasMore) return { pages, cursor, ms: performance.now() - started };
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const t0 = Date.now();
const server = await ServerProcess.start({ kind: args.db === 'pg' ? 'postgres' : 'pglite', people: Number(args.people), faults: false });
console.log(`server with ${args.people} people ready in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
const browser = await launchChromium();
try {
  const cadre = await signIn(server.baseUrl, 'cadre');
  const supervisorCookie = await signIn(server.baseUrl, 'supervisor');
  // The cadre's village, for the forms (the supervisor's area, the county, contains it).
  const village = await pullAll(server.baseUrl, cadre, null, 'rows');
  const households = village.pages.flatMap((p) => p.changes.household);
  if (households.length === 0) throw new Error('no household in the cadre village');
  const totals = (await pullAll(server.baseUrl, supervisorCookie, null)).pages[0]!.totals!;
  const http = await pullAll(server.baseUrl, supervisorCookie, null);

  const started = Date.now();
  const device = await Device.open(browser, server, 'supervisor', { serviceWorkers: 'block' });
  await device.downloaded(600_000);
  const downloadSeconds = (Date.now() - started) / 1000;
  const before = await device.dump();
  console.log(`area: ${totals.household} households, ${totals.person} people, ${totals.paymentLine} payment lines; first download ${downloadSeconds.toFixed(1)} s`);

  let httpCursor = http.cursor;
  let counter = 0;
  const deviceId = randomUUID();
  const browserMs: number[] = [];
  const httpMs: number[] = [];
  let forms = before.forms.length;
  for (let round = 0; round < Number(args.rounds); round++) {
    const mutations = Array.from({ length: 100 }, (_, i) => {
      counter += 1;
      const h = households[(round * 100 + i) % households.length]!;
      return { id: randomUUID(), counter, kind: 'form.put', formId: randomUUID(), baseRev: 0, body: checkFormBody(h), blobs: [], clientTime: new Date().toISOString() };
    });
    const res = await fetch(`${server.baseUrl}/api/sync/push`, { method: 'POST', headers: { cookie: cadre, 'content-type': 'application/json' }, body: JSON.stringify({ deviceId, appVersion: 'bench', mutations }) });
    const results = z.parse(PushResponseSchema, await res.json()).results;
    if (results.some((r) => r.status !== 'applied')) throw new Error('push failed');

    // The app's own sync, timed in the page (helpers/page-helpers.ts trigger()).
    await device.page.evaluate(() => window.__ykt.idle());
    const ms = await device.trigger();
    const after = await device.dump();
    if (after.forms.length !== forms + 100) throw new Error(`device has ${after.forms.length} forms, expected ${forms + 100}`);
    forms = after.forms.length;
    browserMs.push(ms);

    const h = await pullAll(server.baseUrl, supervisorCookie, httpCursor);
    httpCursor = h.cursor;
    if (h.pages.reduce((n, p) => n + p.changes.form.length, 0) !== 100) throw new Error('HTTP pull did not bring the 100 forms');
    httpMs.push(h.ms);
    console.log(`round ${round + 1}: 100 changes → app sync ${ms.toFixed(0)} ms (HTTP pull alone ${h.ms.toFixed(0)} ms)`);
  }
  const line = {
    bench: 'sync-pull-incremental',
    database: server.kind,
    households: totals.household,
    paymentLines: totals.paymentLine,
    changes: 100,
    rounds: browserMs.length,
    appSyncMs: browserMs.map((x) => Math.round(x)),
    appSyncMedianMs: Math.round(median(browserMs)),
    appSyncMaxMs: Math.round(Math.max(...browserMs)),
    httpPullMedianMs: Math.round(median(httpMs)),
    firstDownloadSeconds: Number(downloadSeconds.toFixed(1)),
    loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
    targetMs: TARGET_MS,
    withinTarget: Math.max(...browserMs) <= TARGET_MS,
  };
  console.log(`incremental sync after 100 changes: median ${line.appSyncMedianMs} ms, max ${line.appSyncMaxMs} ms in the app (target ≤ ${TARGET_MS} ms); HTTP pull alone median ${line.httpPullMedianMs} ms`);
  console.log(JSON.stringify(line));
} finally {
  await browser.close();
  await server.dispose();
}
