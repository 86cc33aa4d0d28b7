import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Runs after `npm run build` (scripts/test-all.sh): checks what the service worker will precache.
const dist = new URL('../../dist/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, dist), 'utf8');

describe('the built PWA', () => {
  it('exists', () => {
    expect(existsSync(new URL('sw.js', dist)), 'run `npm run build` first').toBe(true);
  });

  it('precaches the app shell (index.html) and every script and stylesheet', () => {
    const sw = read('sw.js');
    expect(sw).toMatch(/url:\s*"index\.html"/);
    const html = read('index.html');
    const linked = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]);
    expect(linked.length).toBeGreaterThan(0);
    for (const asset of linked) expect(sw, `${asset} precached`).toContain(`"${asset}"`);
  });

  it('never answers /api navigations with the shell', () => {
    const sw = read('sw.js');
    expect(sw).toContain('denylist');
    expect(sw).toMatch(/\^\\\/api/);
  });

  it('has a Chinese web manifest with regular and maskable icons', () => {
    const manifest = JSON.parse(read('manifest.webmanifest')) as {
      name: string;
      lang: string;
      display: string;
      icons: { src: string; sizes: string; purpose?: string }[];
    };
    expect(manifest.name).toBe('一卡通入户核查');
    expect(manifest.lang).toBe('zh-CN');
    expect(manifest.display).toBe('standalone');
    expect(manifest.icons.some((i) => i.sizes === '192x192')).toBe(true);
    expect(manifest.icons.some((i) => i.sizes === '512x512' && i.purpose === 'maskable')).toBe(true);
    for (const icon of manifest.icons) expect(existsSync(new URL(icon.src, dist)), icon.src).toBe(true);
  });

  it('keeps zod and react-hook-form out of the entry chunk (the field path loads them only with the screens that need them)', () => {
    const html = read('index.html');
    const entry = /<script[^>]+src="\/(assets\/index-[^"]+\.js)"/.exec(html)?.[1];
    expect(entry, 'entry script in index.html').toBeDefined();
    const map = JSON.parse(read(`${entry!}.map`)) as { sources: string[] };
    expect(map.sources.some((s) => s.includes('/src/app/main.tsx'))).toBe(true);
    expect(map.sources.filter((s) => /node_modules\/(zod|react-hook-form)\//.test(s))).toEqual([]);
  });
});
