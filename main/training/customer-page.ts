/**
 * The hosted "checkout page" at GET /v1/view/{id}: a tiny HTML page where a trainee playing
 * the customer can pay or decline. Its buttons post to the /__sim control API.
 */
import { formatMinor } from './sms-text';
import type { SimCore } from './state';

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem}
button{font-size:1.1rem;padding:.6rem 1.2rem;margin:.3rem}</style></head>
<body><p><strong>Training checkout</strong> (no real money moves)</p>${body}</body></html>`;
}

/** A small result page, after a form post from the checkout page. */
export function resultPage(message: string): string {
  return layout('Checkout', `<p>${escapeHtml(message)}</p>`);
}

/**
 * The page for one session. `payable` false = shows why (cancelled, expired, paid) instead
 * of the buttons. The caller records the VISITED event.
 */
export function checkoutPage(core: SimCore, sessionId: string, payable: boolean, why = ''): string {
  const s = core.session(sessionId);
  if (!s) return layout('Not found', '<p>This payment link does not exist.</p>');
  const amount = escapeHtml(formatMinor(s.order.amount, s.order.currency));
  const ref = escapeHtml(s.order.merchant_reference);
  const store = escapeHtml(core.config.storeName);
  const id = encodeURIComponent(s.id);
  const action = (what: string): string => `/__sim/customer/${id}/${what}`;
  const buttons = payable
    ? `<form method="post" action="${action('pay')}"><input type="hidden" name="method" value="vipps">
<button type="submit">Pay with Vipps</button></form>
<form method="post" action="${action('pay')}"><input type="hidden" name="method" value="card">
<button type="submit">Pay by card</button></form>
<form method="post" action="${action('decline')}"><button type="submit">Decline</button></form>`
    : `<p>This payment link is no longer available${why ? ` (${escapeHtml(why)})` : ''}.</p>`;
  return layout(`Pay ${store}`, `<h1>${store}</h1><p>Order ${ref}</p><p>${amount}</p>${buttons}`);
}
