import type { Page } from 'playwright-core';

/** The admin's roster import screen (/admin/imports). */
export class RosterImportPage {
  constructor(readonly page: Page) {}

  heading() {
    return this.page.getByRole('heading', { level: 1, name: '导入名册与发放明细' });
  }

  async upload(paths: string[]) {
    await this.page.getByLabel(/选择文件/).setInputFiles(paths);
    await this.page.getByRole('button', { name: '开始导入' }).click();
  }

  /** The result card of one uploaded file, by file name. */
  run(fileName: string) {
    return this.page.locator('section.import-run', { has: this.page.getByRole('heading', { name: new RegExp(fileName.replace('.', '\\.')) }) });
  }

  progressBars() {
    return this.page.getByRole('progressbar');
  }

  problemRows(fileName: string) {
    return this.run(fileName).locator('table.import-problems tbody tr');
  }

  reportLink(fileName: string) {
    return this.run(fileName).getByRole('link', { name: /下载完整问题报告/ });
  }

  templateLinks() {
    return this.page.getByRole('region', { name: '导入模板' }).getByRole('link');
  }
}
