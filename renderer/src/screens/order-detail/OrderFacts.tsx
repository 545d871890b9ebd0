/** An order's facts: amount, what was paid, captured and refunded, customer, delivery, times. */
import { useActorText, useText } from '../../lib/text';
import { useTranslation } from 'react-i18next';
import { type OrderSummary } from '../../../../common/domain';
import { useFormat } from '../../lib/format';
import { orderPhone } from '../../lib/phone-display';
import { useAppStore } from '../../store';

export function OrderFacts({ order }: { order: OrderSummary }) {
  const { t } = useTranslation();
  const f = useFormat();
  const text = useText();
  const actorText = useActorText();
  const openOrder = useAppStore((s) => s.openOrder);
  const m = (minor: number): string => f.money(minor, order.currency);
  const rows: [string, string][] = [
    [t('detail.amount'), m(order.amount)],
    [t('detail.phone'), orderPhone(order.phone, t('customerData.erased'))],
  ];
  if (order.customerErasedAt)
    rows.push([t('detail.customerErased'), f.dateTime(order.customerErasedAt)]);
  if (order.customerName) rows.push([t('detail.customer'), order.customerName]);
  if (order.email) rows.push([t('detail.email'), order.email]);
  if (order.note) rows.push([t('detail.note'), order.note]);
  if (order.externalReference) {
    rows.push([t('entry.externalReference'), order.externalReference]);
  }
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
  rows.push([t('detail.createdBy'), actorText(order.createdBy)]);
  if (order.originDesk) {
    rows.push([t('detail.sentFrom'), t('detail.otherDesk', { desk: order.originDesk })]);
  }
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
