import { Link } from 'wouter';
import type { HouseholdCheckState, HouseholdSummary } from '../../db/roster-store.ts';
import { householdsText as h } from '../../i18n/households.zh-CN.ts';

export function formHref(householdId: string): string {
  return `/households/${encodeURIComponent(householdId)}/form`;
}

export function StateBadge({ state }: { state: HouseholdCheckState }) {
  return <span className={`badge badge-${state}`}>{h.state[state]}</span>;
}

/**
 * One household: house number, head, members, state; the ID shown is always
 * masked (domain.md §8), and it is the matched member's when a search found
 * the household through someone else.
 */
export function HouseholdRow({
  household,
  state,
  villageLabel,
  note,
  shownIdMasked,
  showGroup = false,
}: {
  household: HouseholdSummary;
  state: HouseholdCheckState;
  /** Set when the list spans several villages (search results). */
  villageLabel?: string | undefined;
  /** Why a search found it, when not through the head. */
  note?: string | undefined;
  /** The masked ID of the member a search found by ID, when not the head. */
  shownIdMasked?: string | undefined;
  /** Search results are not under a 组 heading: say which 组. */
  showGroup?: boolean;
}) {
  return (
    <li>
      <Link href={formHref(household.id)} className="hh-row" data-household-id={household.id}>
        <span className="hh-house">{h.houseNumber(household.houseNumber)}</span>
        <span className="hh-main">
          <span className="hh-line">
            <span className="hh-head">{h.head(household.headName)}</span>
            <span className="hh-sub">{h.members(household.memberCount)}</span>
          </span>
          {showGroup && (
            <span className="hh-sub">
              {villageLabel !== undefined && <>{villageLabel} · </>}
              {household.groupName}
            </span>
          )}
          <span className="hh-sub hh-id">
            <span className="visually-hidden">{h.idLabel} </span>
            {shownIdMasked ?? household.headIdMasked ?? ''}
          </span>
          {note !== undefined && <span className="hh-sub hh-note">{note}</span>}
        </span>
        <StateBadge state={state} />
      </Link>
    </li>
  );
}
