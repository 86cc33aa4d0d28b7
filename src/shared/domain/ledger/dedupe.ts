/**
 * When two findings are one problem (issue 13, item 1): the same problem code
 * about the same person, and for the codes about one subsidy item, the same
 * item. A cadre's form problem and an anomaly found in the payment data that
 * meet this are one ledger item with two sources. Person ids are keys (the
 * server's surrogate keys), never citizen IDs.
 */
import type { ProblemEntry } from '../../schemas/check-form.ts';

/** Codes whose problem is about one subsidy item of a person: short or late (A2), not direct (A4), diverted (C3). */
const PER_ITEM = new Set(['A2', 'A4', 'C3']);

export function personProblemKey(code: string, personKey: string, itemCode: string | null): string {
  return `p:${code}:${personKey}:${PER_ITEM.has(code) ? (itemCode ?? '') : ''}`;
}

/**
 * A form problem's ledger key. A proposal's key names its person and item
 * (`auto:A2:<person>:<item>`, `auto:A2:late:<person>:<item>`, `auto:A3:<person>`);
 * a problem the cadre wrote names its people. A problem about one person gets
 * the person key; anything else stays the form's own.
 */
export function formProblemKey(formId: string, p: Pick<ProblemEntry, 'key' | 'code' | 'personIds'>): { key: string; personKey: string | null; itemCode: string | null } {
  const person = p.personIds.length === 1 ? (p.personIds[0] ?? null) : null;
  if (person === null || person.startsWith('new:')) return { key: `form:${formId}:${p.key}`, personKey: null, itemCode: null };
  const parts = p.key.split(':');
  let itemCode: string | null = null;
  if (parts[0] === 'auto') {
    const rest = parts.slice(2).filter((x) => x !== 'late');
    if (rest[0] === person && rest[1] !== undefined && rest[1] !== '') itemCode = rest[1];
  }
  return { key: personProblemKey(p.code, person, itemCode), personKey: person, itemCode };
}
