/**
 * The text of the payment-link SMS the simulator "sends". Dintero's real wording and
 * language are undocumented; this is a plausible stand-in that shows amount and link.
 */

/** Formats minor units as money with the currency's own exponent: 29990 NOK -> "NOK 299.90". */
export function formatMinor(amount: number, currency: string): string {
  const digits = currencyDigits(currency);
  return `${currency} ${(amount / 10 ** digits).toFixed(digits)}`;
}

/** Minor-unit digits of a currency per ICU (NOK 2, JPY 0); 2 for codes ICU does not know. */
function currencyDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    );
  } catch {
    return 2;
  }
}

/** "<Store>: pay NOK 299.90 here: <url>". */
export function smsText(storeName: string, amount: number, currency: string, url: string): string {
  return `${storeName}: pay ${formatMinor(amount, currency)} here: ${url}`;
}
