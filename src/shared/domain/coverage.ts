/**
 * Coverage of a cadre's village (户不漏人、人不漏项, domain.md §1): how many
 * households have a submitted check form, how many roster people that form
 * accounts for, and how many of the ledger's subsidy items of each person it
 * asked about.
 *
 * - A household counts as checked when its cadre form is submitted (on the
 *   device ready to send, synced, or accepted). A household that could not
 *   be found or refused is checked — it was visited and recorded — but its
 *   people and items stay uncovered, which is exactly the gap to show.
 * - A roster person counts as covered when a submitted form of their
 *   household has a member entry for them with both "present" and "status"
 *   answered.
 * - A subsidy item of a person (one ledger pair person × item, however many
 *   payment lines it has) counts as covered when that form has an item entry
 *   for the pair with "received" answered.
 *
 * Members added on the spot and items the ledger does not know add nothing
 * to either total: coverage is measured against the roster and the ledger.
 */

export interface CoverageForm {
  householdId: string;
  members: readonly { personId: string; present: boolean | null; status: string | null }[];
  items: readonly { personId: string; itemCode: string; received: string | null }[];
}

export interface CoverageInput {
  households: readonly { id: string }[];
  persons: readonly { id: string; householdId: string }[];
  /** Ledger pairs; duplicates (one per payment line) are fine. */
  itemLines: readonly { householdId: string; personId: string; itemCode: string }[];
  /** The cadre forms that are submitted (see above); at most one per household is expected. */
  submittedForms: readonly CoverageForm[];
}

export interface CoverageCount {
  covered: number;
  total: number;
}

export interface Coverage {
  households: CoverageCount;
  persons: CoverageCount;
  items: CoverageCount;
  /** Checked households that still have a roster person or a ledger item not covered, with how many of each. */
  gaps: { householdId: string; persons: number; items: number }[];
}

const pairKey = (personId: string, itemCode: string) => `${personId}\u0000${itemCode}`;

export function computeCoverage(input: CoverageInput): Coverage {
  const inScope = new Set(input.households.map((h) => h.id));
  const forms = new Map<string, CoverageForm[]>();
  for (const f of input.submittedForms) {
    if (!inScope.has(f.householdId)) continue;
    const list = forms.get(f.householdId);
    if (list) list.push(f);
    else forms.set(f.householdId, [f]);
  }

  // What the submitted forms answered, per household.
  const answeredPersons = new Set<string>();
  const answeredItems = new Set<string>();
  for (const [householdId, list] of forms) {
    for (const f of list) {
      for (const m of f.members) if (m.present !== null && m.status !== null) answeredPersons.add(`${householdId}\u0000${m.personId}`);
      for (const it of f.items) if (it.received !== null) answeredItems.add(`${householdId}\u0000${pairKey(it.personId, it.itemCode)}`);
    }
  }

  const gapPersons = new Map<string, number>();
  const gapItems = new Map<string, number>();
  let personsCovered = 0;
  let personsTotal = 0;
  for (const p of input.persons) {
    if (!inScope.has(p.householdId)) continue;
    personsTotal++;
    if (answeredPersons.has(`${p.householdId}\u0000${p.id}`)) personsCovered++;
    else if (forms.has(p.householdId)) gapPersons.set(p.householdId, (gapPersons.get(p.householdId) ?? 0) + 1);
  }

  const seenPairs = new Set<string>();
  let itemsCovered = 0;
  for (const l of input.itemLines) {
    if (!inScope.has(l.householdId)) continue;
    const key = `${l.householdId}\u0000${pairKey(l.personId, l.itemCode)}`;
    if (seenPairs.has(key)) continue;
    seenPairs.add(key);
    if (answeredItems.has(key)) itemsCovered++;
    else if (forms.has(l.householdId)) gapItems.set(l.householdId, (gapItems.get(l.householdId) ?? 0) + 1);
  }

  const gaps: Coverage['gaps'] = [];
  for (const h of input.households) {
    const persons = gapPersons.get(h.id) ?? 0;
    const items = gapItems.get(h.id) ?? 0;
    if (persons > 0 || items > 0) gaps.push({ householdId: h.id, persons, items });
  }

  return {
    households: { covered: input.households.filter((h) => forms.has(h.id)).length, total: input.households.length },
    persons: { covered: personsCovered, total: personsTotal },
    items: { covered: itemsCovered, total: seenPairs.size },
    gaps,
  };
}

/** A share in whole per cent for a progress bar; an empty total is complete (nothing to cover). */
export function coveragePercent(c: CoverageCount): number {
  if (c.total === 0) return 100;
  return Math.floor((c.covered / c.total) * 100);
}
