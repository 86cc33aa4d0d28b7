/**
 * Renders the PWA's PNG icons from the SVGs in public/ with the same Chromium
 * the tests use. Run after changing an SVG: `npx tsx scripts/render-icons.ts`.
 */
import { readFileSync } from 'node:fs';
import { launchChromium } from '../test/helpers/browser.ts';

const jobs = [
  { svg: 'public/favicon.svg', out: 'public/pwa-192x192.png', size: 192 },
  { svg: 'public/favicon.svg', out: 'public/pwa-512x512.png', size: 512 },
  { svg: 'public/favicon.svg', out: 'public/apple-touch-icon.png', size: 180 },
  { svg: 'public/maskable.svg', out: 'public/maskable-512x512.png', size: 512 },
];

const browser = await launchChromium();
try {
  for (const job of jobs) {
    const page = await browser.newPage({ viewport: { width: job.size, height: job.size } });
    const svg = readFileSync(job.svg, 'utf8');
    await page.setContent(`<html><body style="margin:0">${svg.replace('<svg ', `<svg width="${job.size}" height="${job.size}" `)}</body></html>`);
    await page.screenshot({ path: job.out, omitBackground: true, clip: { x: 0, y: 0, width: job.size, height: job.size } });
    await page.close();
    console.log(`wrote ${job.out}`);
  }
} finally {
  await browser.close();
}
