/** Coverage at every level, with drill-down and gaps (issue 15, item 1). */
import { REGION_PREFIX_LENGTH, regionLevel } from '#shared/domain/region-code.ts';
import { requestedArea } from '#server/auth/area-scope.ts';
import type { CoverageNode, CoverageReport } from '#shared/schemas/coverage.ts';
import { coverageByGroup, villageHouseholds, villagesAtZero, type CoverageCounts } from '#server/db/coverage-repository.ts';
import type { Db } from '#server/db/client.ts';
import { regionNames } from '#server/db/regions-repository.ts';
import { apiText } from '#server/messages/api.zh-CN.ts';
import { HttpError } from '#server/plugins/errors.ts';

const t = apiText.coverage;
const PREFIX_LENGTHS = Object.values(REGION_PREFIX_LENGTH);
const GAP_LIST = 200;

const zero = (code: string): CoverageCounts => ({ code, villages: 0, villagesStarted: 0, households: 0, visited: 0, notFound: 0, refused: 0, persons: 0, personsCovered: 0, items: 0, itemsCovered: 0 });

/** The coverage of `code` (12 digits) for a user whose area is `userPrefix`. */
export async function coverageReport(db: Db, userPrefix: string, code: string): Promise<CoverageReport> {
  const level = regionLevel(code);
  if (level === null) throw new HttpError(400, 'bad_area', t.badArea, [{ path: 'query.area', message: t.badArea }]);
  const prefix = requestedArea(userPrefix, code);
  const childDigits = PREFIX_LENGTHS.find((n) => n > prefix.length) ?? null;
  const pathCodes = PREFIX_LENGTHS.filter((n) => n >= userPrefix.length && n <= prefix.length).map((n) => code.slice(0, n).padEnd(12, '0'));
  const [own] = await coverageByGroup(db, prefix, prefix.length);
  const children = childDigits === null ? [] : await coverageByGroup(db, prefix, childDigits);
  const named = await regionNames(db, [...pathCodes, ...children.map((c) => c.code)]);
  const name = named.get(code);
  if (name === undefined) throw new HttpError(404, 'unknown_area', t.unknownArea, [{ path: 'query.area', message: t.unknownArea }]);
  const node = (c: CoverageCounts): CoverageNode => {
    const l = regionLevel(c.code);
    return { ...c, name: named.get(c.code) ?? c.code, level: l ?? 'village' };
  };
  const gaps = await villagesAtZero(db, prefix, GAP_LIST);
  return {
    area: node({ ...(own ?? zero(code)), code }),
    path: pathCodes.map((c) => ({ code: c, name: named.get(c) ?? c })),
    children: children.map(node),
    households: level === 'village' ? await villageHouseholds(db, code) : [],
    villagesAtZero: gaps.rows,
    villagesAtZeroTotal: gaps.total,
  };
}

