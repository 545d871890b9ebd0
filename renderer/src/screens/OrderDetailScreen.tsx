/**
 * One order: what it is, its link and QR code, what can be done with it, and its timeline.
 * Money actions go through a confirmation step; an action that is not possible says why
 * instead of showing a dead button. The summary is live (store); the timeline and the
 * allowed actions are fetched again whenever the order changes.
 */
import { errorText, useText } from '../lib/text';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  shownState,
  type ActionAvailability,
  type Delivery,
  type OrderSummary,
} from '../../../common/domain';
import type { OrderDetail } from '../../../common/ipc-contract';
import { parseAmount } from '../../../common/money';
import { settle, useApi } from '../api';
import { Field } from '../components/Field';
import { StatusBadge } from '../components/StatusBadge';
import { useFormat } from '../lib/format';
import { hiddenTextProblem } from '../lib/hidden-text';
import { displayPhone } from '../lib/phone-display';
import { useAppStore, useOrdersStore } from '../store';

type ActionKind = 'capture' | 'refund' | 'void' | 'cancelLink' | 'resendLink';

export function OrderDetailScreen({ id }: { id: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const live = useOrdersStore((s) => s.byId[id]);
  const upsert = useOrdersStore((s) => s.upsert);
  const navigate = useAppStore((s) => s.navigate);
  const [detail, setDetail] = useState<OrderDetail | null>(null);
  const [loadError, setLoadError] = useState<string>();
  const headingRef = useRef<HTMLHeadingElement>(null);
  // Refetch the timeline and actions whenever anything staff can see changes (two updates can
  // share a millisecond, so the timestamp alone is not enough).
  const version = live
    ? [
        live.updatedAt,
        live.state,
        live.pendingOperation ?? '',
        live.capturedAmount,
        live.refundedAmount,
      ].join('|')
    : '';
  const [refresh, setRefresh] = useState(0);

  useEffect(() => {
    let stale = false;
    void settle(api.orders.get({ id })).then((r) => {
      if (stale) return;
      if (r.ok) {
        setDetail(r.value);
        setLoadError(undefined);
        upsert(r.value.order);
      } else {
        setLoadError(errorText(r.error));
      }
    });
    return () => {
      stale = true;
    };
  }, [api, id, version, refresh, upsert]);

  useEffect(() => {
    headingRef.current?.focus();
  }, [id]);

  // The store's copy is the freshest (events); fall back to what orders.get gave.
  const order = live ?? detail?.order;

  return (
    <div className="screen screen--detail">
      <button type="button" className="button button--quiet back" onClick={() => navigate('board')}>
        {t('detail.back')}
      </button>
      {order === undefined ? (
        <>
          <h1 ref={headingRef} tabIndex={-1}>
            {loadError === undefined ? t('detail.loading') : t('detail.notFound')}
          </h1>
          {loadError !== undefined && (
            <p className="form-error" role="alert">
              {loadError}
            </p>
          )}
        </>
      ) : (
        <>
          <div className="detail__title">
            <h1 ref={headingRef} tabIndex={-1}>
              {t('detail.heading', { reference: order.merchantReference })}
            </h1>
            <StatusBadge state={shownState(order)} />
          </div>
          {loadError !== undefined && (
            <p className="form-error" role="alert">
              {loadError}
            </p>
          )}
          <div className="detail__columns">
            <div className="detail__main">
              <OrderFacts order={order} />
              {detail !== null && detail.order.id === id && (
                <ActionsPanel
                  order={order}
                  detail={detail}
                  onDone={() => setRefresh((n) => n + 1)}
                />
              )}
              {detail !== null && <Timeline detail={detail} />}
            </div>
            <aside className="detail__side">
              <LinkPanel order={order} />
            </aside>
          </div>
        </>
      )}
    </div>
  );
}

function OrderFacts({ order }: { order: OrderSummary }) {
  const { t } = useTranslation();
  const f = useFormat();
  const text = useText();
  const openOrder = useAppStore((s) => s.openOrder);
  const m = (minor: number): string => f.money(minor, order.currency);
  const rows: [string, string][] = [
    [t('detail.amount'), m(order.amount)],
    [t('detail.phone'), displayPhone(order.phone)],
  ];
  if (order.customerName) rows.push([t('detail.customer'), order.customerName]);
  if (order.email) rows.push([t('detail.email'), order.email]);
  if (order.note) rows.push([t('detail.note'), order.note]);
  if (order.vatAmount > 0) rows.push([t('detail.vat'), m(order.vatAmount)]);
  if (order.authorizedAmount > 0) rows.push([t('detail.authorized'), m(order.authorizedAmount)]);
  if (order.capturedAmount > 0) rows.push([t('detail.captured'), m(order.capturedAmount)]);
  if (order.refundedAmount > 0) rows.push([t('detail.refunded'), m(order.refundedAmount)]);
  if (order.paymentMethod) rows.push([t('detail.paymentMethod'), order.paymentMethod]);
  rows.push([
    t('detail.delivery'),
    order.delivery === 'sms' ? t('entry.deliverySms') : t('entry.deliveryLinkOnly'),
  ]);
  if (order.smsStatus) rows.push([t('detail.smsLabel'), t(`detail.sms.${order.smsStatus}`)]);
  rows.push([t('detail.created'), f.dateTime(order.createdAt)]);
  if (order.expiresAt) rows.push([t('detail.expires'), f.dateTime(order.expiresAt)]);
  rows.push([t('detail.createdBy'), order.createdBy]);
  return (
    <section
      className="card"
      aria-label={t('detail.heading', { reference: order.merchantReference })}
    >
      <dl className="facts">
        {rows.map(([k, v], i) => (
          <div key={i} className="facts__row">
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {order.outcomeUnknown === true && (
        <p className="notice notice--problem" role="status">
          {t('detail.checkingWithDintero')}
        </p>
      )}
      {order.pendingOperation !== undefined && order.outcomeUnknown !== true && (
        <p className="notice">
          {t('detail.pending', {
            operation: t(
              `detail.${order.pendingOperation === 'cancel' ? 'cancelLink' : order.pendingOperation === 'resend' ? 'resendLink' : order.pendingOperation}`,
            ),
          })}
        </p>
      )}
      {order.lastError !== undefined && (
        <p className="notice notice--problem">
          <strong>{t('detail.lastError')}:</strong> {text(order.lastError)}
        </p>
      )}
      {(order.replacesOrderId !== undefined || order.replacedByOrderId !== undefined) && (
        <div className="button-row">
          {order.replacesOrderId !== undefined && (
            <button
              type="button"
              className="button button--quiet"
              onClick={() => openOrder(order.replacesOrderId!)}
            >
              {t('detail.replaces')}
            </button>
          )}
          {order.replacedByOrderId !== undefined && (
            <button
              type="button"
              className="button button--quiet"
              onClick={() => openOrder(order.replacedByOrderId!)}
            >
              {t('detail.replacedBy')}
            </button>
          )}
        </div>
      )}
      {order.items.length > 0 && (
        <table className="lines">
          <caption>{t('detail.items')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('entry.description')}</th>
              <th scope="col">{t('entry.quantity')}</th>
              <th scope="col">{t('entry.unitPrice')}</th>
              <th scope="col">{t('entry.vatPercent')}</th>
              <th scope="col">{t('detail.amount')}</th>
            </tr>
          </thead>
          <tbody>
            {order.items.map((it) => (
              <tr key={it.lineId}>
                <td>{it.description}</td>
                <td>{it.quantity}</td>
                <td>{m(it.unitPrice)}</td>
                <td>{it.vatPercent}</td>
                <td>{m(it.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function LinkPanel({ order }: { order: OrderSummary }) {
  const { t } = useTranslation();
  const api = useApi();
  const [qr, setQr] = useState<{ url: string; qrDataUrl: string; forLink: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const hasLink = order.linkUrl !== undefined || order.sessionId !== undefined;
  const linkKey = `${order.id}|${order.linkUrl ?? order.sessionId ?? ''}`;

  useEffect(() => {
    if (!hasLink) return;
    let stale = false;
    void settle(api.orders.qr({ id: order.id })).then((r) => {
      if (!stale && r.ok) setQr({ ...r.value, forLink: linkKey });
    });
    return () => {
      stale = true;
    };
  }, [api, order.id, hasLink, linkKey]);

  const shown = qr !== null && qr.forLink === linkKey ? qr : null;
  const url = shown?.url ?? order.linkUrl;
  return (
    <section className="card link-panel" aria-labelledby="link-heading">
      <h2 id="link-heading" className="section-title">
        {t('detail.linkHeading')}
      </h2>
      {url === undefined ? (
        <p className="muted">{t('detail.noLink')}</p>
      ) : (
        <>
          <Field label={t('detail.link')}>
            {(ids) => (
              <input
                {...ids}
                className="input input--mono"
                readOnly
                value={url}
                onFocus={(e) => e.currentTarget.select()}
              />
            )}
          </Field>
          <button
            type="button"
            className="button"
            onClick={() => {
              void navigator.clipboard?.writeText(url).then(() => setCopied(true));
            }}
          >
            {t('detail.copy')}
          </button>
          <span role="status" className="muted">
            {copied ? t('detail.copied') : ''}
          </span>
          {shown !== null && (
            <img
              className="qr"
              src={shown.qrDataUrl}
              alt={t('detail.qrAlt')}
              width={220}
              height={220}
            />
          )}
        </>
      )}
    </section>
  );
}

const ACTIONS: ActionKind[] = ['capture', 'refund', 'void', 'cancelLink', 'resendLink'];

function ActionsPanel({
  order,
  detail,
  onDone,
}: {
  order: OrderSummary;
  detail: OrderDetail;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const f = useFormat();
  const text = useText();
  const upsert = useOrdersStore((s) => s.upsert);
  const [confirming, setConfirming] = useState<ActionKind | null>(null);
  const [captureText, setCaptureText] = useState<string>();
  const [refundText, setRefundText] = useState<string>();
  const [reason, setReason] = useState('');
  const [resendDelivery, setResendDelivery] = useState<Delivery>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const intent = useAppStore((s) => (s.detailId === order.id ? s.detailIntent : undefined));
  const clearIntent = useAppStore((s) => s.clearIntent);

  useEffect(() => {
    if (confirming !== null) confirmRef.current?.focus();
  }, [confirming]);

  const a = detail.actions;

  // Opened from a notification's Capture: show the confirmation with the full amount filled
  // in. Capturing still takes staff's press on Confirm. Waits while capture is not (yet)
  // allowed, so a detail fetched a moment before the payment landed does not eat the intent.
  // (State is adjusted while rendering, as React advises; the store is told in an effect.)
  const [tookIntent, setTookIntent] = useState(false);
  if (intent === 'capture' && a.capture.allowed && !tookIntent) {
    setTookIntent(true);
    setError(undefined);
    setDone(undefined);
    setFieldErrors({});
    setCaptureText(undefined);
    setConfirming('capture');
  } else if (intent === undefined && tookIntent) {
    setTookIntent(false); // ready for the next notification on this order
  }
  useEffect(() => {
    if (tookIntent) clearIntent();
  }, [tookIntent, clearIntent]);
  const maxOf = (x: ActionAvailability, fallback: number): number =>
    x.allowed ? (x.max ?? fallback) : 0;
  const captureMax = maxOf(a.capture, order.authorizedAmount - order.capturedAmount);
  const refundMax = maxOf(a.refund, order.capturedAmount - order.refundedAmount);
  const captureValue =
    captureText ?? (captureMax > 0 ? f.amountInput(captureMax, order.currency) : '');
  const refundValue = refundText ?? (refundMax > 0 ? f.amountInput(refundMax, order.currency) : '');
  const delivery = resendDelivery ?? order.delivery;

  const amountFor = (text: string, max: number, field: string): number | null => {
    const p = parseAmount(text, order.currency);
    if (!p.ok) {
      setFieldErrors({
        [field]: t(`amountReason.${p.reason}`),
      });
      return null;
    }
    if (p.minor > max) {
      setFieldErrors({ [field]: t('detail.upTo', { amount: f.money(max, order.currency) }) });
      return null;
    }
    return p.minor;
  };

  const ask = (kind: ActionKind): void => {
    setError(undefined);
    setDone(undefined);
    setFieldErrors({});
    if (kind === 'capture' && amountFor(captureValue, captureMax, 'capture') === null) return;
    if (kind === 'refund') {
      if (amountFor(refundValue, refundMax, 'refund') === null) return;
      if (reason.trim() === '') {
        setFieldErrors({ reason: t('detail.reasonRequired') });
        return;
      }
      const hidden = hiddenTextProblem(t, 'reason', reason);
      if (hidden !== undefined) {
        setFieldErrors({ reason: hidden });
        return;
      }
    }
    setConfirming(kind);
  };

  const run = async (kind: ActionKind): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      const r =
        kind === 'capture'
          ? await settle(
              api.orders.capture({ id: order.id, amount: parseMinor(captureValue, order) }),
            )
          : kind === 'refund'
            ? await settle(
                api.orders.refund({
                  id: order.id,
                  amount: parseMinor(refundValue, order),
                  reason: reason.trim(),
                }),
              )
            : kind === 'void'
              ? await settle(api.orders.void({ id: order.id }))
              : kind === 'cancelLink'
                ? await settle(api.orders.cancelLink({ id: order.id }))
                : await settle(api.orders.resendLink({ id: order.id, delivery }));
      setConfirming(null);
      if (r.ok) {
        upsert(r.value);
        setDone(t(`detail.done.${kind}`));
        setCaptureText(undefined);
        setRefundText(undefined);
        setReason('');
        onDone();
      } else {
        setError(errorText(r.error));
      }
    } finally {
      setBusy(false);
    }
  };

  const retry = async (): Promise<void> => {
    setBusy(true);
    const r = await settle(api.orders.retry({ id: order.id }));
    setBusy(false);
    if (r.ok) {
      upsert(r.value);
      setDone(t('detail.done.retry'));
      onDone();
    } else setError(errorText(r.error));
  };

  const confirmText = (kind: ActionKind): string => {
    switch (kind) {
      case 'capture':
        return t('detail.confirmCapture', {
          amount: f.money(parseMinor(captureValue, order) ?? 0, order.currency),
        });
      case 'refund':
        return t('detail.confirmRefund', {
          amount: f.money(parseMinor(refundValue, order) ?? 0, order.currency),
          reason: reason.trim(),
        });
      case 'void':
        return t('detail.confirmVoid', { amount: f.money(order.authorizedAmount, order.currency) });
      case 'cancelLink':
        return t('detail.confirmCancelLink');
      case 'resendLink':
        return t('detail.confirmResendLink');
    }
  };

  return (
    <section className="card actions" aria-labelledby="actions-heading">
      <h2 id="actions-heading" className="section-title">
        {t('detail.actionsHeading')}
      </h2>
      {ACTIONS.map((kind) => {
        const availability =
          kind === 'cancelLink' ? a.cancelLink : kind === 'resendLink' ? a.resendLink : a[kind];
        const label = t(`detail.${kind}`);
        if (!availability.allowed) {
          return (
            <p key={kind} className="action action--unavailable" data-action={kind}>
              <strong>{label}:</strong> {text(availability.reason)}
            </p>
          );
        }
        return (
          <div key={kind} className="action" data-action={kind}>
            {kind === 'capture' && (
              <Field
                label={t('detail.captureAmount')}
                hint={t('detail.upTo', { amount: f.money(captureMax, order.currency) })}
                error={fieldErrors.capture}
              >
                {(ids) => (
                  <input
                    {...ids}
                    className="input input--amount"
                    inputMode="decimal"
                    value={captureValue}
                    onChange={(e) => setCaptureText(e.currentTarget.value)}
                  />
                )}
              </Field>
            )}
            {kind === 'refund' && (
              <>
                <Field
                  label={t('detail.refundAmount')}
                  hint={t('detail.upTo', { amount: f.money(refundMax, order.currency) })}
                  error={fieldErrors.refund}
                >
                  {(ids) => (
                    <input
                      {...ids}
                      className="input input--amount"
                      inputMode="decimal"
                      value={refundValue}
                      onChange={(e) => setRefundText(e.currentTarget.value)}
                    />
                  )}
                </Field>
                <Field label={t('detail.refundReason')} error={fieldErrors.reason}>
                  {(ids) => (
                    <input
                      {...ids}
                      className="input"
                      value={reason}
                      maxLength={200}
                      onChange={(e) => setReason(e.currentTarget.value)}
                    />
                  )}
                </Field>
              </>
            )}
            {kind === 'resendLink' && (
              <Field label={t('detail.resendDelivery')}>
                {(ids) => (
                  <select
                    {...ids}
                    className="input"
                    value={delivery}
                    onChange={(e) => setResendDelivery(e.currentTarget.value as Delivery)}
                  >
                    <option value="sms">{t('entry.deliverySms')}</option>
                    <option value="link_only">{t('entry.deliveryLinkOnly')}</option>
                  </select>
                )}
              </Field>
            )}
            {confirming === kind ? (
              <div className="confirm" role="group" aria-label={label}>
                <p className="confirm__text">{confirmText(kind)}</p>
                <div className="button-row">
                  <button
                    ref={confirmRef}
                    type="button"
                    className={`button ${kind === 'capture' || kind === 'resendLink' ? 'button--primary' : 'button--danger'}`}
                    disabled={busy}
                    onClick={() => void run(kind)}
                  >
                    {t(`detail.confirm.${kind}`)}
                  </button>
                  <button type="button" className="button" onClick={() => setConfirming(null)}>
                    {t('detail.goBack')}
                  </button>
                </div>
              </div>
            ) : (
              <button
                type="button"
                className="button"
                disabled={busy || confirming !== null}
                onClick={() => ask(kind)}
              >
                {label}
              </button>
            )}
          </div>
        );
      })}
      {order.state === 'failed' && (
        <div className="action">
          <button type="button" className="button" disabled={busy} onClick={() => void retry()}>
            {t('detail.retry')}
          </button>
        </div>
      )}
      {error !== undefined && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <p role="status" className="action__done">
        {done ?? ''}
      </p>
    </section>
  );
}

function parseMinor(text: string, order: OrderSummary): number | undefined {
  const p = parseAmount(text, order.currency);
  return p.ok ? p.minor : undefined;
}

function Timeline({ detail }: { detail: OrderDetail }) {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const text = useText();
  const events = detail.events
    .slice()
    .sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : x.id - y.id));
  return (
    <section className="card" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading" className="section-title">
        {t('detail.timeline')}
      </h2>
      <ol className="timeline">
        {events.map((e) => (
          <li key={e.id} className="timeline__item" data-kind={e.kind}>
            <time dateTime={e.at} className="timeline__time">
              {f.dateTime(e.at)}
            </time>
            <span className="timeline__kind">
              {i18n.exists(`event.${e.kind}`)
                ? t(`event.${e.kind}` as 'event.created')
                : t('event.other')}
            </span>
            {e.amount !== undefined && (
              <span className="timeline__amount">{f.money(e.amount, detail.order.currency)}</span>
            )}
            <span className="timeline__actor">
              {t('detail.by', {
                actor: i18n.exists(`actor.${e.actor}`)
                  ? t(`actor.${e.actor}` as 'actor.system')
                  : e.actor,
              })}
            </span>
            {e.message !== undefined ? (
              <span className="timeline__detail">{text(e.message)}</span>
            ) : (
              e.detail !== undefined && <span className="timeline__detail">{e.detail}</span>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
