/**
 * The day close as CSV for the books: one line per order of the day (DayReport.rows).
 *
 * - UTF-8 with a byte-order mark (Excel then reads æøå right), CRLF line endings, a header
 *   line with the stable column names of CSV_COLUMNS.
 * - 'rfc4180': comma separator, amounts with a decimal point ("1299.50").
 *   'nordic': semicolon separator, amounts with a decimal comma ("1299,50"), as Excel in
 *   Norway, Sweden and Denmark opens it.
 * - Quoting as RFC 4180: a field is quoted when it holds the separator, a double quote, CR or
 *   LF; quotes inside are doubled.
 * - Amounts are exact decimal strings of the minor units, never grouped: the currency's
 *   exponent (common/money.ts) for currencies the desk sells in, 2 decimals for any other
 *   ISO code Dintero reports.
 * - Formula injection: a text field (every column but the three amounts) that starts with
 *   =, +, -, @, tab or CR gets a leading apostrophe, so a spreadsheet shows it as text
 *   instead of running it (OWASP "CSV injection"). Amounts are never altered.
 * - session_id is Dintero's session (the payment link as Backoffice knows it);
 *   external_reference the order's number in the shop's other system ('' when none).
 * - status is the order state code (e.g. partially_refunded) and created_at the row's
 *   ISO 8601 time with offset, as given: stable for the books, the same in every language.
 */
import type { DayExportFormat, DayReport, DayRow } from '../../common/day-close';
import { toMajorString } from '../../common/money';

export type CsvStyle = 'rfc4180' | 'nordic';

export const CSV_COLUMNS = [
  'merchant_reference',
  'created_at',
  'desk',
  'staff',
  'status',
  'currency',
  'amount',
  'captured',
  'refunded',
  'payment_method',
  'transaction_id',
  'session_id',
  'external_reference',
] as const;

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text field as a spreadsheet must show it: never as a formula. */
function textField(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

function quoted(field: string, separator: string): string {
  const needs =
    field.includes(separator) ||
    field.includes('"') ||
    field.includes('\r') ||
    field.includes('\n');
  return needs ? `"${field.replaceAll('"', '""')}"` : field;
}

function rowFields(row: DayRow, decimal: string): string[] {
  const amount = (minor: number): string => {
    const text = toMajorString(minor, row.currency);
    return decimal === '.' ? text : text.replace('.', decimal);
  };
  return [
    textField(row.merchantReference),
    textField(row.createdAt),
    textField(row.desk),
    textField(row.staff),
    textField(row.state),
    textField(row.currency),
    amount(row.amount),
    amount(row.captured),
    amount(row.refunded),
    textField(row.paymentMethod),
    textField(row.transactionId),
    textField(row.sessionId),
    textField(row.externalReference),
  ];
}

/** The day's orders as a CSV file (bytes, UTF-8 with BOM). */
export function dayCsv(report: DayReport, style: CsvStyle): Uint8Array {
  const separator = style === 'nordic' ? ';' : ',';
  const decimal = style === 'nordic' ? ',' : '.';
  const line = (fields: readonly string[]): string =>
    fields.map((f) => quoted(f, separator)).join(separator);
  const lines = [line(CSV_COLUMNS)];
  for (const row of report.rows) lines.push(line(rowFields(row, decimal)));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

const EXTENSIONS: Readonly<Record<DayExportFormat, string>> = {
  csv: 'csv',
  csv_nordic: 'csv',
  pdf: 'pdf',
};

/** Letters, digits, dash and dot only; anything else becomes '-'. */
function safe(part: string): string {
  return part.replace(/[^A-Za-z0-9.-]/g, '-');
}

/**
 * The file's name, e.g. paylink-day-2025-03-01-desk.csv,
 * paylink-day-2025-03-01-store-oslo-1-nordic.csv, paylink-day-2025-03-01-desk.pdf.
 */
export function exportFileName(
  report: Pick<DayReport, 'day' | 'scope' | 'storeId' | 'desk'>,
  format: DayExportFormat,
): string {
  const scope =
    report.scope === 'store' && report.storeId !== '' ? `store-${report.storeId}` : report.scope;
  const style = format === 'csv_nordic' ? '-nordic' : '';
  return safe(`paylink-day-${report.day}-${scope}${style}`) + `.${EXTENSIONS[format]}`;
}
