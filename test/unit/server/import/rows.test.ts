import { describe, expect, it } from 'vitest';
import { luhnCheckDigit } from '#shared/domain/account-number.ts';
import { PaymentLineSchema } from '#shared/schemas/roster.ts';
import type { RawCell } from '#server/import/cells.ts';
import { KIND_SPECS } from '#server/import/columns.ts';
import { matchHeader } from '#server/import/headers.ts';
import { RowCursor } from '#server/import/row-cursor.ts';
import { parsePaymentLine } from '#server/import/rows.ts';

const header = (() => {
  const m = matchHeader([{ row: 1, cells: KIND_SPECS['payment-lines'].columns.map((c) => c.zh) }]);
  if (!m.ok) throw new Error(m.reason);
  return m.header;
})();

function line(values: Partial<Record<string, RawCell>>) {
  const cells = KIND_SPECS['payment-lines'].columns.map((c) => values[c.field] ?? null);
  const c = new RowCursor('l.csv', null, header, 2, cells);
  return { value: parsePaymentLine(c), cursor: c };
}

const card = (() => {
  const partial = '621059000000000001';
  return partial + luhnCheckDigit(partial);
})();

const BASE: Record<string, RawCell> = {
  itemCode: 'DB',
  beneficiaryPersonId: '421321196805120013',
  period: '2021-03',
  amount: '580',
  paidOn: '2021-03-15',
  accountNumber: card,
  bankName: '湖北随县农村商业银行',
};

describe('parsePaymentLine', () => {
  // The line parser runs without a schema guard (it is the hot path of a
  // county import); this holds every line it accepts to PaymentLineSchema.
  const variants: [string, Partial<Record<string, RawCell>>][] = [
    ['plain', {}],
    ['full-width and spaced cells', { beneficiaryPersonId: ' ４２１３２１１９６８０５１２００１３ ', amount: '５８０.５', bankName: '  湖北随县农村商业银行 ' }],
    ['an Excel date cell and serial', { paidOn: 44270, period: new Date(Date.UTC(2021, 2, 1)) }],
    ['numeric amount cell', { amount: 580.25 }],
    ['a quarter, a half-year and a year', { period: '2021年第一季度' }],
    ['a half-year', { period: '2021年下半年' }],
    ['a year', { period: 2021 }],
    ['a platform line id', { lineId: ' YKT-2021-000123 ' }],
    ['a supplementary payment', { seq: '2' }],
    ['an account with separators', { accountNumber: `${card.slice(0, 4)} ${card.slice(4, 8)}-${card.slice(8)}` }],
    ['household and village given', { householdId: '421321101200-01-001', villageCode: '421321101200' }],
  ];

  it.each(variants)('accepts %s as a line that satisfies PaymentLineSchema', (_name, overrides) => {
    const { value, cursor } = line({ ...BASE, ...overrides });
    expect(cursor.problems).toEqual([]);
    expect(value).not.toBeNull();
    const { householdId: _h, villageCode: _v, ...fields } = value!;
    const parsed = PaymentLineSchema.safeParse({ ...fields, householdId: '421321101200-01-001' });
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  });

  it('builds the natural key from item, person, period and sequence', () => {
    expect(line(BASE).value?.id).toBe('DB:421321196805120013:2021-03:1');
    expect(line({ ...BASE, seq: 3 }).value?.id).toBe('DB:421321196805120013:2021-03:3');
  });

  it.each([
    ['a missing item code', { itemCode: null }, '项目编码'],
    ['an item code with a colon', { itemCode: 'D:B' }, '项目编码'],
    ['an empty period', { period: '' }, '发放期间'],
    ['a zero amount', { amount: '0' }, '发放金额(元)'],
    ['a short account number', { accountNumber: '1234' }, '账号'],
    ['a missing bank', { bankName: ' ' }, '开户银行'],
    ['a sequence of 0', { seq: '0' }, '序次'],
    ['a township code as village', { villageCode: '421321101000' }, '村(社区)代码'],
  ])('refuses %s, naming the column', (_name, overrides, column) => {
    const { value, cursor } = line({ ...BASE, ...overrides });
    expect(value).toBeNull();
    expect(cursor.problems.map((p) => p.column)).toContain(column);
  });
});
