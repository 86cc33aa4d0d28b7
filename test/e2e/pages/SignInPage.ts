import type { Page } from 'playwright-core';

export class SignInPage {
  constructor(readonly page: Page) {}

  heading() {
    return this.page.getByRole('heading', { name: '登录' });
  }

  async signIn(username: string, password: string) {
    await this.page.getByLabel('用户名').fill(username);
    await this.page.getByLabel('密码').fill(password);
    await this.page.getByRole('button', { name: '登录' }).click();
  }

  alert() {
    return this.page.getByRole('alert');
  }
}
