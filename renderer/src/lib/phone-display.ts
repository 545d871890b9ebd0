/** Showing stored E.164 numbers to staff in readable groups, and masking them on the board. */
import { isErasedPhone, type PhoneCountry } from '../../../common/domain';
import { parseCustomerPhone } from '../../../common/phone';

const cache = new Map<string, string>();

/** E.164 in international groups (+47 912 34 567); the raw value if it cannot be parsed. */
export function displayPhone(e164: string): string {
  let shown = cache.get(e164);
  if (shown === undefined) {
    const parsed = parseCustomerPhone(e164, 'NO' satisfies PhoneCountry);
    shown = parsed.ok ? parsed.international : e164;
    if (cache.size > 20_000) cache.clear();
    cache.set(e164, shown);
  }
  return shown;
}

/**
 * An order's phone as staff see it: `erasedWord` (from the catalog) once the customer's data
 * was erased, else readable groups, masked to the last three digits when `masked`.
 */
export function orderPhone(phone: string, erasedWord: string, masked = false): string {
  if (isErasedPhone(phone)) return erasedWord;
  return masked ? maskPhone(phone) : displayPhone(phone);
}

/** Hides all but the country code and the last three digits: +47 ••• •• 567. */
export function maskPhone(e164: string): string {
  const shown = displayPhone(e164);
  const sp = shown.indexOf(' ');
  const cc = sp > 0 ? shown.slice(0, sp + 1) : '';
  const rest = sp > 0 ? shown.slice(sp + 1) : shown;
  const total = rest.replace(/\D/g, '').length;
  let seen = 0;
  return cc + rest.replace(/\d/g, (d) => (++seen > total - 3 ? d : '•'));
}
