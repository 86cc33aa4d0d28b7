/**
 * Installing the app to the home screen (issue 11): iOS deletes a website's
 * storage after 7 days without use unless it is on the home screen, and an
 * installed app is also likelier to be granted persistent storage. Chrome on
 * Android fires `beforeinstallprompt`, which is kept here from the first
 * moment (it can fire before any screen is up) until the cadre taps 安装;
 * Safari on iPhone has no prompt, so the home screen shows how to do it.
 */

/** Chrome's event (not in the DOM typings). */
interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

export type InstallOffer = { kind: 'prompt' } | { kind: 'ios-guide' } | { kind: 'none' };

const DISMISSED_KEY = 'ykt.installDismissedAt';
/** A dismissed offer comes back after this long: installing still matters. */
const DISMISS_FOR_MS = 14 * 24 * 3600 * 1000;

let deferred: BeforeInstallPromptEvent | null = null;
let installed = false;
const listeners = new Set<() => void>();
const notify = () => {
  for (const l of listeners) l();
};

/** Call once at start-up, before the first screen renders. */
export function captureInstallPrompt(): void {
  window.addEventListener('beforeinstallprompt', (e) => {
    e.preventDefault();
    deferred = e as BeforeInstallPromptEvent;
    notify();
  });
  window.addEventListener('appinstalled', () => {
    deferred = null;
    installed = true;
    notify();
  });
}

export function subscribeInstall(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function isStandalone(): boolean {
  return window.matchMedia('(display-mode: standalone)').matches || (navigator as Navigator & { standalone?: boolean }).standalone === true;
}

function isIos(): boolean {
  // iPadOS reports itself as a Mac, with touch.
  return /iPhone|iPad|iPod/u.test(navigator.userAgent) || (navigator.userAgent.includes('Macintosh') && navigator.maxTouchPoints > 1);
}

function dismissedRecently(): boolean {
  const at = Number(localStorage.getItem(DISMISSED_KEY) ?? 0);
  return Date.now() - at < DISMISS_FOR_MS;
}

let last: InstallOffer = { kind: 'none' };
/** What the home screen offers now (a stable object while it does not change, for useSyncExternalStore). */
export function installOffer(): InstallOffer {
  const kind: InstallOffer['kind'] = installed || isStandalone() || dismissedRecently() ? 'none' : deferred ? 'prompt' : isIos() ? 'ios-guide' : 'none';
  if (kind !== last.kind) last = { kind };
  return last;
}

/** Shows Chrome's own install dialog; true when the cadre installed. */
export async function promptInstall(): Promise<boolean> {
  const e = deferred;
  if (!e) return false;
  deferred = null;
  await e.prompt();
  const { outcome } = await e.userChoice;
  notify();
  return outcome === 'accepted';
}

export function dismissInstall(): void {
  localStorage.setItem(DISMISSED_KEY, String(Date.now()));
  notify();
}
