import { describe, expect, it } from 'vitest';
import { paymentLineId } from '#shared/schemas/roster.ts';
import { COLUMN_ENTITIES, decodeColumns, encodeColumns, naturalLineId, ColumnFormatError } from '#shared/schemas/sync-columns.ts';
import type { SyncAccount, SyncHousehold, SyncPaymentLine, SyncPerson } from '#shared/schemas/sync.ts';
import { generateDemoCounty } from '#server/cli/demo/generate.ts';
import { maskAccount, maskCitizenId } from '#shared/domain/mask.ts';

const county = generateDemoCounty({ seed: 11, people: 600, anomalies: true });
const villageOf = new Map([...county.households()].map((h) => [h.id, h.villageCode]));
const rows = {
  household: [...county.households()] satisfies SyncHousehold[],
  person: [...county.persons()].map((p) => ({ ...p, idMasked: maskCitizenId(p.id), villageCode: villageOf.get(p.householdId) ?? '', pinyinInitials: 'x' })) satisfies SyncPerson[],
  account: [...county.accounts()].map(({ number, ...a }) => ({ ...a, id: `a:${number}|${a.bankName}`, numberMasked: maskAccount(number), villageCode: '421321101200' })) satisfies SyncAccount[],
  paymentLine: [...county.paymentLines()].map(({ accountNumber, ...l }) => ({
    ...l,
    accountId: `a:${accountNumber}|${l.bankName}`,
    accountMasked: maskAccount(accountNumber),
    villageCode: villageOf.get(l.householdId) ?? '',
  })) satisfies SyncPaymentLine[],
};

describe('the column page format', () => {
  it.each(COLUMN_ENTITIES)('decodes %s rows to exactly what was encoded, through JSON', (entity) => {
    const block = JSON.parse(JSON.stringify(encodeColumns(entity, rows[entity]))) as ReturnType<typeof encodeColumns>;
    expect(decodeColumns(entity, block)).toEqual(rows[entity]);
  });

  it('leaves optional fields absent, as the row format does', () => {
    const h = { id: 'x', villageCode: '421321101200', groupName: '一组', houseNumber: '1', headPersonId: '11010519491231002X' } satisfies SyncHousehold;
    const [back] = decodeColumns('household', encodeColumns('household', [h]));
    expect(back).toEqual(h);
    expect(back && 'phone' in back).toBe(false);
  });

  it('sends a natural payment line id as its sequence number, any other id whole', () => {
    const line = rows.paymentLine[0]!;
    const platform = { ...line, id: 'BANK-2020-000123' };
    const odd = { ...line, id: `${line.itemCode}:${line.beneficiaryPersonId}:${line.period}:01` };
    const block = encodeColumns('paymentLine', [line, platform, odd]);
    expect(block.c.id).toEqual([1, 'BANK-2020-000123', odd.id]);
    expect(decodeColumns('paymentLine', block).map((l) => l.id)).toEqual([line.id, platform.id, odd.id]);
  });

  it("restates roster.ts's natural line id", () => {
    expect(naturalLineId('MZ01', '11010519491231002X', '2020-03', 2)).toBe(paymentLineId({ itemCode: 'MZ01', beneficiaryPersonId: '11010519491231002X', period: '2020-03', seq: 2 }));
  });

  it('refuses a block whose columns do not match its row count', () => {
    const block = encodeColumns('household', rows.household.slice(0, 3));
    block.c.id = block.c.id!.slice(0, 2);
    expect(() => decodeColumns('household', block)).toThrow(ColumnFormatError);
  });
});
