import type { Page } from 'playwright-core';

export class HomePage {
  constructor(readonly page: Page) {}

  greeting() {
    return this.page.getByRole('heading', { level: 1, name: /您好/ });
  }

  role() {
    return this.page.getByTestId('role');
  }

  area() {
    return this.page.getByTestId('area');
  }

  connectivity() {
    return this.page.locator('.topbar [role=status]');
  }

  async signOut() {
    await this.page.getByRole('button', { name: '退出登录' }).click();
  }
}
