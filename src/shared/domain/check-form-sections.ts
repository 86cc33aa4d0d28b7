/** The sections of the check form and its check period (一户一表, domain.md §4); see check-form-rules.ts. */
import type { CheckFormBody } from '../schemas/check-form.ts';
import { monthIndex, monthLabel, periodMonths, type PaymentLine } from '../schemas/roster.ts';

/** The form's sections in the order of domain.md §4; also the values of LocalForm.resumeAt. */
export const SECTION_IDS = ['household', 'members', 'items', 'accounts', 'publicity', 'evidence', 'problems'] as const;
export type SectionId = (typeof SECTION_IDS)[number];

export function isSectionId(value: unknown): value is SectionId {
  return typeof value === 'string' && (SECTION_IDS as readonly string[]).includes(value);
}

/** The sections a household that could not be found or refused still fills. */
export const NOT_VISITED_SECTIONS: readonly SectionId[] = ['household', 'evidence'];

export function sectionsFor(body: Pick<CheckFormBody, 'outcome'>): readonly SectionId[] {
  return body.outcome === 'checked' ? SECTION_IDS : NOT_VISITED_SECTIONS;
}

/** Months 'YYYY-MM', inclusive. */
export interface CheckPeriod {
  from: string;
  to: string;
}

/** The look-back campaign checks the payments of 2020 and 2021 (domain.md §1). */
export const DEFAULT_CHECK_PERIOD: CheckPeriod = { from: '2020-01', to: '2021-12' };

function monthOf(yyyyMm: string): number {
  const [y = '0', m = '1'] = yyyyMm.split('-');
  return monthIndex(Number(y), Number(m));
}

/** Whether a payment line's period overlaps the check period (a malformed label falls back to the day it was paid). */
export function lineInPeriod(line: Pick<PaymentLine, 'period' | 'paidOn'>, period: CheckPeriod): boolean {
  const from = monthOf(period.from);
  const to = monthOf(period.to);
  const months = periodMonths(line.period);
  if (months) return months.first <= to && months.last >= from;
  const paid = monthOf(line.paidOn.slice(0, 7));
  return paid >= from && paid <= to;
}

/** The first day a line pays for, 'YYYY-MM-DD'. */
export function lineStartDate(line: Pick<PaymentLine, 'period' | 'paidOn'>): string {
  const months = periodMonths(line.period);
  return months ? `${monthLabel(months.first)}-01` : line.paidOn;
}
