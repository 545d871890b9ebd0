import { useTranslation } from 'react-i18next';
import { shownState } from '../../../common/domain';
import { useFormat } from '../lib/format';
import { orderPhone } from '../lib/phone-display';
import { useAppStore, useOrdersStore } from '../store';
import { StatusBadge } from './StatusBadge';
import { useText } from '../lib/text';

/**
 * The orders just sent from this desk, with their live status (from the store, so every
 * 'order:changed' shows here). A polite live region: "Paid" is announced as it happens.
 */
export function RecentOrders() {
  const { t } = useTranslation();
  const text = useText();
  const f = useFormat();
  const recentIds = useOrdersStore((s) => s.recentIds);
  const byId = useOrdersStore((s) => s.byId);
  const openOrder = useAppStore((s) => s.openOrder);
  const recent = recentIds.map((id) => byId[id]).filter((o) => o !== undefined);
  return (
    <section className="recent" aria-labelledby="recent-heading">
      <h2 id="recent-heading" className="section-title">
        {t('entry.recentHeading')}
      </h2>
      <div aria-live="polite" aria-atomic="false">
        {recent.length === 0 ? (
          <p className="muted">{t('entry.recentEmpty')}</p>
        ) : (
          <ul className="recent__list">
            {recent.map((o) => (
              <li key={o.id} className="recent__item" data-order-id={o.id}>
                <span className="recent__ref">{o.merchantReference}</span>
                <span className="recent__phone">
                  {orderPhone(o.phone, t('customerData.erased'))}
                </span>
                <span className="recent__amount">{f.money(o.amount, o.currency)}</span>
                <StatusBadge state={shownState(o)} />
                {o.lastError !== undefined && (
                  <span className="recent__error">{text(o.lastError)}</span>
                )}
                <button
                  type="button"
                  className="button button--quiet"
                  onClick={() => openOrder(o.id)}
                >
                  {t('entry.openOrder', { reference: o.merchantReference })}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
