/**
 * Screenshots of spot checks (issue 14): the draw with its preview, a round's
 * progress with one village open and the quality table, the side-by-side
 * comparison of one household, and the visit card of a cadre's form, at
 * phone (360×740) and desktop (1280×800) size, into docs/screenshots/inspection/.
 * Run: npm run build && npx tsx scripts/screenshots-inspection.ts
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { DEFAULT_SAMPLE_RULE, drawSample } from '../src/shared/domain/inspection/sample.ts';
import type { CheckFormBody } from '../src/shared/schemas/check-form.ts';
import { loadDemoCounty } from '../src/server/cli/demo/load.ts';
import { drawInput } from '../src/server/inspection/inspection-service.ts';
import { DEMO_PASSWORD, signIn } from '../test/helpers/app.ts';
import { launchChromium } from '../test/helpers/browser.ts';
import { startE2eServer } from '../test/helpers/e2e-server.ts';
import { completeFormBody, pullArea, pushForms } from '../test/fixtures/household-forms.ts';

const out = 'docs/screenshots/inspection';
mkdirSync(out, { recursive: true });
const server = await startE2eServer();
const browser = await launchChromium();
const VILLAGE = '421321101200';
const TOWNSHIP = '421321101000';
try {
  await loadDemoCounty(server.database.db, { seed: 20220, people: 3000 });
  const cadre = await signIn(server.app, 'cadre');
  const supervisor = await signIn(server.app, 'supervisor');
  const inspector = await signIn(server.app, 'inspector');
  const area = await pullArea(server.app, cadre);
  // The cadre's forms, with the visits the phone recorded: most ordinary, a few quick ones from one spot.
  const spot = { lat: 31.7169, lon: 113.3739, accuracyM: 12 };
  const bodies = area.household.map((h, i): CheckFormBody => {
    const quick = i >= area.household.length - 4;
    const start = Date.UTC(2026, 10, 20, 1, 0) + i * (quick ? 2 : 35) * 60_000;
    const fix = (m: number) => ({ lat: spot.lat + (quick ? 0.00001 * i : 0.0012 * (i % 7)), lon: spot.lon + (quick ? 0 : 0.001 * (i % 5)), accuracyM: spot.accuracyM, at: new Date(start + m * 60_000).toISOString() });
    return {
      ...completeFormBody(area, h),
      visit: { openedAt: new Date(start).toISOString(), submittedAt: new Date(start + (quick ? 1 : 18) * 60_000).toISOString(), activeSeconds: quick ? { household: 40, members: 20 } : { household: 240, members: 420, items: 300, evidence: 120 }, gpsOpen: fix(0), gpsSubmit: fix(quick ? 1 : 18) },
    };
  });
  const formIds = await pushForms(server.app, cadre, bodies);

  // A seed whose sample holds the cadre's village, drawn and published as on the screen.
  const input = await drawInput(server.database.db, TOWNSHIP);
  let seed = '';
  for (let n = 1; n < 200 && seed === ''; n++) {
    const s = `2026-11-28 公开抽签 第${n}号`;
    if (drawSample(s, DEFAULT_SAMPLE_RULE, input).households.some((h) => h.villageCode === VILLAGE)) seed = s;
  }
  const preview = (await server.app.inject({ method: 'POST', url: '/api/inspection/preview', headers: { cookie: supervisor }, payload: { areaCode: TOWNSHIP, seed, rule: DEFAULT_SAMPLE_RULE } })).json<{ inputHash: string }>();
  const round = (await server.app.inject({ method: 'POST', url: '/api/inspection/rounds', headers: { cookie: supervisor }, payload: { areaCode: TOWNSHIP, seed, rule: DEFAULT_SAMPLE_RULE, name: '第一批重点抽查', inputHash: preview.inputHash } })).json<{ id: string }>();
  const inspectors = (await server.app.inject({ method: 'GET', url: '/api/inspection/inspectors', headers: { cookie: supervisor } })).json<{ id: string }[]>();
  const assigned = await server.app.inject({ method: 'POST', url: `/api/inspection/rounds/${round.id}/assign`, headers: { cookie: supervisor }, payload: { inspectorId: inspectors[0]?.id, villageCodes: [VILLAGE] } });
  if (assigned.statusCode !== 200) throw new Error(`assign: ${assigned.body} (seed ${seed})`);
  const sampled = (await server.app.inject({ method: 'GET', url: `/api/inspection/rounds/${round.id}/households?village=${VILLAGE}`, headers: { cookie: supervisor } })).json<{ householdId: string }[]>();
  // The inspector's re-checks: the first differs on key answers (a member absent, a card held by the cadre), the rest agree.
  const rechecks = sampled.slice(0, 4).map((s, i) => {
    const h = area.household.find((x) => x.id === s.householdId);
    if (!h) throw new Error('sampled household not in the village');
    const body = { ...completeFormBody(area, h), kind: 'inspection' as const };
    if (i === 0) {
      const [first, second] = body.members;
      if (first) first.present = false;
      if (second) second.status = 'moved-out';
      const item = body.items[0];
      if (item) item.amountReceivedFen = Math.round(item.ledgerAmountFen * 0.6);
      body.publicity.sawPolicyList = false;
      body.problems.push({ key: 'r1', code: 'A2', amountFen: item ? Math.round(item.ledgerAmountFen * 0.4) : null, description: '户主称只领到六成', personIds: first ? [first.personId] : [], source: 'manual' });
    }
    return body;
  });
  await pushForms(server.app, inspector, rechecks);
  const target = sampled[0]?.householdId ?? '';

  const VIEWPORTS = [
    ['phone', { width: 360, height: 740 }],
    ['desktop', { width: 1280, height: 800 }],
  ] as const;
  const atEachSize = async (shoot: (page: Page, label: string) => Promise<void>) => {
    for (const [label, viewport] of VIEWPORTS) {
      const context = await browser.newContext({ viewport, locale: 'zh-CN', serviceWorkers: 'block' });
      const page = await context.newPage();
      await page.goto(server.baseUrl);
      await page.getByLabel('用户名').fill('supervisor');
      await page.getByLabel('密码').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: '登录' }).click();
      await page.getByRole('heading', { level: 1, name: /您好/ }).waitFor();
      await shoot(page, label);
      await context.close();
    }
  };
  await atEachSize(async (page, label) => {
    await page.goto(`${server.baseUrl}/inspection`);
    await page.getByLabel('抽查范围').selectOption({ label: '随县' });
    await page.getByLabel('随机种子（公开，可复核）').fill('2026-12-03 县纪委监委公开抽签 第2号');
    await page.getByRole('button', { name: '预览抽样' }).click();
    await page.getByTestId('draw-preview').waitFor();
    await page.screenshot({ path: `${out}/draw-preview-${label}.png`, fullPage: true });
    await page.goto(`${server.baseUrl}/inspection/${round.id}`);
    await page.getByTestId('round-villages').waitFor();
    await page.getByTestId('round-villages').getByRole('button', { name: '星亮村村民委员会' }).click();
    await page.getByTestId('sample-households').waitFor();
    await page.getByTestId('quality').waitFor();
    await page.screenshot({ path: `${out}/round-${label}.png`, fullPage: label === 'desktop' });
    await page.getByTestId('sample-households').scrollIntoViewIfNeeded();
    if (label === 'phone') await page.screenshot({ path: `${out}/round-households-${label}.png` });
    await page.goto(`${server.baseUrl}/inspection/households/${encodeURIComponent(target)}`);
    await page.getByTestId('comparison-fields').waitFor();
    await page.screenshot({ path: `${out}/comparison-${label}.png`, fullPage: true });
    await page.goto(`${server.baseUrl}/review/${formIds.at(-1) ?? ''}`);
    await page.getByTestId('visit-card').scrollIntoViewIfNeeded();
    await page.getByTestId('visit-card').screenshot({ path: `${out}/visit-card-${label}.png` });
    await page.goto(`${server.baseUrl}/inspection`);
    await page.getByTestId('visit-quality').locator('tbody tr').first().waitFor();
    await page.getByTestId('visit-quality').screenshot({ path: `${out}/visit-quality-${label}.png` });
  });
  console.log(`screenshots in ${out}`);
} finally {
  await browser.close();
  await server.close();
}
