/** The order's timeline: each line's label, amount, who, and what happened, in the desk's language. */
import { useActorText, useText } from '../../lib/text';
import { useTranslation } from 'react-i18next';
import type { OrderDetail } from '../../../../common/ipc-contract';
import { useFormat } from '../../lib/format';

export function Timeline({ detail }: { detail: OrderDetail }) {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const text = useText();
  const actorText = useActorText();
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
            <span className="timeline__actor">{t('detail.by', { actor: actorText(e.actor) })}</span>
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
