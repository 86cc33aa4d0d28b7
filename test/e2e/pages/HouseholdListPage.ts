import type { Page } from 'playwright-core';

/** The area card on the home screen (download state and progress, entries to the work). */
export class AreaCard {
  constructor(readonly page: Page) {}

  card() {
    return this.page.getByTestId('area-card');
  }

  progress() {
    return this.page.getByRole('progressbar', { name: '花名册下载进度' });
  }

  state() {
    return this.page.getByTestId('area-state');
  }

  async openHouseholds() {
    await this.page.getByRole('link', { name: '入户核查' }).click();
  }

  async openSync() {
    await this.page.getByRole('link', { name: /^同步/ }).click();
  }
}

export class HouseholdListPage {
  constructor(readonly page: Page) {}

  heading() {
    return this.page.getByRole('heading', { level: 1, name: /入户核查/ });
  }

  groups() {
    return this.page.getByTestId('household-groups');
  }

  rows() {
    return this.page.locator('.hh-row');
  }

  maskedIds() {
    return this.page.locator('.hh-id');
  }

  search() {
    return this.page.getByLabel('查找农户');
  }

  results() {
    return this.page.getByTestId('search-results');
  }

  resultFor(householdId: string) {
    return this.results().locator(`[data-household-id="${householdId}"]`);
  }

  chip(name: RegExp) {
    return this.page.getByRole('button', { name });
  }

  coverage(name: '已核查户数' | '已核实人数' | '已核实补贴项目') {
    return this.page.getByRole('progressbar', { name });
  }

  syncBadge() {
    return this.page.locator('.topbar [role=status]');
  }
}

export class SyncPage {
  constructor(readonly page: Page) {}

  heading() {
    return this.page.getByRole('heading', { level: 1, name: '同步' });
  }

  syncNow() {
    return this.page.getByRole('button', { name: /立即同步|正在同步/ });
  }

  pendingCount() {
    return this.page.getByTestId('pending-count');
  }
}
