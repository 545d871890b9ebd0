/**
 * Payment methods as the day close groups them, and how long each method's authorization
 * holds the money before it lapses (capture before then). Dintero names the method in
 * `payment_product_type` (e.g. "vipps", "bambora.creditcard", "klarna.klarna"); the families
 * here are what staff and accountants recognise. Lifetimes from Dintero's knowledge base
 * ("authorizations"): cards about 7 days, Vipps/MobilePay 7 (Visa) or 30 (Mastercard) days,
 * Klarna 28, Walley 90; where a method has several figures the shortest is used.
 */

export const METHOD_FAMILIES = [
  'vipps',
  'card',
  'klarna',
  'walley',
  'mobilepay',
  'swish',
  'other',
] as const;
export type MethodFamily = (typeof METHOD_FAMILIES)[number];

/** The family of a Dintero payment_product_type; '' (not paid yet) stays ''. */
export function methodFamily(productType: string | undefined): MethodFamily | '' {
  const t = (productType ?? '').trim().toLowerCase();
  if (t === '') return '';
  if (t.includes('vipps')) return 'vipps';
  if (t.includes('mobilepay')) return 'mobilepay';
  if (t.includes('klarna')) return 'klarna';
  if (t.includes('walley') || t.includes('collector')) return 'walley';
  if (t.includes('swish')) return 'swish';
  if (t.includes('card') || t.includes('applepay') || t.includes('googlepay')) return 'card';
  return 'other';
}

/** Days an authorization of this family holds before it may lapse. */
export const AUTHORIZATION_DAYS: Readonly<Record<MethodFamily, number>> = {
  vipps: 7,
  card: 7,
  klarna: 28,
  walley: 90,
  mobilepay: 7,
  // Swish pays at once (no authorization to lapse); treat as the shortest to be safe.
  swish: 7,
  other: 7,
};

const DAY_MS = 86_400_000;

/** When an authorization made at `authorizedAt` is expected to lapse, and whole days left. */
export function authorizationLapse(
  authorizedAt: string,
  family: MethodFamily | '',
  nowMs: number,
): { lapsesAt: string; daysLeft: number } {
  const days = AUTHORIZATION_DAYS[family === '' ? 'other' : family];
  const lapses = Date.parse(authorizedAt) + days * DAY_MS;
  return {
    lapsesAt: new Date(lapses).toISOString(),
    daysLeft: Math.max(0, Math.floor((lapses - nowMs) / DAY_MS)),
  };
}
