/**
 * One order: what it is, its link and QR code, what can be done with it, and its timeline.
 * Money actions go through a confirmation step; an action that is not possible says why
 * instead of showing a dead button. The summary is live (store); the timeline and the
 * allowed actions are fetched again whenever the order changes.
 */
import { errorText } from '../lib/text';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { shownState } from '../../../common/domain';
import type { OrderDetail } from '../../../common/ipc-contract';
import { settle, useApi } from '../api';
import { StatusBadge } from '../components/StatusBadge';
import { useAppStore, useOrdersStore } from '../store';
import { ActionsPanel } from './order-detail/ActionsPanel';
import { LinkPanel } from './order-detail/LinkPanel';
import { OrderFacts } from './order-detail/OrderFacts';
import { Timeline } from './order-detail/Timeline';

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
