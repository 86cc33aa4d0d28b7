import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Region } from '#shared/schemas/roster.ts';
import regionsJson from '#server/cli/demo/regions-421321.json' with { type: 'json' };
import { KIND_SPECS, ROSTER_DATA_KINDS } from '#server/import/columns.ts';
import { importPlannedFile } from '#server/import/importer.ts';
import { planFile } from '#server/import/plan.ts';
import { ProblemLog } from '#server/import/problems.ts';
import { templateCsv, templateWorkbook } from '#server/import/templates.ts';
import { MemoryRosterStore } from '#test/fixtures/memory-roster-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'ykt-templates-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Only the regions above the example village: the templates must bring the rest themselves. */
const PARENTS = (regionsJson as Region[]).filter((r) => r.level !== 'village');

describe('import templates', () => {
  it('import cleanly as they are, kind by kind in dependency order', async () => {
    const store = new MemoryRosterStore({ regions: PARENTS });
    for (const kind of ROSTER_DATA_KINDS) {
      const path = join(dir, `${kind}.csv`);
      writeFileSync(path, templateCsv(kind));
      const plan = await planFile(path, `${kind}.csv`);
      expect(plan.kind).toBe(kind);
      const log = new ProblemLog();
      const result = await importPlannedFile(plan, { store, importId: 't', areaPrefix: '421321', log });
      expect(log.kept, kind).toEqual([]);
      expect(result.counts).toEqual({ ok: 1, warning: 0, error: 0 });
    }
    expect(store.lines.size).toBe(1);
  });

  it('ship as one workbook that is read in a single pass after the plan', async () => {
    const path = join(dir, 'workbook.xlsx');
    writeFileSync(path, await templateWorkbook());
    const plan = await planFile(path, 'workbook.xlsx');
    expect(plan.parts.map((p) => [p.sheet, p.header.kind])).toEqual(ROSTER_DATA_KINDS.map((k) => [KIND_SPECS[k].label, k]));
    expect(plan.passes).toHaveLength(1);
    const log = new ProblemLog();
    const result = await importPlannedFile(plan, { store: new MemoryRosterStore({ regions: PARENTS }), importId: 't', areaPrefix: '421321', log });
    expect(log.kept).toEqual([]);
    expect(result.counts).toEqual({ ok: 6, warning: 0, error: 0 });
  });
});

describe('README "Importing the roster"', () => {
  const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Importing the roster'));

  it('documents every column of every kind, in Chinese and English, with whether it is required', () => {
    expect(section.length).toBeGreaterThan(100);
    for (const kind of ROSTER_DATA_KINDS) {
      const start = section.indexOf(`### ${KIND_SPECS[kind].label} · `);
      expect(start, kind).toBeGreaterThan(0);
      const end = section.indexOf('\n### ', start + 1);
      const table = section.slice(start, end === -1 ? undefined : end);
      for (const col of KIND_SPECS[kind].columns) {
        const row = table.split('\n').find((line) => line.startsWith(`| ${col.zh} | \`${col.en}\` |`));
        expect(row, `${kind}: ${col.zh}`).toBeDefined();
        expect(row?.split('|')[3]?.trim() === 'yes', `${kind}: ${col.zh} required`).toBe(col.required);
      }
    }
  });
});
