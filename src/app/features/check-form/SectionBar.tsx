/** The bottom bar: 上一步, the 目录 with each section's progress, 下一步 (or submit on the last section). */
import { SECTION_IDS } from '#shared/domain/check-form-rules.ts';
import type { FormIssues } from '#shared/domain/check-form-rules.ts';
import { checkFormText as c } from '../../i18n/check-form.zh-CN.ts';
import type { SectionNav } from './useSectionNav.ts';

export function SectionBar({ nav, progress, showMissing, submitLabel, submitting, onSubmit }: { nav: SectionNav; progress: FormIssues['progress']; showMissing: boolean; submitLabel: string; submitting: boolean; onSubmit: () => void }) {
  const { sections, current, go, menuOpen, toggleMenu } = nav;
  const index = sections.indexOf(current);
  const prev = sections[index - 1];
  const next = sections[index + 1];
  const applicable = SECTION_IDS.filter((s) => progress[s].applicable);
  const required = applicable.reduce((n, s) => n + progress[s].required, 0);
  const answered = applicable.reduce((n, s) => n + progress[s].answered, 0);
  const pct = required === 0 ? 100 : Math.round((answered / required) * 100);
  return (
    <nav className="form-bar" aria-label={c.nav.label}>
      {menuOpen && (
        <ul className="form-menu" id="form-menu">
          {sections.map((s, i) => {
            const p = progress[s];
            const status = showMissing && p.errors > 0 ? c.nav.errors(p.errors) : p.required === 0 ? c.nav.optional : p.answered === p.required ? c.nav.done : c.nav.progress(p.answered, p.required);
            return (
              <li key={s}>
                <button type="button" className={s === current ? 'menu-item menu-item-on' : 'menu-item'} aria-current={s === current ? 'step' : undefined} onClick={() => go(s)}>
                  <span>{`${i + 1}. ${c.sections[s]}`}</span>
                  <span className={showMissing && p.errors > 0 ? 'menu-status menu-status-bad' : 'menu-status'}>{status}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <div className="form-bar-row">
        <button type="button" className="btn bar-btn" disabled={!prev} onClick={() => prev && go(prev)}>
          ‹ {c.nav.prev}
        </button>
        <button type="button" className="bar-mid" aria-expanded={menuOpen} aria-controls={menuOpen ? 'form-menu' : undefined} onClick={toggleMenu}>
          <span className="bar-step">
            {c.nav.menu} {c.nav.step(index + 1, sections.length)} {c.sections[current]} ▾
          </span>
          <span className="bar-progress" aria-hidden="true">
            <span style={{ width: `${pct}%` }} />
          </span>
          <span className="visually-hidden">{c.nav.progress(answered, required)}</span>
        </button>
        {next ? (
          <button type="button" className="btn bar-btn" onClick={() => go(next)}>
            {c.nav.next} ›
          </button>
        ) : (
          <button type="button" className="btn btn-primary bar-btn" onClick={onSubmit} disabled={submitting}>
            {submitLabel}
          </button>
        )}
      </div>
    </nav>
  );
}
