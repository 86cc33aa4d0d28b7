import { describe, expect, it } from 'vitest';
import * as core from 'zod/v4/core';
import * as z from 'zod/mini';
import { CheckFormBodySchema, type CheckFormBody } from '#shared/schemas/check-form.ts';
import { FormPutMutationSchema } from '#shared/schemas/sync.ts';
import { configureZodMessages } from '#shared/schemas/zod-locale.ts';
import { CompiledCheckFormBodySchema, CompiledFormPutMutationSchema } from '#server/sync/compiled-schemas.ts';
import { checkFormBody } from '#test/fixtures/check-form.ts';

function fullBody(): CheckFormBody {
  const b = checkFormBody({ id: 'H001', villageCode: '430102001001', headPersonId: '430102199001011237' });
  b.members.push({ personId: 'new:1f0c8a52-6d1e-4c71-9a51-0e6f1c6a2b10', name: '  李四 ', idNumber: '430102200001011234', isNew: true, present: null, identityChecked: null, status: 'moved-out', statusDate: '2024-02-29', relation: '子', note: '' });
  b.items = [{ personId: '430102199001011237', itemCode: 'DB01', ledgerAmountFen: 12000, ledgerLineCount: 3, knows: true, received: 'partly', amountReceivedFen: 8000, onTime: false, intoOwnCard: true, distribution: 'direct', note: '少发' }];
  b.accounts = [
    { accountNumber: '6222000011112222', bankName: '农商行', holderPersonId: '430102199001011237', accountType: 'card', isNew: false, heldBy: 'cadre', cardCount: 2, bankConfirmed: '', feesDeducted: true, feeAmountFen: 200, smsReceived: null },
  ];
  b.evidence.gps = { lat: 28.2, lon: 112.9, accuracyM: 12, at: '2026-11-20T09:31:00+08:00' };
  b.evidence.signatureBlob = 'a'.repeat(64);
  b.evidence.photoBlobs = ['b'.repeat(64)];
  b.problems = [{ key: 'p1', code: 'A2', amountFen: 4000, description: ' 少发 4000 分 ', personIds: ['430102199001011237'], source: 'proposed' }];
  return b;
}

/** Every path to a leaf (or a container) of a JSON value. */
function paths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...prefix, i])));
  else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...prefix, k]));
  return out;
}

function withValue(v: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(v) as Record<string | number, unknown>;
  if (path.length === 0) return value;
  let cur = copy;
  for (const key of path.slice(0, -1)) cur = cur[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (value === DELETE) Reflect.deleteProperty(cur, last);
  else cur[last] = value;
  return copy;
}

const DELETE = Symbol('delete');
const REPLACEMENTS: unknown[] = [DELETE, null, '', ' ', 'x', '2024-02-30', 'a'.repeat(64), 0, -1, 1.5, 2 ** 40, true, [], {}, ['x'], { extra: 1 }];

/** The same answer: success, output value, and every issue (code, path, message). */
function expectSameAnswer(interpreted: core.$ZodType, compiled: core.$ZodType, input: unknown) {
  const a = z.safeParse(interpreted, input);
  const b = z.safeParse(compiled, input);
  expect(b.success).toBe(a.success);
  if (a.success && b.success) expect(b.data).toStrictEqual(a.data);
  else expect(b.error?.issues.map(({ code, path, message }) => ({ code, path, message }))).toStrictEqual(a.error?.issues.map(({ code, path, message }) => ({ code, path, message })));
  return a.success;
}

// As the server runs: messages in Chinese, from the shared error maps.
configureZodMessages();

describe('compiled push schemas', () => {
  it('accept a full form and return what the shared schema returns (trimmed strings, unknown keys dropped)', () => {
    const body = { ...fullBody(), unknownKey: 1 };
    expect(expectSameAnswer(CheckFormBodySchema, CompiledCheckFormBodySchema, body)).toBe(true);
    const parsed = z.safeParse(CompiledCheckFormBodySchema, body);
    expect(parsed.data?.members[1]?.name).toBe('李四');
    expect(parsed.data).not.toHaveProperty('unknownKey');
  });

  it('answer like the shared schema for every field removed or replaced by a wrong value', () => {
    const body = fullBody();
    let cases = 0;
    let refused = 0;
    for (const path of paths(body)) {
      for (const value of REPLACEMENTS) {
        const ok = expectSameAnswer(CheckFormBodySchema, CompiledCheckFormBodySchema, withValue(body, path, value));
        cases++;
        if (!ok) refused++;
      }
    }
    // Most replacements break the form; some (an empty note, null where allowed) do not.
    expect(cases).toBeGreaterThan(1000);
    expect(refused).toBeGreaterThan(cases / 2);
    expect(refused).toBeLessThan(cases);
  });

  it('answer like the shared schema for mutation envelopes, valid and broken', () => {
    const envelope = {
      id: '6b1f0f7e-2f4a-4b8e-9a51-0e6f1c6a2b10',
      counter: 7,
      kind: 'form.put',
      formId: '0c9e5b4e-6a57-4b3c-8f0e-1d2c3b4a5f60',
      baseRev: 0,
      body: fullBody(),
      blobs: ['a'.repeat(64)],
      clientTime: '2026-11-20T09:31:00+08:00',
    };
    expect(expectSameAnswer(FormPutMutationSchema, CompiledFormPutMutationSchema, envelope)).toBe(true);
    for (const key of Object.keys(envelope)) {
      for (const value of REPLACEMENTS) expectSameAnswer(FormPutMutationSchema, CompiledFormPutMutationSchema, withValue(envelope, [key], value));
    }
    for (const input of [null, 'text', 42, [], [envelope]]) expectSameAnswer(FormPutMutationSchema, CompiledFormPutMutationSchema, input);
  });
});
