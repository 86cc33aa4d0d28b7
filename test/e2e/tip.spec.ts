import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '#test/helpers/app.ts';
import { seriousA11yViolations } from '#test/helpers/axe.ts';
import { e2eSuite } from '#test/helpers/e2e-suite.ts';
import { expectNoSidewaysScroll } from '#test/helpers/layout.ts';
import { SignInPage } from './pages/SignInPage.ts';

const e2e = e2eSuite({ serviceWorkers: 'block' });

describe('the public tip-off page', () => {
  it('takes an anonymous report without a sign-in on a phone; the county supervisor finds it on the ledger and may see who reported', async () => {
    const page = e2e.page;
    await page.goto(`${e2e.server.baseUrl}/report`);
    await page.getByRole('heading', { level: 1, name: /问题线索举报/ }).waitFor();
    await page.getByLabel('问题类型').selectOption('card-held');
    await page.getByLabel('乡镇').selectOption({ label: '厉山镇' });
    await page.getByLabel('村（社区）').selectOption('421321101200');
    await page.getByLabel('问题情况（请写明时间、人员、金额等）').fill('今年三月村里有人把我家的一卡通收走了，至今未还');
    await page.getByLabel('联系电话（可不填）').fill('13907221234');
    await expectNoSidewaysScroll(page, 'tip-off page');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('button', { name: '提交举报' }).click();
    const receipt = page.getByTestId('tip-receipt');
    await receipt.waitFor();
    const number = /编号 (\d+)/.exec((await receipt.textContent()) ?? '')?.[1];
    expect(number).toMatch(/^\d+$/);

    await page.goto(e2e.server.baseUrl);
    await new SignInPage(page).signIn('supervisor', DEMO_PASSWORD);
    await page.getByRole('heading', { level: 1, name: /您好/ }).waitFor();
    await page.goto(`${e2e.server.baseUrl}/ledger`);
    await page.locator(`[data-ledger-number="${number}"]`).click();
    await page.getByText('群众举报', { exact: false }).waitFor();
    await page.getByRole('button', { name: '查看举报人联系方式（将记入审计日志）' }).click();
    expect(await page.getByTestId('tip-contact').textContent()).toBe('举报人：未留姓名，电话：13907221234');
  });
});
