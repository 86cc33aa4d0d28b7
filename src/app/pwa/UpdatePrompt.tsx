import { useState, useSyncExternalStore } from 'react';
import { useRegisterSW } from 'virtual:pwa-register/react';
import { t } from '../i18n/index.ts';
import { hasUnsavedInput, subscribeUnsaved } from './unsaved-input.ts';

/**
 * registerType 'prompt': a new service worker waits until the user agrees,
 * and the agree button is disabled while any screen has unsaved input.
 */
export function UpdatePrompt() {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    updateServiceWorker,
  } = useRegisterSW({ immediate: true });
  const unsaved = useSyncExternalStore(subscribeUnsaved, hasUnsavedInput);
  const [dismissed, setDismissed] = useState(false);

  if (!needRefresh || dismissed) return null;
  return (
    <div className="update-prompt" role="status" aria-live="polite">
      <span>{unsaved ? t.update.blockedByUnsaved : t.update.available}</span>
      <button
        type="button"
        className="btn btn-primary"
        disabled={unsaved}
        onClick={() => {
          // Checked again at click time: input may have arrived since render.
          if (!hasUnsavedInput()) void updateServiceWorker(true);
        }}
      >
        {t.update.apply}
      </button>
      <button
        type="button"
        className="btn"
        onClick={() => {
          setDismissed(true);
          setNeedRefresh(false);
        }}
      >
        {t.update.later}
      </button>
    </div>
  );
}
