/** Field paths of the form ('members.2.present') and the sections they belong to. */
import type { FieldErrors } from 'react-hook-form';
import { isSectionId, SECTION_IDS, type SectionId } from '#shared/domain/check-form-rules.ts';

/** The section a field path belongs to ('members.2.present' → members). */
export function sectionOfPath(path: string): SectionId {
  const head = path.split('.')[0] ?? '';
  if (isSectionId(head)) return head;
  return 'household';
}

/** Leaf paths of react-hook-form's error tree, in document order. */
export function errorPaths(errors: FieldErrors, prefix = ''): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(errors)) {
    if (!v || typeof v !== 'object') continue;
    const path = prefix === '' ? k : `${prefix}.${k}`;
    if ('message' in v && typeof v.message === 'string') out.push(path);
    else out.push(...errorPaths(v as FieldErrors, path));
  }
  return out;
}

/** Orders paths by the section they are in, as the cadre meets them. */
export const bySectionOrder = (a: string, b: string) => SECTION_IDS.indexOf(sectionOfPath(a)) - SECTION_IDS.indexOf(sectionOfPath(b));
