/** What can be done with an order, each with its confirmation step, or why not. */
import { type Delivery, type OrderSummary } from '../../../../common/domain';
import type { OrderDetail } from '../../../../common/ipc-contract';
import { Field } from '../../components/Field';
import { PinField } from '../../components/PinField';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../lib/format';
import { useText } from '../../lib/text';
import { useOrderActions, type ActionKind } from './useOrderActions';

const ACTIONS: ActionKind[] = ['capture', 'refund', 'void', 'cancelLink', 'resendLink'];

export function ActionsPanel({
  order,
  detail,
  onDone,
}: {
  order: OrderSummary;
  detail: OrderDetail;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const text = useText();
  const {
    confirming,
    setConfirming,
    setCaptureText,
    setRefundText,
    reason,
    setReason,
    reasonChoices,
    reasonText,
    setReasonText,
    needsPin,
    managerPin,
    setManagerPin,
    limitMinor,
    setResendDelivery,
    fieldErrors,
    error,
    done,
    busy,
    confirmRef,
    a,
    captureMax,
    refundMax,
    captureValue,
    refundValue,
    delivery,
    ask,
    run,
    retry,
    confirmText,
  } = useOrderActions(order, detail, onDone);
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
                    <select
                      {...ids}
                      className="input"
                      value={reason}
                      onChange={(e) => setReason(e.currentTarget.value)}
                    >
                      <option value="">{t('detail.chooseReason')}</option>
                      {reasonChoices.map((c) => (
                        <option key={c.value} value={c.value}>
                          {c.label}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field label={t('detail.refundReasonText')}>
                  {(ids) => (
                    <input
                      {...ids}
                      className="input"
                      value={reasonText}
                      maxLength={200}
                      onChange={(e) => setReasonText(e.currentTarget.value)}
                    />
                  )}
                </Field>
                {needsPin && (
                  <PinField
                    label={t('detail.managerPin')}
                    hint={
                      limitMinor !== undefined
                        ? t('detail.approvalAbove', {
                            amount: f.money(limitMinor, order.currency),
                          })
                        : undefined
                    }
                    value={managerPin}
                    onChange={setManagerPin}
                  />
                )}
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
