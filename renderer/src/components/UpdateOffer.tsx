/**
 * "Update ready (version X)" with a "Restart to update" button, shown in the status bar once
 * main has downloaded and verified a newer version. Nothing restarts until staff press the
 * button, and main checks again at that moment: while orders are queued, a payment is being
 * checked or an action is in progress the button waits (and says why), and a press main
 * refuses shows main's reason here.
 */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UpdateStatus } from '../../../common/domain';
import { settle, useApi } from '../api';
import { errorText } from '../lib/text';

export function UpdateOffer({ update }: { update: UpdateStatus }) {
  const { t } = useTranslation();
  const api = useApi();
  const waitsId = useId();
  const [pressed, setPressed] = useState(false);
  const [refusal, setRefusal] = useState<string>();
  const waits = (update.waitsFor?.length ?? 0) > 0;

  const restart = async (): Promise<void> => {
    setPressed(true);
    setRefusal(undefined);
    const r = await settle(api.app.restartToUpdate());
    // On success the app closes; on a refusal the desk carries on and says why.
    if (!r.ok) {
      setPressed(false);
      setRefusal(errorText(r.error));
    }
  };

  return (
    <div
      className="banner banner--info update-offer"
      data-banner="update"
      role="group"
      aria-label={t('update.ready', { version: update.version })}
    >
      <span className="update-offer__text">{t('update.ready', { version: update.version })}</span>
      <button
        type="button"
        className="button button--primary"
        disabled={waits || pressed}
        aria-describedby={waits ? waitsId : undefined}
        onClick={() => void restart()}
      >
        {pressed ? t('update.restarting') : t('update.restart')}
      </button>
      {waits ? (
        <span id={waitsId} className="update-offer__waits">
          {t('update.waits')}
        </span>
      ) : null}
      {refusal ? (
        <span role="alert" className="update-offer__refusal">
          {refusal}
        </span>
      ) : null}
    </div>
  );
}
