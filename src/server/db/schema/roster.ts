/**
 * The beneficiary roster and payment ledger (domain.md §3), mirroring
 * src/shared/schemas/roster.ts.
 *
 * Area scoping: every roster row carries the 12-digit `village_code` of the
 * household it belongs to, copied down at import, so a user's area (a code
 * prefix) selects rows with one range scan on a plain btree index:
 * `village_code >= '421321' and village_code < '421322'`.
 *
 * Natural keys are primary keys or unique constraints so that a re-import is
 * an upsert (`on conflict do update`) and changes nothing the second time.
 *
 * Money is integer fen. Dates without a time (birth, death, paid on) are
 * `date`; instants are `timestamp with time zone`.
 *
 * The enum values are repeated here instead of imported from
 * #shared/schemas: drizzle-kit loads this file on its own, and the
 * `satisfies` clauses keep both lists in step at compile time.
 */
import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { AccountType } from '#shared/domain/account-number.ts';
import type { RegionLevel } from '#shared/domain/region-code.ts';
import type { AmountBasis, PeriodKind, PersonStatus, Relation, Sex, SubsidyUnit } from '#shared/schemas/roster.ts';
import { users } from './auth.ts';
import { syncXid } from './sync.ts';

const REGION_LEVELS = ['province', 'city', 'county', 'township', 'village'] as const satisfies readonly RegionLevel[];
const SUBSIDY_UNITS = ['household', 'person'] as const satisfies readonly SubsidyUnit[];
const PERIOD_KINDS = ['month', 'quarter', 'half-year', 'year', 'once'] as const satisfies readonly PeriodKind[];
const AMOUNT_BASES = ['fixed', 'per-mu', 'variable'] as const satisfies readonly AmountBasis[];
const RELATIONS = ['户主', '配偶', '子', '女', '父母', '孙子女', '兄弟姐妹', '其他'] as const satisfies readonly Relation[];
const PERSON_STATUSES = ['living', 'deceased', 'moved-out', 'not-member'] as const satisfies readonly PersonStatus[];
const SEXES = ['M', 'F'] as const satisfies readonly Sex[];
const ACCOUNT_TYPES = ['card', 'passbook', 'sscard'] as const satisfies readonly AccountType[];

export const ROSTER_IMPORT_KINDS = ['regions', 'subsidy-items', 'households', 'persons', 'accounts', 'payment-lines', 'workbook'] as const;
export type RosterImportKind = (typeof ROSTER_IMPORT_KINDS)[number];
export const ROSTER_IMPORT_STATUSES = ['running', 'succeeded', 'failed'] as const;
export type RosterImportStatus = (typeof ROSTER_IMPORT_STATUSES)[number];

/** `col in ('a', 'b')` for a check constraint; the values are our own constants, never user input. */
function oneOf(values: readonly string[]) {
  return sql.raw(`(${values.map((v) => `'${v}'`).join(', ')})`);
}

const timestamps = {
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
};

/** One row per import run: who, when, which file (by hash), and the row-level report. */
export const rosterImports = pgTable(
  'roster_imports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: ROSTER_IMPORT_KINDS }).notNull(),
    fileName: text('file_name').notNull(),
    /** SHA-256 (hex) of the uploaded file: the same file imported twice is recognisable. */
    sha256: text('sha256').notNull(),
    /** Null when run from the CLI without a user. */
    userId: uuid('user_id').references(() => users.id),
    status: text('status', { enum: ROSTER_IMPORT_STATUSES }).notNull().default('running'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    okCount: integer('ok_count').notNull().default(0),
    warningCount: integer('warning_count').notNull().default(0),
    errorCount: integer('error_count').notNull().default(0),
    /** Every bad row (sheet, row, column, value, reason); shape owned by the importer. */
    report: jsonb('report').$type<unknown>(),
  },
  (t) => [
    index('roster_imports_sha256_idx').on(t.sha256),
    index('roster_imports_started_at_idx').on(t.startedAt),
    check('roster_imports_kind_check', sql`${t.kind} in ${oneOf(ROSTER_IMPORT_KINDS)}`),
    check('roster_imports_status_check', sql`${t.status} in ${oneOf(ROSTER_IMPORT_STATUSES)}`),
    check('roster_imports_sha256_check', sql`${t.sha256} ~ '^[0-9a-f]{64}$'`),
    check('roster_imports_counts_check', sql`${t.okCount} >= 0 and ${t.warningCount} >= 0 and ${t.errorCount} >= 0`),
  ],
);

/** Which import last wrote a row. Imports are an audit record and never deleted, so a plain reference. */
const importId = () => uuid('import_id').references(() => rosterImports.id);

export const regions = pgTable(
  'regions',
  {
    /** 12-digit statistical division code. */
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    level: text('level', { enum: REGION_LEVELS }).notNull(),
    // No foreign key: an imported subset (one county) has a parent that is
    // not itself on file.
    parentCode: text('parent_code'),
  },
  (t) => [
    index('regions_parent_code_idx').on(t.parentCode),
    check('regions_code_check', sql`${t.code} ~ '^[0-9]{12}$'`),
    check('regions_level_check', sql`${t.level} in ${oneOf(REGION_LEVELS)}`),
  ],
);

export const subsidyItems = pgTable(
  'subsidy_items',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    department: text('department').notNull(),
    unit: text('unit', { enum: SUBSIDY_UNITS }).notNull(),
    /** Standard amount of one period's payment, in fen. */
    standardAmountFen: integer('standard_amount_fen').notNull(),
    period: text('period', { enum: PERIOD_KINDS }).notNull(),
    amountBasis: text('amount_basis', { enum: AMOUNT_BASES }).notNull().default('fixed'),
    meansTested: boolean('means_tested').notNull().default(false),
    description: text('description'),
    importId: importId(),
    ...timestamps,
    /** Last writing transaction, for pull (see schema/sync.ts). */
    xid: syncXid(),
  },
  (t) => [
    index('subsidy_items_xid_idx').on(t.xid, t.code),
    check('subsidy_items_unit_check', sql`${t.unit} in ${oneOf(SUBSIDY_UNITS)}`),
    check('subsidy_items_period_check', sql`${t.period} in ${oneOf(PERIOD_KINDS)}`),
    check('subsidy_items_amount_basis_check', sql`${t.amountBasis} in ${oneOf(AMOUNT_BASES)}`),
    check('subsidy_items_standard_check', sql`${t.standardAmountFen} >= 0`),
  ],
);

export const households = pgTable(
  'households',
  {
    /** Natural key: village code + 组 + house number, or the platform's household id. */
    id: text('id').primaryKey(),
    villageCode: text('village_code')
      .notNull()
      .references(() => regions.code),
    groupName: text('group_name').notNull(),
    houseNumber: text('house_number').notNull(),
    // No foreign key to persons: households and persons reference each other,
    // and either file may be imported first.
    headPersonId: text('head_person_id').notNull(),
    phone: text('phone'),
    farmlandMu: numeric('farmland_mu', { precision: 12, scale: 2, mode: 'number' }),
    importId: importId(),
    ...timestamps,
    /** Last writing transaction, for pull (see schema/sync.ts). */
    xid: syncXid(),
  },
  (t) => [
    index('households_village_xid_idx').on(t.villageCode, t.xid, t.id),
    // Pull of a township or county: rows in stream order without sorting the whole area per page.
    index('households_xid_idx').on(t.xid, t.id),
    index('households_village_code_idx').on(t.villageCode),
    index('households_head_person_id_idx').on(t.headPersonId),
    check('households_village_code_check', sql`${t.villageCode} ~ '^[0-9]{12}$'`),
  ],
);

export const persons = pgTable(
  'persons',
  {
    /** 18-character citizen ID. */
    id: text('id').primaryKey(),
    householdId: text('household_id')
      .notNull()
      .references(() => households.id),
    /** Copied from the household for area scoping. */
    villageCode: text('village_code').notNull(),
    name: text('name').notNull(),
    sex: text('sex', { enum: SEXES }).notNull(),
    birthDate: date('birth_date').notNull(),
    relation: text('relation', { enum: RELATIONS }).notNull(),
    status: text('status', { enum: PERSON_STATUSES }).notNull(),
    statusDate: date('status_date'),
    phone: text('phone'),
    isCadreRelative: boolean('is_cadre_relative').notNull().default(false),
    importId: importId(),
    ...timestamps,
    /** Last writing transaction, for pull (see schema/sync.ts). */
    xid: syncXid(),
  },
  (t) => [
    index('persons_village_xid_idx').on(t.villageCode, t.xid, t.id),
    index('persons_xid_idx').on(t.xid, t.id),
    index('persons_village_code_idx').on(t.villageCode),
    index('persons_household_id_idx').on(t.householdId),
    check('persons_id_check', sql`${t.id} ~ '^[0-9]{17}[0-9X]$'`),
    check('persons_village_code_check', sql`${t.villageCode} ~ '^[0-9]{12}$'`),
    check('persons_sex_check', sql`${t.sex} in ${oneOf(SEXES)}`),
    check('persons_relation_check', sql`${t.relation} in ${oneOf(RELATIONS)}`),
    check('persons_status_check', sql`${t.status} in ${oneOf(PERSON_STATUSES)}`),
  ],
);

export const accounts = pgTable(
  'accounts',
  {
    number: text('number').notNull(),
    bankName: text('bank_name').notNull(),
    type: text('type', { enum: ACCOUNT_TYPES }).notNull(),
    holderPersonId: text('holder_person_id')
      .notNull()
      .references(() => persons.id),
    /** The holder's household's village. */
    villageCode: text('village_code').notNull(),
    openedOn: date('opened_on'),
    importId: importId(),
    ...timestamps,
    /** Last writing transaction, for pull (see schema/sync.ts). */
    xid: syncXid(),
  },
  (t) => [
    index('accounts_village_xid_idx').on(t.villageCode, t.xid, t.number, t.bankName),
    // Number first, so the key's index also serves lookups by number alone.
    primaryKey({ name: 'accounts_pkey', columns: [t.number, t.bankName] }),
    index('accounts_holder_person_id_idx').on(t.holderPersonId),
    index('accounts_village_code_idx').on(t.villageCode),
    check('accounts_number_check', sql`${t.number} ~ '^[0-9]{8,30}$'`),
    check('accounts_type_check', sql`${t.type} in ${oneOf(ACCOUNT_TYPES)}`),
    check('accounts_village_code_check', sql`${t.villageCode} ~ '^[0-9]{12}$'`),
  ],
);

/**
 * Payment lines come from the one-card platform or the banks and are the
 * evidence the checks work on. They deliberately have no foreign keys to
 * persons, accounts or items: a line paying an ID or account that is not on
 * the roster is itself a finding (C2/C3), so it must be storable; the
 * importer reports it instead of the database refusing it.
 */
export const paymentLines = pgTable(
  'payment_lines',
  {
    /** `${itemCode}:${beneficiaryPersonId}:${period}:${seq}`, or the platform's line id. */
    id: text('id').primaryKey(),
    itemCode: text('item_code').notNull(),
    beneficiaryPersonId: text('beneficiary_person_id').notNull(),
    householdId: text('household_id').notNull(),
    /** The beneficiary's household's village. */
    villageCode: text('village_code').notNull(),
    /** '2020-03', '2020-Q1', '2020-H1' or '2020'. */
    period: text('period').notNull(),
    amountFen: integer('amount_fen').notNull(),
    paidOn: date('paid_on').notNull(),
    accountNumber: text('account_number').notNull(),
    bankName: text('bank_name').notNull(),
    importId: importId(),
    ...timestamps,
    /** Last writing transaction, for pull (see schema/sync.ts). */
    xid: syncXid(),
  },
  (t) => [
    index('payment_lines_village_xid_idx').on(t.villageCode, t.xid, t.id),
    // Pull's stream order: by transaction, then household by household (a household's
    // ledger arrives together, and the device keeps lines per household). A village's
    // pull sorts its few thousand lines; a county's would sort ~300,000 per page
    // (0.5–1.4 s on PGlite), so wide areas walk this index in stream order instead.
    index('payment_lines_xid_idx').on(t.xid, t.householdId, t.id),
    index('payment_lines_beneficiary_person_id_idx').on(t.beneficiaryPersonId),
    index('payment_lines_account_number_idx').on(t.accountNumber),
    index('payment_lines_village_code_idx').on(t.villageCode),
    index('payment_lines_household_id_idx').on(t.householdId),
    check('payment_lines_amount_check', sql`${t.amountFen} > 0`),
    check('payment_lines_village_code_check', sql`${t.villageCode} ~ '^[0-9]{12}$'`),
    check('payment_lines_period_check', sql`${t.period} ~ '^[0-9]{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-H[12])?$'`),
  ],
);
