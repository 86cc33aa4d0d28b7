import type { ReactNode } from 'react';
import { Link } from 'wouter';

export interface TopBarBack {
  href: string;
  label: string;
  /** A fuller name for screen readers, when the visible label is short ('首页'). */
  ariaLabel?: string;
}

/** The bar at the top of every screen: the way back, the screen's short title, and its status pills. */
export function TopBar({ title, back, children }: { title: ReactNode; back?: TopBarBack; children?: ReactNode }) {
  return (
    <header className="topbar">
      {back && (
        <Link href={back.href} className="topbar-link" {...(back.ariaLabel ? { 'aria-label': back.ariaLabel } : {})}>
          ‹ {back.label}
        </Link>
      )}
      <span className="topbar-title">{title}</span>
      {children}
    </header>
  );
}
