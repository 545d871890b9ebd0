/**
 * The one redaction rule of the app. Everything that leaves main as text a person or a file
 * could read (log lines, error messages, crash reports) passes through here, so client
 * secrets, tokens and full phone numbers never do.
 *
 * - Known secrets (the client secret, issued access tokens) are registered at runtime and
 *   replaced wherever they appear.
 * - Values under sensitive keys (secret, token, password, authorization, ...) are replaced.
 * - Bearer/Basic credentials and JWT-shaped strings are replaced.
 * - Phone numbers (E.164 or long digit runs) keep only their last two digits.
 */

const SENSITIVE_KEY =
  /secret|token|password|passwd|^pin|pins?$|authorization|cookie|api[-_]?key|bearer/i;
const PHONE_KEY = /phone|msisdn|mobile/i;
const REDACTED = '[redacted]';

const knownSecrets = new Set<string>();

/** Remember a secret value (client secret, access token) so it is scrubbed everywhere. */
export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 6) knownSecrets.add(value);
}

/** Forget a secret (after it was cleared or rotated). Old tokens stay registered. */
export function forgetSecret(value: string): void {
  knownSecrets.delete(value);
}

/** Masks a phone number to its country prefix and last two digits: +47 ••• ••• 67. */
export function maskPhone(raw: string): string {
  const digits = raw.replace(/\D/g, '');
  if (digits.length < 4) return '•••';
  const cc = raw.trim().startsWith('+') ? `+${digits.slice(0, 2)} ` : '';
  return `${cc}••• ••• ${digits.slice(-2)}`;
}

const PHONE_PATTERNS: readonly RegExp[] = [
  // +47 912 34 567, +4791234567, 0047 91234567, and runs of 8+ digits with separators.
  /(?:\+|\b00)\d(?:[ .-]?\d){6,16}(?!\d)/g,
  // Spaced national numbers (912 34 567); not ISO dates, times, account ids (P12345678),
  // references or JSON numbers.
  /(?<![A-Za-z0-9:.-])\d(?:[ ]?\d){7,14}(?![\d:.-])/g,
];

const PATTERNS: Array<[RegExp, (m: string) => string]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, (m) => `${m.split(/\s+/)[0]} ${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, () => REDACTED],
  ...PHONE_PATTERNS.map((re): [RegExp, (m: string) => string] => [re, maskPhone]),
];

/** Replaces every phone number the redaction recognises in `text` with `by`, whole. */
export function replacePhoneNumbers(text: string, by: string): string {
  let out = text;
  for (const re of PHONE_PATTERNS) out = out.replace(re, by);
  return out;
}

/** Scrubs one string. */
export function redactText(text: string): string {
  let out = text;
  for (const s of knownSecrets) {
    if (out.includes(s)) out = out.split(s).join(REDACTED);
  }
  for (const [re, fn] of PATTERNS) out = out.replace(re, fn);
  return out;
}

/** Deep-copies a value with every string scrubbed and sensitive keys replaced. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[deep]';
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    return {
      name: value.name,
      message: redactText(value.message),
      stack: value.stack ? redactText(value.stack) : undefined,
    };
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (SENSITIVE_KEY.test(k)) out[k] = v == null ? v : REDACTED;
    else if (PHONE_KEY.test(k) && typeof v === 'string') out[k] = maskPhone(v);
    else out[k] = redact(v, depth + 1);
  }
  return out;
}
