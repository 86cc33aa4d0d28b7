/**
 * Benchmark: one device's outbox of 1,000 forms, each with a 20 KB signature,
 * to the server. Target (issue 5): ≤ 20 s on loopback.
 *
 * Method: the real server (src/server/server.ts, child process, PGlite by
 * default, `--db pg` for PostgreSQL) with a small demo county; headless
 * Chromium at 360×740 signs in as the cadre and downloads the village. Then
 * 1,000 forms are written into the app's IndexedDB the way the app saves them
 * (each signature stored first as a blob under its SHA-256, then the form and
 * its outbox entry in one transaction; test/faults/helpers/page-helpers.ts),
 * not timed. The app's own sync runner is then triggered (`online`) and timed
 * in the page until the run is over: every signature uploaded (PUT by hash),
 * every form pushed (batches of the runner's size), every answer settled in
 * IndexedDB, and the pull after. Checked afterwards: the outbox is empty, every
 * blob is marked uploaded, and the server holds the 1,000 forms (pulled back by
 * a second device's view: the supervisor's form list) with their signatures.
 *
 * Run: npm run build && npx tsx test/bench/sync-outbox-signatures.ts [--forms 1000] [--kb 20] [--db pglite|pg]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkFormBody } from '../fixtures/check-form.ts';
import { Device } from '../faults/helpers/device.ts';
import { launchChromium } from '../helpers/browser.ts';
import { DIST_DIR } from '../helpers/e2e-server.ts';
import { DEMO_PASSWORD, ServerProcess } from '../helpers/server-process.ts';

const TARGET_SECONDS = 20;
const { values: args } = parseArgs({
  options: {
    forms: { type: 'string', default: '1000' },
    kb: { type: 'string', default: '20' },
    db: { type: 'string', default: 'pglite' },
  },
});
if (!existsSync(join(DIST_DIR, 'index.html'))) throw new Error('dist/ is missing: run `npm run build` first');
process.env.TEST_DATABASE_URL ??= process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const n = Number(args.forms);
const bytes = Number(args.kb) * 1024;

const server = await ServerProcess.start({ kind: args.db === 'pg' ? 'postgres' : 'pglite', people: 1200, faults: false });
const browser = await launchChromium();
try {
  const device = await Device.open(browser, server, 'cadre', { serviceWorkers: 'block' });
  await device.downloaded();
  const households = await device.households();
  const forms = Array.from({ length: n }, (_, i) => {
    const h = households[i % households.length]!;
    const body = checkFormBody(h);
    body.evidence.remarks = `签名测试 ${i}`;
    return { householdId: h.id, villageCode: h.villageCode, body };
  });
  const prepared = Date.now();
  const ids = await device.page.evaluate(([f, b]) => window.__ykt.submitNewWithSignature(f, b), [forms, bytes] as const);
  console.log(`${n} forms with ${args.kb} KB signatures written to IndexedDB in ${((Date.now() - prepared) / 1000).toFixed(1)} s (not timed)`);

  let uploads = 0;
  let pushes = 0;
  device.page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (r.method() === 'PUT' && path.startsWith('/api/blobs/')) uploads++;
    if (path === '/api/sync/push') pushes++;
  });
  await device.page.evaluate(() => window.__ykt.idle());
  const ms = await device.trigger();
  const d = await device.dump();
  const pending = d.outbox.filter((e) => e.status === 'pending').length;
  const synced = d.forms.filter((f) => ids.includes(f.id) && f.state === 'synced' && f.serverRev === 1).length;
  const notUploaded = await device.page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const o = indexedDB.open('ykt-device');
      o.onsuccess = () => resolve(o.result);
      o.onerror = () => reject(o.error ?? new Error('open failed'));
    });
    const r = db.transaction('blobs').objectStore('blobs').index('uploaded').count(0);
    const count = await new Promise<number>((resolve) => (r.onsuccess = () => resolve(r.result)));
    db.close();
    return count;
  });
  // The server's side: the supervisor's list of the area's forms, and a signature read back.
  const signIn = await fetch(`${server.baseUrl}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'supervisor', password: DEMO_PASSWORD }) });
  const cookie = signIn.headers.getSetCookie().find((c) => c.startsWith('ykt_sid='))!.split(';')[0]!;
  const list = (await (await fetch(`${server.baseUrl}/api/forms?limit=1000`, { headers: { cookie } })).json()) as { id: string }[];
  const onServer = list.filter((f) => ids.includes(f.id)).length;
  const sig = forms[0] && d.forms.find((f) => f.id === ids[0])?.body.evidence.signatureBlob;
  const blob = sig ? await fetch(`${server.baseUrl}/api/blobs/${sig}`, { headers: { cookie } }) : null;
  const ok = pending === 0 && synced === n && notUploaded === 0 && onServer === Math.min(n, 1000) && blob?.status === 200 && (await blob.arrayBuffer()).byteLength === bytes;
  const seconds = ms / 1000;
  const line = {
    bench: 'sync-outbox-signatures',
    database: server.kind,
    forms: n,
    signatureBytes: bytes,
    seconds: Number(seconds.toFixed(2)),
    formsPerSecond: Math.round(n / seconds),
    blobUploads: uploads,
    pushRequests: pushes,
    allOnServer: ok,
    loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
    targetSeconds: TARGET_SECONDS,
    withinTarget: ok && seconds <= TARGET_SECONDS,
  };
  console.log(`${n} forms + ${n} signatures of ${args.kb} KB from the outbox to the server in ${seconds.toFixed(1)} s (target ≤ ${TARGET_SECONDS} s): ${uploads} uploads, ${pushes} pushes; all on the server: ${ok}`);
  console.log(JSON.stringify(line));
  if (!ok) process.exitCode = 1;
} finally {
  await browser.close();
  await server.dispose();
}
