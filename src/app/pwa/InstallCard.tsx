import { useSyncExternalStore } from 'react';
import { t } from '../i18n/index.ts';
import { dismissInstall, installOffer, promptInstall, subscribeInstall } from './install.ts';

/** The home screen's offer to install the app (install.ts): Chrome's prompt, or the iPhone steps. */
export function InstallCard() {
  const offer = useSyncExternalStore(subscribeInstall, installOffer);
  if (offer.kind === 'none') return null;
  return (
    <section className="card install-card" aria-labelledby="install-title">
      <h2 id="install-title">{t.install.title}</h2>
      <p>{t.install.why}</p>
      {offer.kind === 'prompt' ? (
        <button type="button" className="btn btn-primary btn-block" onClick={() => void promptInstall()}>
          {t.install.button}
        </button>
      ) : (
        <ol className="install-steps">
          {t.install.iosSteps.map((step) => (
            <li key={step}>{step}</li>
          ))}
        </ol>
      )}
      <button type="button" className="btn btn-block" onClick={dismissInstall}>
        {t.install.later}
      </button>
    </section>
  );
}
