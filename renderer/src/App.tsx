/**
 * The shell: status bar, navigation, and the current screen. Starts the store sync with the
 * PaylinkApi it is given (window.paylink in the app, a fake in tests).
 */
import { useEffect, useRef } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import type { PaylinkApi } from '../../common/paylink-api';
import { ApiContext } from './api';
import { DeskStaff } from './components/DeskStaff';
import { StatusBar } from './components/StatusBar';
import { i18n } from './i18n';
import { DayCloseScreen } from './screens/DayCloseScreen';
import { OrderBoardScreen } from './screens/OrderBoardScreen';
import { OrderDetailScreen } from './screens/OrderDetailScreen';
import { OrderEntryScreen } from './screens/OrderEntryScreen';
import { SettingsScreen } from './screens/SettingsScreen';
import { TrainingPanel } from './screens/TrainingPanel';
import { useAppStore, type Screen } from './store/app';
import { startSync } from './store/sync';

export function App({ api }: { api: PaylinkApi | undefined }) {
  return (
    <I18nextProvider i18n={i18n}>
      {api === undefined ? (
        <NoBridge />
      ) : (
        <ApiContext.Provider value={api}>
          <Shell api={api} />
        </ApiContext.Provider>
      )}
    </I18nextProvider>
  );
}

function NoBridge() {
  const { t } = useTranslation();
  return (
    <main className="no-bridge">
      <h1>{t('app.title')}</h1>
      <p role="alert">{t('app.noBridge')}</p>
    </main>
  );
}

function Shell({ api }: { api: PaylinkApi }) {
  const { t } = useTranslation();
  const screen = useAppStore((s) => s.screen);
  const detailId = useAppStore((s) => s.detailId);
  const training = useAppStore((s) => s.status?.mode === 'training');
  const bootError = useAppStore((s) => s.bootError);
  const navigate = useAppStore((s) => s.navigate);
  const clearBoardPreset = useAppStore((s) => s.clearBoardPreset);
  const mainRef = useRef<HTMLElement>(null);

  useEffect(() => startSync(api), [api]);

  // Ctrl/Cmd+1..5 jump between screens from anywhere.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
      const target: Record<string, Exclude<Screen, 'detail'>> = {
        '1': 'entry',
        '2': 'board',
        '3': 'dayClose',
        '4': 'settings',
        ...(training ? { '5': 'training' as const } : {}),
      };
      const to = target[e.key];
      if (to !== undefined) {
        e.preventDefault();
        navigate(to);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate, training]);

  // Leaving training mode while on the training screen.
  const shown: Screen = screen === 'training' && !training ? 'entry' : screen;

  const nav: { screen: Exclude<Screen, 'detail'>; label: string }[] = [
    { screen: 'entry', label: t('nav.entry') },
    { screen: 'board', label: t('nav.board') },
    { screen: 'dayClose', label: t('nav.dayClose') },
    { screen: 'settings', label: t('nav.settings') },
    ...(training ? [{ screen: 'training' as const, label: t('nav.training') }] : []),
  ];
  const current = shown === 'detail' ? 'board' : shown;

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="topbar">
        <span className="brand">{t('app.title')}</span>
        <nav aria-label={t('nav.label')} className="nav">
          {nav.map((n) => (
            <button
              key={n.screen}
              type="button"
              className={`nav__item${current === n.screen ? ' nav__item--current' : ''}`}
              aria-current={current === n.screen ? 'page' : undefined}
              onClick={() => {
                clearBoardPreset();
                navigate(n.screen);
              }}
            >
              {n.label}
            </button>
          ))}
        </nav>
        <DeskStaff />
        <StatusBar />
      </header>
      {bootError !== undefined && (
        <p className="banner banner--danger" role="alert">
          {t('errors.generic', { message: bootError })}
        </p>
      )}
      <main id="main" ref={mainRef} tabIndex={-1} className="main">
        {shown === 'entry' && <OrderEntryScreen />}
        {shown === 'board' && <OrderBoardScreen />}
        {shown === 'detail' && detailId !== undefined && (
          <OrderDetailScreen key={detailId} id={detailId} />
        )}
        {shown === 'dayClose' && <DayCloseScreen />}
        {shown === 'settings' && <SettingsScreen />}
        {shown === 'training' && <TrainingPanel />}
      </main>
    </div>
  );
}
