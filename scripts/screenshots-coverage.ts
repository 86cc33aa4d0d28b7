/**
 * Screenshots of coverage and the review list (issue 15): the county with a
 * bar per township, a township with a bar per village, a village's
 * households, the review list with its filters and the monthly report (on
 * screen, printed, as PDF), at phone (360×740) and
 * desktop (1280×800) size, into docs/screenshots/coverage/.
 * Run: npm run build && npx tsx scripts/screenshots-coverage.ts
 */
import { mkdirSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { loadDemoCounty } from '../src/server/cli/demo/load.ts';
import { ensureDemoLedger } from '../src/server/cli/demo/ledger.ts';
import { rowsOf } from '../src/server/db/client.ts';
import { DEMO_PASSWORD, signIn } from '../test/helpers/app.ts';
import { launchChromium } from '../test/helpers/browser.ts';
import { startE2eServer } from '../test/helpers/e2e-server.ts';
import { checkFormBody } from '../test/fixtures/check-form.ts';
import { completeFormBody, pullArea, pushForms } from '../test/fixtures/household-forms.ts';

const out = 'docs/screenshots/coverage';
mkdirSync(out, { recursive: true });
const server = await startE2eServer();
const browser = await launchChromium();
const TOWNSHIP = '421321101000';
try {
  const db = server.database.db;
  await loadDemoCounty(db, { seed: 20220, people: 6000 });
  await ensureDemoLedger(server.database);
  const cadre = await signIn(server.app, 'cadre');
  const area = await pullArea(server.app, cadre);
  // The demo cadre has checked two thirds of the village.
  await pushForms(server.app, cadre, area.household.slice(0, Math.ceil((area.household.length * 2) / 3)).map((h) => completeFormBody(area, h)));
  // Elsewhere, as other cadres' syncs would: every other village of a few townships part done, some people unanswered.
  const others = rowsOf<{ id: string; villageCode: string; headPersonId: string; persons: string[] }>(
    await db.execute(sql`select h.id, h.village_code as "villageCode", h.head_person_id as "headPersonId", array_agg(p.id order by p.id) as persons
      from households h join persons p on p.household_id = h.id
      where h.village_code like '4213211%' and h.village_code <> ${area.household[0]?.villageCode ?? ''}
        and (substr(h.village_code, 7, 3)::int % 2 = 1) and (substr(h.village_code, 10, 3)::int % 3 <> 0) and (hashtext(h.id) % 4 <> 0)
      group by h.id`),
  );
  for (const h of others) {
    const body = checkFormBody(h, {
      members: h.persons.map((id, i) => ({ personId: id, name: '成员', idNumber: null, isNew: false, present: i % 5 === 4 ? null : true, identityChecked: true, status: i % 5 === 4 ? null : ('living' as const), statusDate: null, relation: null, note: '' })),
    });
    await db.execute(sql`insert into check_forms (id, household_id, village_code, kind, rev, body, author_user_id, device_id)
      select gen_random_uuid(), ${h.id}, ${h.villageCode}, 'cadre', 1, ${JSON.stringify(body)}::jsonb, id, 'screenshots' from users where username = 'cadre'`);
  }

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
    await page.goto(`${server.baseUrl}/coverage`);
    await page.getByTestId('coverage-children').waitFor();
    await page.screenshot({ path: `${out}/county-${label}.png`, fullPage: label === 'desktop' });
    await page.goto(`${server.baseUrl}/coverage/${TOWNSHIP}`);
    await page.getByTestId('coverage-children').waitFor();
    await page.screenshot({ path: `${out}/township-${label}.png`, fullPage: label === 'desktop' });
    await page.goto(`${server.baseUrl}/coverage/${area.household[0]?.villageCode ?? ''}`);
    await page.getByTestId('coverage-households').waitFor();
    await page.screenshot({ path: `${out}/village-${label}.png` });
    await page.goto(`${server.baseUrl}/review`);
    await page.getByLabel('乡镇 / 村').selectOption({ value: area.household[0]?.villageCode ?? '' });
    await page.getByTestId('review-list').waitFor();
    await page.screenshot({ path: `${out}/review-list-${label}.png` });
    await page.goto(`${server.baseUrl}/reports/monthly`);
    await page.getByTestId('monthly-report').waitFor();
    await page.screenshot({ path: `${out}/monthly-${label}.png`, fullPage: true });
    if (label === 'desktop') {
      await page.emulateMedia({ media: 'print' });
      await page.screenshot({ path: `${out}/monthly-print.png`, fullPage: true });
      await page.pdf({ path: `${out}/monthly.pdf`, format: 'A4', landscape: true });
    }
  });
  console.log(`screenshots in ${out}`);
} finally {
  await browser.close();
  await server.close();
}
