import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '#test/helpers/app.ts';
import { seriousA11yViolations } from '#test/helpers/axe.ts';
import { e2eSuite } from '#test/helpers/e2e-suite.ts';
import { fixtureHouseholds, householdsCsv, itemsCsv, personsCsv } from '#test/fixtures/roster-import-files.ts';
import { RosterImportPage } from './pages/RosterImportPage.ts';
import { SignInPage } from './pages/SignInPage.ts';

const files = mkdtempSync(join(tmpdir(), 'ykt-e2e-import-'));
const hh = fixtureHouseholds(3);
writeFileSync(join(files, '户.csv'), householdsCsv(hh));
writeFileSync(join(files, '补贴项目.csv'), itemsCsv());
// One 15-digit ID among good rows: skipped and reported, the rest imported.
writeFileSync(join(files, '人员.csv'), `${personsCsv(hh)}421321600115001,${hh[0]!.id},王老汉,父母,正常,,\r\n`);
afterAll(() => {
  rmSync(files, { recursive: true, force: true });
});

const e2e = e2eSuite({ serviceWorkers: 'block' });

describe('roster import screen at 360×740', () => {
  it('lets the admin upload files from home, follow the import and read the problems', async () => {
    await e2e.page.goto(e2e.server.baseUrl);
    const signIn = new SignInPage(e2e.page);
    await signIn.heading().waitFor();
    await signIn.signIn('admin', DEMO_PASSWORD);
    await e2e.page.getByRole('link', { name: '导入名册与发放明细' }).click();

    const screen = new RosterImportPage(e2e.page);
    await screen.heading().waitFor();
    expect(await screen.templateLinks().count()).toBe(7);
    expect(await seriousA11yViolations(e2e.page)).toEqual([]);

    await screen.upload(['人员.csv', '户.csv', '补贴项目.csv'].map((f) => join(files, f)));
    await screen.run('人员.csv').getByText('导入完成').waitFor({ timeout: 30_000 });
    await screen.run('户.csv').getByText('导入完成').waitFor();
    expect(await screen.progressBars().count()).toBe(0);

    const persons = screen.run('人员.csv');
    expect(await persons.getByText('正常导入').locator('..').textContent()).toContain('6 行');
    expect(await screen.problemRows('人员.csv').count()).toBe(1);
    expect(await screen.problemRows('人员.csv').first().textContent()).toContain('15位旧身份证号');
    expect(await screen.reportLink('人员.csv').getAttribute('href')).toMatch(/^\/api\/admin\/imports\/[0-9a-f-]{36}\/report\.csv$/u);
    expect(await seriousA11yViolations(e2e.page)).toEqual([]);
  });

  it('is not offered to a cadre', async () => {
    await e2e.page.goto(e2e.server.baseUrl);
    await new SignInPage(e2e.page).signIn('cadre', DEMO_PASSWORD);
    await e2e.page.getByRole('heading', { level: 1, name: /您好/ }).waitFor();
    expect(await e2e.page.getByRole('link', { name: '导入名册与发放明细' }).count()).toBe(0);
    await e2e.page.goto(`${e2e.server.baseUrl}/admin/imports`);
    await e2e.page.getByRole('heading', { level: 1, name: /您好/ }).waitFor();
    expect(await new RosterImportPage(e2e.page).heading().count()).toBe(0);
  });
});
