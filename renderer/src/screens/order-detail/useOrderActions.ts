/** The actions of the order detail screen: what staff typed, asked and confirmed. */
import { errorText } from '../../lib/text';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type ActionAvailability,
  type Delivery,
  type OrderSummary,
} from '../../../../common/domain';
import type { OrderDetail } from '../../../../common/ipc-contract';
import { currencyExponent, parseAmount } from '../../../../common/money';
import { REFUND_REASON_CODES, type RefundReasonCode } from '../../../../common/refund-reason';
import { settle, useApi } from '../../api';
import { useFormat } from '../../lib/format';
import { hiddenTextProblem } from '../../lib/hidden-text';
import { useAppStore, useOrdersStore } from '../../store';

/** The actions the detail screen offers. */
export type ActionKind = 'capture' | 'refund' | 'void' | 'cancelLink' | 'resendLink';

/**
 * The state and handlers behind the detail screen's actions: amounts and reason as typed, the
 * confirmation step, the call to main and its outcome, and a notification's capture intent
 * (the confirmation opened, never the capture itself).
 */
export function useOrderActions(order: OrderSummary, detail: OrderDetail, onDone: () => void) {
  const { t } = useTranslation();
  const api = useApi();
  const f = useFormat();
  const upsert = useOrdersStore((s) => s.upsert);
  const [confirming, setConfirming] = useState<ActionKind | null>(null);
  const [captureText, setCaptureText] = useState<string>();
  const [refundText, setRefundText] = useState<string>();
  /** The chosen reason: a built-in code, or one of the shop's reasons ('' none yet). */
  const [reason, setReason] = useState('');
  const [reasonText, setReasonText] = useState('');
  const [managerPin, setManagerPin] = useState('');
  /** Main asked for the manager PIN (the limit changed meanwhile, or a wrong PIN). */
  const [pinAsked, setPinAsked] = useState(false);
  const access = useAppStore((s) => s.access);
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
  const ownReasons = access?.refundReasons ?? [];
  /** The reasons offered: the shop's own, else the built-in list (value, words). */
  const reasonChoices: { value: string; label: string }[] =
    ownReasons.length > 0
      ? ownReasons.map((r) => ({ value: `label:${r}`, label: r }))
      : REFUND_REASON_CODES.map((c) => ({ value: `code:${c}`, label: t(`refundReason.${c}`) }));
  const limit = access?.refundApprovalAbove ?? null;
  const limitMinor = limit === null ? undefined : limit * 10 ** currencyExponent(order.currency);
  const refundMinor = parseMinor(refundValue, order);
  /** The manager PIN field shows for a refund above the limit (or when main asked). */
  const needsPin =
    pinAsked || (limitMinor !== undefined && refundMinor !== undefined && refundMinor > limitMinor);

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
      if (!reasonChoices.some((c) => c.value === reason)) {
        setFieldErrors({ reason: t('detail.reasonRequired') });
        return;
      }
      const hidden = hiddenTextProblem(t, 'reason', reasonText);
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
                  reason: reason.startsWith('code:')
                    ? { code: reason.slice('code:'.length) as RefundReasonCode }
                    : { label: reason.slice('label:'.length) },
                  ...(reasonText.trim() !== '' ? { reasonText: reasonText.trim() } : {}),
                  ...(needsPin && managerPin !== '' ? { managerPin } : {}),
                }),
              )
            : kind === 'void'
              ? await settle(api.orders.void({ id: order.id }))
              : kind === 'cancelLink'
                ? await settle(api.orders.cancelLink({ id: order.id }))
                : await settle(api.orders.resendLink({ id: order.id, delivery }));
      setConfirming(null);
      setManagerPin('');
      if (r.ok) {
        upsert(r.value);
        setDone(t(`detail.done.${kind}`));
        setCaptureText(undefined);
        setRefundText(undefined);
        setReason('');
        setReasonText('');
        setPinAsked(false);
        onDone();
      } else {
        if (r.error.code === 'approval_required' || r.error.code === 'wrong_pin') {
          setPinAsked(true);
        }
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
          reason: [reasonChoices.find((c) => c.value === reason)?.label ?? '', reasonText.trim()]
            .filter(Boolean)
            .join(': '),
        });
      case 'void':
        return t('detail.confirmVoid', { amount: f.money(order.authorizedAmount, order.currency) });
      case 'cancelLink':
        return t('detail.confirmCancelLink');
      case 'resendLink':
        return t('detail.confirmResendLink');
    }
  };

  return {
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
  };
}

function parseMinor(text: string, order: OrderSummary): number | undefined {
  const p = parseAmount(text, order.currency);
  return p.ok ? p.minor : undefined;
}
