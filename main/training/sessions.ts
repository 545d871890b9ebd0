/**
 * Checkout sessions in the simulator: create (with the SMS publish), read, list, cancel.
 * Customer actions (open, pay, decline, expire) live in customer.ts.
 */
import type { PublishStatus } from '../dintero/types';
import { checkoutId, requestId, shortId } from './ids';
import { ApiError } from './http-io';
import { settlePendingFor, voidNow } from './money';
import type { CreateSessionBody } from './request-schemas';
import { smsText } from './sms-text';
import type { SimCore } from './state';
import type { SimSession } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Appends a session event and bumps updated_at. */
export function addSessionEvent(
  core: SimCore,
  s: SimSession,
  name: string,
  details?: Record<string, unknown>,
): void {
  const at = core.iso();
  s.events.push(
    core.written.stamp({
      id: shortId(),
      name,
      created_at: at,
      request_id: requestId(),
      ...(details ? { details } : {}),
    }),
  );
  s.updated_at = at;
}

/** The hosted checkout page of a session (served by the simulator itself). */
export function viewUrl(core: SimCore, sessionId: string): string {
  return `${core.baseUrl}/v1/view/${sessionId}`;
}

function checkAmounts(body: CreateSessionBody, strict: boolean): void {
  const items = body.order.items ?? [];
  const seen = new Set<string>();
  for (const [i, item] of items.entries()) {
    if (seen.has(item.line_id)) {
      throw new ApiError(400, 'INVALID_REQUEST_PARAMETERS', 'order.items line_id must be unique', [
        { field: `order.items.${i}.line_id`, message: 'duplicate line_id', code: 'duplicate' },
      ]);
    }
    seen.add(item.line_id);
  }
  // Dintero-Feature-Toggles: strict-session-amounts ([S24] parameters.FeatureToggles).
  if (strict && items.length > 0) {
    const sum =
      items.reduce((a, it) => a + it.amount, 0) + (body.order.shipping_option?.amount ?? 0);
    if (sum !== body.order.amount) {
      throw new ApiError(400, 'INVALID_REQUEST_PARAMETERS', 'order.amount must equal the items', [
        { field: 'order.amount', message: 'must equal the sum of items', code: 'amount_mismatch' },
      ]);
    }
  }
}

/**
 * Publishes the link. Only `checkout-link` over `sms` is sent; it is `skipped` without a
 * phone number and for T (test) accounts, where Dintero sends no SMS (docs: "SMS messages
 * are not sent for test sessions"; which status it reports there is undocumented, so
 * 'skipped' is our choice). Push and `app`/`terminal` publishing are not simulated: skipped.
 */
function publish(core: SimCore, s: SimSession, amount: number, currency: string): PublishStatus[] {
  const out: PublishStatus[] = [];
  for (const entry of s.configuration.publish ?? []) {
    const phone = s.customer?.phone_number;
    const sendable =
      entry.type === 'checkout-link' &&
      entry.channel === 'sms' &&
      phone !== undefined &&
      !core.accountId.startsWith('T');
    const status: PublishStatus = {
      id: shortId(),
      type: entry.type,
      channel: entry.channel,
      status: sendable ? 'sent' : 'skipped',
    };
    if (sendable) {
      const url = viewUrl(core, s.id);
      core.recordSms({
        id: shortId(),
        at: core.iso(),
        to: phone,
        text: smsText(core.config.storeName, amount, currency, url),
        url,
        sessionId: s.id,
      });
    }
    out.push(status);
  }
  return out;
}

/** POST /v1/sessions-profile: stores the session, texts the link, answers Dintero's 200. */
export function createSession(
  core: SimCore,
  body: CreateSessionBody,
  opts: { includeSession: boolean; strictAmounts: boolean },
): Record<string, unknown> {
  checkAmounts(body, opts.strictAmounts);
  const now = core.iso();
  const id = checkoutId(core.accountId);
  const { profile_id, url, customer, order, configuration, expires_at, metadata } = body;
  const s: SimSession = {
    id,
    created_at: now,
    updated_at: now,
    // Default lifetime when expires_at is absent is undocumented; 24 h is our choice.
    expires_at: expires_at
      ? new Date(Date.parse(expires_at)).toISOString()
      : new Date(core.now() + DAY_MS).toISOString(),
    url,
    order: { ...order },
    ...(customer ? { customer } : {}),
    configuration: {
      ...(configuration?.channel ? { channel: configuration.channel } : {}),
      ...(configuration?.auto_capture !== undefined
        ? { auto_capture: configuration.auto_capture }
        : {}),
      ...(configuration?.publish ? { publish: configuration.publish.map((p) => ({ ...p })) } : {}),
    },
    events: [],
    metadata: { ...metadata, 'session:profile_id': profile_id },
  };
  core.sessions.set(id, core.written.stamp(s));
  addSessionEvent(core, s, 'INITIATED');
  const ref = order.merchant_reference;
  core.stats.sessionsCreated[ref] = (core.stats.sessionsCreated[ref] ?? 0) + 1;
  const published = publish(core, s, order.amount, order.currency);
  if (s.configuration.publish) s.configuration.publish = published;
  core.changed();
  return {
    id,
    url: viewUrl(core, id),
    ...(published.length > 0 ? { publish: published } : {}),
    ...(opts.includeSession ? { session: structuredClone(s) } : {}),
  };
}

/** GET /v1/sessions/{id}: the session or 404. */
export function requireSession(core: SimCore, id: string): SimSession {
  const s = core.session(id);
  if (!s) throw new ApiError(404, 'NOT_FOUND', 'Session not found');
  return s;
}

/**
 * POST /v1/sessions/{id}/cancel. Voids an INITIATED/AUTHORIZED transaction; refused (400)
 * for any other transaction state, as the spec says. Cancelling an already-cancelled session
 * answers 200 with the session unchanged (undocumented; our choice, so a retried cancel whose
 * first answer was lost does no harm).
 */
export function cancelSession(core: SimCore, id: string): SimSession {
  const s = requireSession(core, id);
  if (s.cancelled_at) return s;
  if (s.transaction_id) settlePendingFor(core, s.transaction_id);
  const tx = s.transaction_id ? core.transactions.get(s.transaction_id) : undefined;
  if (tx && tx.status !== 'INITIATED' && tx.status !== 'AUTHORIZED') {
    throw new ApiError(
      400,
      'SESSION_CANCEL_NOT_ALLOWED',
      `Cannot cancel a session whose transaction is ${tx.status}`,
    );
  }
  if (tx) voidNow(core, tx, requestId());
  s.cancelled_at = core.iso();
  s.cancelled_by = core.config.credentials.clientId;
  addSessionEvent(core, s, 'CANCELLED');
  core.changed();
  return s;
}
