import type { OrderState } from '../../../common/domain';
import { statusTone, useFormat } from '../lib/format';

/** The one status word for an order, with a tone marker (shape + colour) beside the text. */
export function StatusBadge({ state }: { state: OrderState }) {
  const f = useFormat();
  const tone = statusTone(state);
  return (
    <span className={`status status--${tone}`} data-state={state}>
      <span className="status__mark" aria-hidden="true" />
      <span className="status__word">{f.status(state)}</span>
    </span>
  );
}
