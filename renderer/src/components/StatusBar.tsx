import { useTranslation } from 'react-i18next';
import { useText } from '../lib/text';
import { useAppStore } from '../store';
import { UpdateOffer } from './UpdateOffer';

/**
 * Connection, queue and mode at a glance. The connection line is a polite live region, so a
 * change (offline, queue grows) is announced without interrupting; banners that need action
 * (journal, settings, keychain) are listed below it, also politely.
 */
export function StatusBar() {
  const { t } = useTranslation();
  const text = useText();
  const status = useAppStore((s) => s.status);
  if (status === null) {
    return (
      <div className="statusbar" role="status" aria-live="polite">
        {t('app.loading')}
      </div>
    );
  }
  const banners: { key: string; tone: 'info' | 'warn' | 'danger'; text: string }[] = [];
  if (status.mode === 'training')
    banners.push({ key: 'training', tone: 'info', text: t('statusBar.training') });
  if (status.testAccount)
    banners.push({
      key: 'test',
      tone: 'warn',
      text: t('statusBar.testAccount', { account: status.accountId ?? '' }),
    });
  if (status.journalProblem)
    banners.push({
      key: 'journal',
      tone: 'danger',
      text: text(status.journalProblem),
    });
  if (status.settingsWarning)
    banners.push({
      key: 'settings',
      tone: 'warn',
      text: t('statusBar.settingsWarning', { message: text(status.settingsWarning) }),
    });
  if (status.accessWarning)
    banners.push({ key: 'access', tone: 'warn', text: text(status.accessWarning) });
  if (status.keychainLocked)
    banners.push({
      key: 'keychain',
      tone: 'danger',
      text: `${t('statusBar.keychainLocked')} ${t(`statusBar.keychainFix.${status.keychainLocked}`)}`,
    });
  else if (status.keychainProblem)
    banners.push({
      key: 'keychain',
      tone: 'danger',
      text: t('statusBar.keychainProblem', { message: text(status.keychainProblem) }),
    });
  return (
    <div className="statusbar-wrap">
      <div
        className={`statusbar ${status.online ? 'statusbar--online' : 'statusbar--offline'}`}
        role="status"
        aria-live="polite"
        aria-label={t('statusBar.label')}
        data-testid="status-bar"
      >
        <span className="statusbar__conn">
          <span className="statusbar__dot" aria-hidden="true" />
          {status.online ? t('statusBar.online') : t('statusBar.offline')}
        </span>
        <span className="statusbar__queue">
          {status.queueLength > 0
            ? t('statusBar.queued', { count: status.queueLength })
            : t('statusBar.queueEmpty')}
        </span>
      </div>
      <div className="banners" aria-live="polite">
        {banners.map((b) => (
          <p key={b.key} className={`banner banner--${b.tone}`} data-banner={b.key}>
            {b.text}
          </p>
        ))}
        {status.update ? <UpdateOffer update={status.update} /> : null}
      </div>
    </div>
  );
}
