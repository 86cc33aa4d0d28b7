import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** Nothing on the page is wider than the viewport (a phone's 360 px); names the first element that is. */
export async function expectNoSidewaysScroll(page: Page, where: string): Promise<void> {
  const { scroll, width, widest } = await page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    let widestEl = '';
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.right > w + 1 && getComputedStyle(el).position !== 'fixed') {
        widestEl = `${el.tagName.toLowerCase()}.${el.className} (${Math.round(r.right)} px)`;
        break;
      }
    }
    return { scroll: document.documentElement.scrollWidth, width: w, widest: widestEl };
  });
  expect(scroll, `${where}: scrolls sideways (${widest})`).toBeLessThanOrEqual(width);
}
