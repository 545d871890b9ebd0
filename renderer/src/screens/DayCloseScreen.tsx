/**
 * "Day close": what the desk (or the whole store) took on one day, checked against Dintero,
 * with what still needs staff, the payouts, and the files for the books. Every figure opens
 * the orders behind it on the board. Main reads Dintero and builds the figures; this screen
 * only shows them (words from the catalogs, amounts formatted for the desk's language).
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  DAY_FIGURES,
  type DayCloseView,
  type DayExportFormat,
  type DayFigure,
  type DayOrderRef,
  type DayScope,
  type PayoutsView,
} from '../../../common/day-close';
import { msg, type Message } from '../../../common/i18n/messages';
import { settle, useApi } from '../api';
import { Field } from '../components/Field';
import { useFormat } from '../lib/format';
import { errorText, useText } from '../lib/text';
import { useAppStore } from '../store';

/** What one request gave; `key` says which (day, scope, round) it answers. */
type Loaded = { key: string } & (
  { status: 'ready'; view: DayCloseView } | { status: 'failed'; error: string }
);
type Load = { status: 'loading' } | Loaded;

export function DayCloseScreen() {
  const { t } = useTranslation();
  const api = useApi();
  const storeId = useAppStore((s) => s.settings?.settings.storeId ?? '');
  const desk = useAppStore((s) => s.settings?.settings.terminalName ?? '');
  // Undefined until staff pick a day: main answers for today in the desk's time zone.
  const [day, setDay] = useState<string>();
  const [scope, setScope] = useState<DayScope>('desk');
  const [loaded, setLoaded] = useState<Loaded>();
  const [round, setRound] = useState(0);
  const key = `${day ?? ''}|${scope}|${round}`;
  // Until the answer for this day, scope and round arrives, the screen says it is reading.
  const load: Load = loaded?.key === key ? loaded : { status: 'loading' };

  useEffect(() => {
    let live = true;
    void settle(api.dayClose.get({ scope, ...(day !== undefined ? { day } : {}) })).then((r) => {
      if (!live) return;
      setLoaded(
        r.ok
          ? { key, status: 'ready', view: r.value }
          : { key, status: 'failed', error: errorText(r.error) },
      );
    });
    return () => {
      live = false;
    };
  }, [api, day, scope, round, key]);

  const storeScope = scope === 'store' && storeId !== '';
  return (
    <div className="screen screen--day-close">
      <h1>{t('dayClose.title')}</h1>
      <div className="day-close__controls">
        <Field label={t('dayClose.day')}>
          {(ids) => (
            <input
              {...ids}
              type="date"
              className="input"
              value={day ?? (loaded?.status === 'ready' ? loaded.view.day : '')}
              required
              onChange={(e) => {
                if (e.currentTarget.value !== '') setDay(e.currentTarget.value);
              }}
            />
          )}
        </Field>
        <fieldset className="day-close__scope">
          <legend>{t('dayClose.scope')}</legend>
          <label className="radio">
            <input
              type="radio"
              name="day-close-scope"
              checked={scope === 'desk'}
              onChange={() => setScope('desk')}
            />
            {t('dayClose.scopeDesk', { desk })}
          </label>
          <label className="radio">
            <input
              type="radio"
              name="day-close-scope"
              checked={storeScope}
              disabled={storeId === ''}
              onChange={() => setScope('store')}
            />
            {storeId === ''
              ? t('dayClose.scopeStoreNone')
              : t('dayClose.scopeStore', { store: storeId })}
          </label>
          {storeId === '' && <p className="field__hint">{t('dayClose.scopeStoreMissing')}</p>}
        </fieldset>
        <button
          type="button"
          className="button"
          disabled={load.status === 'loading'}
          onClick={() => setRound((n) => n + 1)}
        >
          {t('dayClose.refresh')}
        </button>
      </div>
      {load.status === 'loading' && (
        <p role="status" aria-live="polite">
          {t('dayClose.loading')}
        </p>
      )}
      {load.status === 'failed' && (
        <p className="form-error" role="alert">
          {load.error}
        </p>
      )}
      {load.status === 'ready' && <DayCloseBody view={load.view} />}
    </div>
  );
}

function DayCloseBody({ view }: { view: DayCloseView }) {
  const { t } = useTranslation();
  const f = useFormat();
  const showOnBoard = useAppStore((s) => s.showOnBoard);

  const open = (figure: Message, currency: string, orderIds: string[]): void =>
    showOnBoard({
      label: msg('dayClose.boardFilter', { day: view.day, figure: { text: figure }, currency }),
      orderIds,
      from: view.from,
      to: view.to,
    });

  return (
    <>
      <p className="day-close__meta">
        {t('dayClose.period', { from: f.dateTime(view.from), to: f.dateTime(view.to) })} ·{' '}
        {t('dayClose.generatedAt', { time: f.dateTime(view.generatedAt) })}
      </p>
      {view.currencies.length === 0 && <p>{t('dayClose.noOrders')}</p>}
      {view.currencies.map((c) => (
        <section
          key={c.currency}
          className="card day-close__totals"
          aria-labelledby={`dc-${c.currency}`}
        >
          <h2 id={`dc-${c.currency}`} className="section-title">
            {t('dayClose.totalsHeading', { currency: c.currency })}
          </h2>
          <table className="table">
            <TableHead
              first={t('dayClose.figureColumn')}
              numbers={[t('dayClose.countColumn'), t('dayClose.amountColumn')]}
            />
            <tbody>
              {DAY_FIGURES.map((kind) => (
                <FigureRow
                  key={kind}
                  label={t(`dayClose.figure.${kind}`)}
                  figure={c.figures[kind]}
                  amount={f.money(c.figures[kind].amount, c.currency)}
                  onOpen={() =>
                    open(msg(`dayClose.figure.${kind}`), c.currency, c.figures[kind].orderIds)
                  }
                  id={`${c.currency}-${kind}`}
                />
              ))}
              <tr className="day-close__net">
                <th scope="row">{t('dayClose.net')}</th>
                <td />
                <td className="num" data-testid={`net-${c.currency}`}>
                  {f.money(c.net, c.currency)}
                </td>
              </tr>
            </tbody>
          </table>
        </section>
      ))}
      {view.methods.length > 0 && (
        <section className="card" aria-labelledby="dc-methods">
          <h2 id="dc-methods" className="section-title">
            {t('dayClose.methodsHeading')}
          </h2>
          <table className="table">
            <TableHead
              first={t('dayClose.methodColumn')}
              numbers={[
                t('dayClose.countColumn'),
                t('dayClose.paidColumn'),
                t('dayClose.capturedColumn'),
                t('dayClose.refundedColumn'),
              ]}
            />
            <tbody>
              {view.methods.map((m) => (
                <tr key={`${m.currency}-${m.method}`}>
                  <th scope="row">
                    {t(`dayClose.method.${m.method}`)} ({m.currency})
                  </th>
                  <td className="num">
                    <CountButton
                      count={m.count}
                      onOpen={() =>
                        open(msg(`dayClose.method.${m.method}`), m.currency, m.orderIds)
                      }
                    />
                  </td>
                  <td className="num">{f.money(m.paid, m.currency)}</td>
                  <td className="num">{f.money(m.captured, m.currency)}</td>
                  <td className="num">{f.money(m.refunded, m.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <Needs view={view} />
      <Differences view={view} />
      <Payouts payouts={view.payouts} />
      <Export view={view} />
    </>
  );
}

/** A table's head: the row names' column, then the figures' columns (right-aligned). */
function TableHead({ first, numbers }: { first: string; numbers: string[] }) {
  return (
    <thead>
      <tr>
        <th scope="col">{first}</th>
        {numbers.map((n) => (
          <th key={n} scope="col" className="num">
            {n}
          </th>
        ))}
      </tr>
    </thead>
  );
}

function FigureRow({
  label,
  figure,
  amount,
  onOpen,
  id,
}: {
  label: string;
  figure: DayFigure;
  amount: string;
  onOpen: () => void;
  /** Currency and figure, e.g. NOK-paid (for tests to find the row). */
  id: string;
}) {
  return (
    <tr data-figure={id}>
      <th scope="row">{label}</th>
      <td className="num">
        <CountButton count={figure.count} onOpen={onOpen} />
      </td>
      <td className="num">{amount}</td>
    </tr>
  );
}

/** A count that opens its orders on the board (plain text when there are none to show). */
function CountButton({ count, onOpen }: { count: number; onOpen: () => void }) {
  const { t } = useTranslation();
  if (count === 0) return <span>0</span>;
  return (
    <button
      type="button"
      className="link-button"
      aria-label={t('dayClose.showOrders', { count })}
      onClick={onOpen}
    >
      {count}
    </button>
  );
}

function OrderLink({ order, children }: { order: { orderId: string }; children: string }) {
  const openOrder = useAppStore((s) => s.openOrder);
  return (
    <button type="button" className="link-button" onClick={() => openOrder(order.orderId)}>
      {children}
    </button>
  );
}

function RefList({ heading, refs }: { heading: string; refs: DayOrderRef[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (refs.length === 0) return null;
  return (
    <>
      <h3>{heading}</h3>
      <ul>
        {refs.map((r) => (
          <li key={r.orderId}>
            <OrderLink order={r}>
              {t('dayClose.orderLine', {
                reference: r.merchantReference,
                amount: f.money(r.amount, r.currency),
              })}
            </OrderLink>
          </li>
        ))}
      </ul>
    </>
  );
}

function Needs({ view }: { view: DayCloseView }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { uncaptured, unknown, queued } = view.needs;
  const nothing = uncaptured.length + unknown.length + queued.length === 0;
  return (
    <section className="card" aria-labelledby="dc-needs">
      <h2 id="dc-needs" className="section-title">
        {t('dayClose.needsHeading')}
      </h2>
      {nothing && <p>{t('dayClose.needsNothing')}</p>}
      {uncaptured.length > 0 && (
        <>
          <h3>{t('dayClose.uncapturedHeading')}</h3>
          <ul>
            {uncaptured.map((u) => (
              <li key={u.orderId} data-testid="uncaptured">
                <OrderLink order={u}>
                  {t('dayClose.uncapturedLine', {
                    reference: u.merchantReference,
                    amount: f.money(u.uncaptured, u.currency),
                    method: t(`dayClose.method.${u.method}`),
                    date: f.dateTime(u.lapsesAt),
                  })}
                </OrderLink>{' '}
                <strong className={u.daysLeft <= 1 ? 'text-danger' : undefined}>
                  {u.daysLeft === 0
                    ? t('dayClose.lapsesToday')
                    : t('dayClose.daysLeft', { count: u.daysLeft })}
                </strong>
              </li>
            ))}
          </ul>
        </>
      )}
      <RefList heading={t('dayClose.unknownHeading')} refs={unknown} />
      <RefList heading={t('dayClose.queuedHeading')} refs={queued} />
    </section>
  );
}

function Differences({ view }: { view: DayCloseView }) {
  const { t } = useTranslation();
  const f = useFormat();
  const text = useText();
  const check = view.check;
  return (
    <section className="card" aria-labelledby="dc-differences">
      <h2 id="dc-differences" className="section-title">
        {t('dayClose.differencesHeading')}
      </h2>
      {check.status === 'failed' ? (
        <p className="banner banner--warn" role="alert">
          {t('dayClose.checkFailed', { reason: text(check.error) })}
        </p>
      ) : (
        <>
          <p>{t('dayClose.checkedAt', { time: f.dateTime(check.at) })}</p>
          {check.differences.length === 0 ? (
            <p data-testid="no-differences">{t('dayClose.noDifferences', { count: check.read })}</p>
          ) : (
            <ul data-testid="differences">
              {check.differences.map((d, i) => (
                <li key={`${d.kind}-${d.merchantReference}-${i}`} data-kind={d.kind}>
                  {d.orderId !== undefined ? (
                    <OrderLink order={{ orderId: d.orderId }}>{text(d.message)}</OrderLink>
                  ) : (
                    text(d.message)
                  )}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

function Payouts({ payouts }: { payouts: PayoutsView }) {
  const { t } = useTranslation();
  const f = useFormat();
  const text = useText();
  return (
    <section className="card" aria-labelledby="dc-payouts">
      <h2 id="dc-payouts" className="section-title">
        {t('dayClose.payoutsHeading')}
      </h2>
      {payouts.status === 'not_granted' && (
        <p data-testid="payouts-not-granted">
          {t('dayClose.payoutsNotGranted', { grant: payouts.grant })}
        </p>
      )}
      {payouts.status === 'failed' && (
        <p>{t('dayClose.payoutsFailed', { reason: text(payouts.error) })}</p>
      )}
      {payouts.status === 'read' && (
        <>
          {payouts.paidOut.length + payouts.waiting.length === 0 && (
            <p>{t('dayClose.payoutsNone')}</p>
          )}
          {payouts.paidOut.length > 0 && (
            <>
              <h3>{t('dayClose.paidOutHeading')}</h3>
              <ul data-testid="paid-out">
                {payouts.paidOut.map((p) => (
                  <li key={p.transactionId}>
                    {t('dayClose.payoutLine', {
                      reference: p.merchantReference,
                      captured: f.money(p.captured, p.currency),
                      date: p.settledAt !== undefined ? f.dateTime(p.settledAt) : '',
                      fee: f.money(p.fee ?? 0, p.currency),
                      net: f.money(p.net ?? p.captured, p.currency),
                    })}
                  </li>
                ))}
              </ul>
            </>
          )}
          {payouts.waiting.length > 0 && (
            <>
              <h3>{t('dayClose.waitingHeading')}</h3>
              <ul data-testid="waiting-payout">
                {payouts.waiting.map((p) => (
                  <li key={p.transactionId}>
                    {t('dayClose.waitingLine', {
                      reference: p.merchantReference,
                      captured: f.money(p.captured, p.currency),
                    })}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </section>
  );
}

/** Hands a file main gave the page to the browser as a download (the browser preview). */
function download(file: { name: string; mimeType: string; base64: string }): void {
  const bytes = Uint8Array.from(atob(file.base64), (ch) => ch.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: file.mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function Export({ view }: { view: DayCloseView }) {
  const { t } = useTranslation();
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ text: string; error: boolean }>();

  const run = useCallback(
    async (format: DayExportFormat) => {
      setBusy(true);
      setOutcome(undefined);
      const r = await settle(api.dayClose.export({ day: view.day, scope: view.scope, format }));
      setBusy(false);
      if (!r.ok) {
        setOutcome({ text: errorText(r.error), error: true });
        return;
      }
      const v = r.value;
      if ('download' in v) {
        download(v.download);
        setOutcome({ text: t('dayClose.downloaded', { name: v.download.name }), error: false });
      } else if (v.saved) {
        setOutcome({ text: t('dayClose.saved', { name: v.name }), error: false });
      } else {
        setOutcome({ text: t('dayClose.notSaved'), error: false });
      }
    },
    [api, view.day, view.scope, t],
  );

  return (
    <section className="card" aria-labelledby="dc-export">
      <h2 id="dc-export" className="section-title">
        {t('dayClose.exportHeading')}
      </h2>
      <div className="day-close__export">
        <button type="button" className="button" disabled={busy} onClick={() => void run('csv')}>
          {t('dayClose.exportCsv')}
        </button>
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() => void run('csv_nordic')}
        >
          {t('dayClose.exportNordic')}
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => void run('pdf')}>
          {t('dayClose.exportPdf')}
        </button>
      </div>
      <p role="status" aria-live="polite" className={outcome?.error ? 'form-error' : undefined}>
        {busy ? t('dayClose.exporting') : (outcome?.text ?? '')}
      </p>
    </section>
  );
}
