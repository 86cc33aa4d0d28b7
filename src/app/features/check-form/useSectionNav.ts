/**
 * Which section of the form is on screen: resumed where the cadre left it,
 * remembered on every move (saveResumeAt), and, when a move is to a field
 * (a missing answer, a field the server named), that field focused.
 */
import { useCallback, useEffect, useState } from 'react';
import { isSectionId, sectionsFor, type SectionId } from '#shared/domain/check-form-rules.ts';
import type { CheckFormBody } from '#shared/schemas/check-form.ts';
import { saveResumeAt } from '../../db/check-form-store.ts';
import type { LocalForm } from '../../db/device-db.ts';
import { fieldId } from './form-ui.tsx';

export interface SectionNav {
  /** The sections this household's form has, in order. */
  sections: readonly SectionId[];
  current: SectionId;
  go: (next: SectionId, focus?: string | null) => void;
  /** The 目录 (list of sections) of the bottom bar; any move closes it. */
  menuOpen: boolean;
  toggleMenu: () => void;
}

export function useSectionNav(form: LocalForm, body: CheckFormBody): SectionNav {
  const [section, setSection] = useState<SectionId>(() => {
    const resumeAt = form.resumeAt;
    return isSectionId(resumeAt) && sectionsFor(form.body).includes(resumeAt) ? resumeAt : 'household';
  });
  // A new object each time: "提交" twice on the same missing answer focuses it again.
  const [focusTarget, setFocusTarget] = useState<{ path: string } | null>(null);
  const [menuOpen, setMenuOpen] = useState(false);
  const sections = sectionsFor(body);
  const current: SectionId = sections.includes(section) ? section : 'household';

  const go = useCallback(
    (next: SectionId, focus: string | null = null) => {
      setSection(next);
      setMenuOpen(false);
      setFocusTarget(focus === null ? null : { path: focus });
      void saveResumeAt(form.id, next).catch(() => undefined);
      if (focus === null) window.scrollTo({ top: 0 });
    },
    [form.id],
  );

  // After moving to a field's section, focus it (or its nearest ancestor on screen).
  useEffect(() => {
    if (focusTarget === null) return;
    let path = focusTarget.path;
    let el = document.getElementById(fieldId(path));
    while (!el && path.includes('.')) {
      path = path.slice(0, path.lastIndexOf('.'));
      el = document.getElementById(fieldId(path));
    }
    el ??= document.getElementById('section-title');
    el?.focus({ preventScroll: true });
    el?.scrollIntoView({ block: 'center' });
  }, [focusTarget, current]);

  const toggleMenu = useCallback(() => setMenuOpen((o) => !o), []);
  return { sections, current, go, menuOpen, toggleMenu };
}
