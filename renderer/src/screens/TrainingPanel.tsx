/**
 * "Training" (training mode only): the text messages the simulator "sent", and its payment
 * sessions with buttons to play the customer (open the link, pay, decline, let it expire).
 */
import { errorText } from '../lib/text';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TrainingSession } from '../../../common/domain';
import { settle, useApi } from '../api';
import { useFormat } from '../lib/format';
import { displayPhone } from '../lib/phone-display';
import { useTrainingStore } from '../store';
import { loadTraining } from '../store/sync';

type CustomerAction = 'open' | 'pay' | 'decline' | 'expire';

/** Which customer actions make sense for a session in this state. */
function possible(state: TrainingSession['state']): CustomerAction[] {
  switch (state) {
    case 'open':
      return ['open', 'pay', 'decline', 'expire'];
    // A declined link stays payable until it expires (the simulator follows Dintero).
    case 'visited':
    case 'declined':
      return ['pay', 'decline', 'expire'];
    default:
      return [];
  }
}

export function TrainingPanel() {
  const { t } = useTranslation();
  const api = useApi();
  const f = useFormat();
  const sms = useTrainingStore((s) => s.sms);
  const sessions = useTrainingStore((s) => s.sessions);
  const upsertSession = useTrainingStore((s) => s.upsertSession);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string>();

  useEffect(() => {
    void loadTraining(api);
  }, [api]);

  const act = async (session: TrainingSession, action: CustomerAction): Promise<void> => {
    setBusy(session.sessionId);
    setError(undefined);
    const r = await settle(api.training.customer({ sessionId: session.sessionId, action }));
    setBusy(undefined);
    if (r.ok) upsertSession(r.value);
    else setError(errorText(r.error));
  };

  const labels: Record<CustomerAction, string> = {
    open: t('training.openLink'),
    pay: t('training.pay'),
    decline: t('training.decline'),
    expire: t('training.expire'),
  };

  return (
    <div className="screen screen--training">
      <h1>{t('training.heading')}</h1>
      <p className="muted">{t('training.intro')}</p>
      {error !== undefined && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="training__columns">
        <section className="card" aria-labelledby="sessions-heading">
          <div className="card__head">
            <h2 id="sessions-heading" className="section-title">
              {t('training.sessionsHeading')}
            </h2>
            <button
              type="button"
              className="button button--quiet"
              onClick={() => void loadTraining(api)}
            >
              {t('training.refresh')}
            </button>
          </div>
          {sessions.length === 0 ? (
            <p className="muted">{t('training.sessionsEmpty')}</p>
          ) : (
            <ul className="sessions" aria-live="polite">
              {sessions.map((s) => {
                const can = possible(s.state);
                return (
                  <li key={s.sessionId} className="session" data-session-id={s.sessionId}>
                    <div className="session__facts">
                      <span className="session__ref">{s.merchantReference}</span>
                      <span>{f.money(s.amount, s.currency)}</span>
                      <span className={`session__state session__state--${s.state}`}>
                        {t(`training.session.${s.state}`)}
                      </span>
                    </div>
                    <div className="button-row" role="group" aria-label={s.merchantReference}>
                      {(['open', 'pay', 'decline', 'expire'] as const).map((a) => (
                        <button
                          key={a}
                          type="button"
                          className={`button${a === 'pay' ? ' button--primary' : ''}`}
                          disabled={!can.includes(a) || busy === s.sessionId}
                          onClick={() => void act(s, a)}
                        >
                          {labels[a]}
                        </button>
                      ))}
                    </div>
                  </li>
                );
              })}
            </ul>
          )}
        </section>
        <section className="card" aria-labelledby="sms-heading">
          <h2 id="sms-heading" className="section-title">
            {t('training.smsHeading')}
          </h2>
          {sms.length === 0 ? (
            <p className="muted">{t('training.smsEmpty')}</p>
          ) : (
            <ul className="sms-list" aria-live="polite">
              {sms.map((m) => (
                <li key={m.id} className="sms">
                  <p className="sms__meta">
                    {t('training.smsTo', { to: displayPhone(m.to), time: f.when(m.at) })}
                  </p>
                  <p className="sms__text">{m.text}</p>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}
