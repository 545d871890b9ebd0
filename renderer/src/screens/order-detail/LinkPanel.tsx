/** The payment link and its QR code, with a copy button. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type OrderSummary } from '../../../../common/domain';
import { settle, useApi } from '../../api';
import { Field } from '../../components/Field';

export function LinkPanel({ order }: { order: OrderSummary }) {
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
