/**
 * Bar charts (SVG) of the benchmark results that people compare against
 * their targets, into docs/charts/, for BENCHMARKS.md. The numbers are the
 * measured rows of BENCHMARKS.md (copied here when a row is added there);
 * the target is drawn as a line.
 *
 * Run: npx tsx scripts/bench-charts.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';

interface Bar {
  label: string;
  value: number;
  /** A second, lighter bar drawn to the same scale (e.g. the range's low end). */
  low?: number;
}

interface Chart {
  file: string;
  title: string;
  unit: string;
  target: number;
  /** Is more better (throughput) or less (time, size)? */
  better: 'more' | 'less';
  bars: Bar[];
}

const charts: Chart[] = [
  {
    file: 'sync-ingest-postgres.svg',
    title: 'Server ingest on PostgreSQL, forms/s (2 cores, load generator on the same box)',
    unit: 'forms/s',
    target: 5000,
    better: 'more',
    bars: [
      { label: 'one statement per lookup (11-22)', value: 204 },
      { label: 'batch path (11-22)', value: 4105, low: 3922 },
      { label: 'same, quiet machine (11-29)', value: 3898, low: 3867 },
      { label: '+ lz4 form bodies', value: 4299 },
      { label: '+ one body copy in the log', value: 4746, low: 4642 },
      { label: '8 devices: median of 12 runs', value: 4840 },
      { label: '8 devices: best of those 12', value: 5314 },
      { label: 'final code: median of 12 runs', value: 4704 },
      { label: 'final code: best of those 12', value: 5056 },
      { label: '2nd machine (2.5× slower): that code', value: 2192 },
      { label: '2nd machine: current code', value: 2841 },
    ],
  },
  {
    file: 'sync-ingest-pglite.svg',
    title: 'Server ingest on PGlite, forms/s (one thread for server and database)',
    unit: 'forms/s',
    target: 1500,
    better: 'more',
    bars: [
      { label: 'one statement per lookup (11-22)', value: 85 },
      { label: 'batch path (11-22)', value: 2067, low: 2044 },
      { label: '8 devices (11-29)', value: 2314, low: 2214 },
      { label: '2nd machine (2.5× slower): that code', value: 941 },
      { label: '2nd machine: + compiled zod, bytes', value: 1121 },
      { label: '2nd machine: + no pglz, bytes in PGlite', value: 1319, low: 1248 },
    ],
  },
  {
    file: 'field-path-js.svg',
    title: 'JavaScript loaded by sign-in and home, KB gzip',
    unit: 'KB',
    target: 120,
    better: 'less',
    bars: [
      { label: 'skeleton (11-22)', value: 110.9 },
      { label: 'area card + runner (11-22)', value: 121.0 },
      { label: 'zod off the first load (11-29)', value: 111.1 },
      { label: 'final code (11-29)', value: 111.6 },
    ],
  },
  {
    file: 'roster-import-pglite.svg',
    title: 'Import of a 50,000-person county on PGlite, seconds',
    unit: 's',
    target: 60,
    better: 'less',
    bars: [
      { label: 'load 9.7 (11-22)', value: 92.6 },
      { label: 'load 7.7 (11-22)', value: 80.5 },
      { label: 'quiet machine (11-29)', value: 33.8 },
    ],
  },
  {
    file: 'roster-import-postgres.svg',
    title: 'Import of a 50,000-person county on PostgreSQL, seconds',
    unit: 's',
    target: 30,
    better: 'less',
    bars: [
      { label: 'load 5.1, run A (11-22)', value: 44.1 },
      { label: 'load 6.2, run B (11-22)', value: 29.5 },
      { label: 'quiet machine (11-29)', value: 24.7 },
    ],
  },
  {
    file: 'ledger-scan-memory.svg',
    title: 'County anomaly scan (50,000 people): memory over the idle process, MiB',
    unit: 'MiB',
    // The bound for a whole city's scan. The job's memory is a township's, whatever the area.
    target: 1024,
    better: 'less',
    bars: [
      { label: 'PostgreSQL: whole county at once', value: 474, low: 468 },
      { label: 'PostgreSQL: scan job, township by township', value: 253, low: 198 },
      { label: 'PGlite: whole county at once', value: 559 },
      { label: 'PGlite: scan job, township by township', value: 187, low: 178 },
    ],
  },
  {
    file: 'ledger-list.svg',
    title: 'Ledger list, 100,000 items: median ms per request',
    unit: 'ms',
    target: 200,
    better: 'less',
    bars: [
      { label: 'PostgreSQL: a page, any filter', value: 18.4, low: 8.2 },
      { label: 'PostgreSQL: counts for the charts', value: 73.3 },
      { label: 'PGlite: a page, any filter', value: 17.3, low: 12.7 },
      { label: 'PGlite: counts for the charts', value: 175.8 },
    ],
  },
];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function svg(c: Chart): string {
  const width = 760;
  const labelWidth = 280;
  const barHeight = 26;
  const gap = 10;
  const top = 44;
  const plot = width - labelWidth - 90;
  const max = Math.max(c.target, ...c.bars.map((b) => b.value)) * 1.08;
  const x = (v: number) => labelWidth + (v / max) * plot;
  const height = top + c.bars.length * (barHeight + gap) + 30;
  const meets = (v: number) => (c.better === 'more' ? v >= c.target : v <= c.target);
  const rows = c.bars
    .map((b, i) => {
      const y = top + i * (barHeight + gap);
      const color = meets(b.value) ? '#2e7d32' : '#b3261e';
      const low = b.low === undefined ? '' : `<rect x="${labelWidth}" y="${y}" width="${(x(b.low) - labelWidth).toFixed(1)}" height="${barHeight}" fill="${color}" />`;
      const body = `<rect x="${labelWidth}" y="${y}" width="${(x(b.value) - labelWidth).toFixed(1)}" height="${barHeight}" fill="${color}" opacity="${b.low === undefined ? 1 : 0.45}" />`;
      const value = b.low === undefined ? `${b.value}` : `${b.low}–${b.value}`;
      return `${body}${low}<text x="${labelWidth - 8}" y="${y + 17}" text-anchor="end">${esc(b.label)}</text><text x="${(x(b.value) + 6).toFixed(1)}" y="${y + 17}">${value}</text>`;
    })
    .join('\n');
  const tx = x(c.target).toFixed(1);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="13" fill="#1f2933">
<rect width="100%" height="100%" fill="#ffffff" />
<text x="12" y="24" font-size="15" font-weight="bold">${esc(c.title)}</text>
${rows}
<line x1="${tx}" y1="${top - 8}" x2="${tx}" y2="${height - 22}" stroke="#1f2933" stroke-dasharray="5 4" />
<text x="${tx}" y="${height - 8}" text-anchor="middle">target ${c.better === 'more' ? '≥' : '≤'} ${c.target} ${esc(c.unit)}</text>
</svg>
`;
}

mkdirSync('docs/charts', { recursive: true });
for (const c of charts) writeFileSync(`docs/charts/${c.file}`, svg(c));
console.log(`${charts.length} charts in docs/charts/`);
