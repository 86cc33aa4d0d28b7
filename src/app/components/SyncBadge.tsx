import { useSyncExternalStore } from 'react';
import { Link } from 'wouter';
import { outboxCounts } from '../db/outbox-counts.ts';
import { syncBadgeText } from '../i18n/households.zh-CN.ts';
import { getSyncStatus, subscribeSyncStatus } from '../sync/sync-status.ts';
import { useDeviceQuery } from './useDeviceQuery.ts';
import { useOnline } from './useOnline.ts';

export type SyncBadgeState = { kind: 'syncing' } | { kind: 'offline'; pending: number } | { kind: 'attention'; count: number } | { kind: 'pending'; count: number } | { kind: 'synced' };

/** What the badge says, most urgent first: a running sync, no network, refused forms, forms waiting, all through. */
export function syncBadgeState(input: { running: boolean; online: boolean; pending: number; attention: number }): SyncBadgeState {
  if (input.running) return { kind: 'syncing' };
  if (!input.online) return { kind: 'offline', pending: input.pending };
  if (input.attention > 0) return { kind: 'attention', count: input.attention };
  if (input.pending > 0) return { kind: 'pending', count: input.pending };
  return { kind: 'synced' };
}

function label(s: SyncBadgeState): string {
  switch (s.kind) {
    case 'syncing':
      return syncBadgeText.syncing;
    case 'offline':
      return s.pending > 0 ? syncBadgeText.offlinePending(s.pending) : syncBadgeText.offline;
    case 'attention':
      return syncBadgeText.attention(s.count);
    case 'pending':
      return syncBadgeText.pending(s.count);
    case 'synced':
      return syncBadgeText.synced;
  }
}

/**
 * Compact sync status for a screen's top bar: 离线 / 同步中 / 待同步 N /
 * 需处理 N / 已同步. A link to the sync screen, except on that screen.
 */
export function SyncBadge({ link = true }: { link?: boolean }) {
  const online = useOnline();
  const status = useSyncExternalStore(subscribeSyncStatus, getSyncStatus);
  const counts = useDeviceQuery(outboxCounts);
  const state = syncBadgeState({ running: status.running, online, pending: counts?.pending ?? 0, attention: counts?.attention ?? 0 });
  const text = label(state);
  const tone = state.kind === 'synced' ? 'pill pill-ok' : state.kind === 'syncing' ? 'pill pill-busy' : 'pill pill-warn';
  return (
    <span role="status" className="sync-badge">
      {link ? (
        <Link href="/sync" className={`${tone} sync-badge-link`} aria-label={syncBadgeText.linkLabel(text)}>
          {text}
        </Link>
      ) : (
        <span className={tone}>{text}</span>
      )}
    </span>
  );
}
