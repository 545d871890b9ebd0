/**
 * The query strings of Dintero's list endpoints (GET /v1/sessions, GET /v1/transactions,
 * GET /v1/accounts/{aid}/settlements), built once: the real client and the in-memory test
 * double send exactly the same parameters.
 */
import type { SessionListQuery, SettlementListQuery, TransactionListQuery } from './types';

/** `limit` as Dintero takes it: an integer 1..100 (100 for anything unusable). */
export const clampLimit = (n: number): number =>
  Number.isFinite(n) ? Math.min(100, Math.max(1, Math.trunc(n))) : 100;
/** GET /v1/sessions query parameters (repeatable id, store_id). */
export function sessionParams(q: SessionListQuery): URLSearchParams {
  const p = new URLSearchParams();
  for (const id of q.ids ?? []) p.append('id', id);
  if (q.search !== undefined) p.set('search', q.search);
  if (q.createdGte !== undefined) p.set('created_at.gte', q.createdGte);
  if (q.createdLte !== undefined) p.set('created_at.lte', q.createdLte);
  for (const store of q.storeIds ?? []) p.append('store_id', store);
  if (q.limit !== undefined) p.set('limit', String(clampLimit(q.limit)));
  if (q.startingAfter !== undefined) p.set('starting_after', q.startingAfter);
  return p;
}

/** GET /v1/transactions query parameters (repeatable id, session_id, store_id). */
export function transactionParams(q: TransactionListQuery): URLSearchParams {
  const p = new URLSearchParams();
  for (const id of q.ids ?? []) p.append('id', id);
  for (const sid of q.sessionIds ?? []) p.append('session_id', sid);
  if (q.merchantReference !== undefined) p.set('merchant_reference', q.merchantReference);
  if (q.createdGte !== undefined) p.set('created_at.gte', q.createdGte);
  if (q.createdLte !== undefined) p.set('created_at.lte', q.createdLte);
  for (const store of q.storeIds ?? []) p.append('store_id', store);
  if (q.limit !== undefined) p.set('limit', String(clampLimit(q.limit)));
  if (q.startingAfter !== undefined) p.set('starting_after', q.startingAfter);
  return p;
}

/** The settlements' `limit`: an integer 1..1000 (100 for anything unusable). */
export const clampSettlementLimit = (n: number): number =>
  Number.isFinite(n) ? Math.min(1000, Math.max(1, Math.trunc(n))) : 100;

/** GET /v1/accounts/{aid}/settlements query parameters; the cursor's two halves go together. */
export function settlementParams(q: SettlementListQuery): URLSearchParams {
  const p = new URLSearchParams();
  if (q.settledGte !== undefined) p.set('created_at.gte', q.settledGte);
  if (q.settledLte !== undefined) p.set('created_at.lte', q.settledLte);
  if (q.limit !== undefined) p.set('limit', String(clampSettlementLimit(q.limit)));
  if (q.startingAfter !== undefined) {
    p.set('starting_after_id', q.startingAfter.id);
    p.set('starting_after_date', q.startingAfter.settledAt);
  }
  return p;
}
