/**
 * Rules of the household check form (一户一表, domain.md §4), pure and shared:
 * the phone runs them while the cadre fills the form, and anything the
 * server or a report needs later can run the same code.
 *
 * - prefillForm: the form as it opens, from the roster and the ledger on the
 *   device. Every member, every (member, item) that has payment lines
 *   (人不漏项; household items under the head, whose card they go to), every
 *   account of a member or paid into for the household. Answers start as
 *   null ("not asked yet"); only roster facts are filled in.
 * - proposeProblems: problem codes (domain.md §5) that the answers imply when
 *   they contradict the ledger, each with the amount involved and a Chinese
 *   description. The cadre accepts them one by one; nothing is added behind
 *   their back, and a problem they already have is never proposed again.
 * - formIssues: what is missing or inconsistent, per section, split into
 *   errors (block submit) and warnings (shown, never blocking), plus the
 *   progress the section bar shows.
 *
 * A household that could not be found or refused needs only the reason and
 * the evidence of the attempt (who, when, where).
 *
 * One module per part: check-form-sections (sections, check period),
 * check-form-prefill, check-form-proposals, check-form-issues. This module
 * is their one entry point.
 */
export * from './check-form-sections.ts';
export * from './check-form-prefill.ts';
export * from './check-form-proposals.ts';
export * from './check-form-issues.ts';
