/**
 * The day close's CSV: read back with a real CSV parser in both styles, every field equals
 * the report's row (amounts øre for øre), with BOM, CRLF, RFC 4180 quoting, no grouping and
 * formula-like text defused; and the export file names.
 */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { DayRow } from '../../../common/day-close';
import { toMajorString } from '../../../common/money';
import { CSV_COLUMNS, dayCsv, exportFileName, type CsvStyle } from '../../../main/day-close/csv';
import { bigReport, makeReport, row } from './report-fixture';

const STYLES: readonly { style: CsvStyle; delimiter: string; decimal: string }[] = [
  { style: 'rfc4180', delimiter: ',', decimal: '.' },
  { style: 'nordic', delimiter: ';', decimal: ',' },
];

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

function read(bytes: Uint8Array, delimiter: string): string[][] {
  return parse(Buffer.from(bytes), { bom: true, delimiter });
}

/** Minor units back from an exported amount ("1299,50" or "1299.50", 2 decimals here). */
function minor(field: string, decimal: string): number {
  const m = new RegExp(`^(-?)(\\d+)\\${decimal}(\\d{2})$`).exec(field);
  if (!m) throw new Error(`not an amount: ${JSON.stringify(field)}`);
  const value = Number(m[2]! + m[3]!);
  return m[1] === '-' ? -value : value;
}

/** A text field as the export must write it (formula-like starts get an apostrophe). */
const guarded = (s: string): string => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

const textOf = (r: DayRow): string[] => [
  r.merchantReference,
  r.createdAt,
  r.desk,
  r.staff,
  r.state,
  r.currency,
  r.paymentMethod,
  r.transactionId,
  r.sessionId,
  r.externalReference,
];

describe.each(STYLES)('day CSV ($style)', ({ style, delimiter, decimal }) => {
  const report = makeReport();
  const bytes = dayCsv(report, style);
  const records = read(bytes, delimiter);

  it('starts with a UTF-8 byte-order mark and the header', () => {
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(records[0]).toEqual([...CSV_COLUMNS]);
    expect(text(bytes).slice(1).split('\r\n')[0]).toBe(CSV_COLUMNS.join(delimiter));
  });

  it('reads back every field of every row exactly', () => {
    expect(records).toHaveLength(report.rows.length + 1);
    report.rows.forEach((r, i) => {
      const rec = records[i + 1]!;
      expect(rec).toHaveLength(CSV_COLUMNS.length);
      const get = (name: (typeof CSV_COLUMNS)[number]): string => rec[CSV_COLUMNS.indexOf(name)]!;
      expect(
        [
          'merchant_reference',
          'created_at',
          'desk',
          'staff',
          'status',
          'currency',
          'payment_method',
          'transaction_id',
          'session_id',
          'external_reference',
        ].map((n) => get(n as (typeof CSV_COLUMNS)[number])),
      ).toEqual(textOf(r).map(guarded));
      expect(minor(get('amount'), decimal)).toBe(r.amount);
      expect(minor(get('captured'), decimal)).toBe(r.captured);
      expect(minor(get('refunded'), decimal)).toBe(r.refunded);
    });
  });

  it('keeps the tricky names whole', () => {
    const staff = records.slice(1).map((rec) => rec[CSV_COLUMNS.indexOf('staff')]);
    expect(staff).toContain('Øyvind Ærø, "Åse" Ås');
    expect(staff).toContain('Line one\r\nLine two');
    expect(staff).toContain('ÆØÅ æøå ÄÖ äö');
    expect(staff).toContain('Kari 😀 O’Brien');
    expect(staff).toContain(`'=HYPERLINK("http://evil.example","klikk")`);
    expect(staff).toContain("'\tTabbed");
    const refs = records.slice(1).map((rec) => rec[0]);
    expect(refs).toContain("'+47 Åse Ærø");
    expect(records.slice(1).map((rec) => rec[CSV_COLUMNS.indexOf('desk')])).toContain("'-Kasse; 2");
  });

  it("has Dintero's session ID as session_id and the other system's order number as external_reference", () => {
    const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
    const first = records[1]!;
    expect(first[col('session_id')]).toBe(report.rows[0]!.sessionId);
    expect(first[col('session_id')]).toMatch(/^T\d+\./);
    expect(first[col('external_reference')]).toBe('SO-2025-000123');
    const byRef = (ref: string) => records.find((rec) => rec[0] === ref)!;
    // Learned from Dintero: its merchant_reference_2.
    expect(byRef('shop-web-00017')[col('external_reference')]).toBe('ERP-77');
    // Formula-like and quoted, still read back whole.
    expect(records.map((rec) => rec[col('external_reference')])).toContain(`'=ERP;"4711"`);
    // No order number: an empty field, never the session.
    expect(byRef('KASSE1-20250301-9')[col('external_reference')]).toBe('');
  });

  it('writes amounts as plain decimals, never grouped, the status as its code', () => {
    const amounts = records.slice(1).flatMap((rec) => [6, 7, 8].map((i) => rec[i]!));
    for (const a of amounts) expect(a).toMatch(new RegExp(`^\\d+\\${decimal}\\d{2}$`));
    const big = records.find((rec) => rec[CSV_COLUMNS.indexOf('amount')]!.startsWith('21474836'));
    expect(big?.[CSV_COLUMNS.indexOf('amount')]).toBe(`21474836${decimal}47`);
    expect(big?.[CSV_COLUMNS.indexOf('status')]).toBe('partially_refunded');
    expect(amounts).toContain(`1299${decimal}50`);
    expect(amounts).toContain(`0${decimal}00`);
    expect(amounts).toContain(`0${decimal}01`);
    const gbp = records.find((rec) => rec[CSV_COLUMNS.indexOf('currency')] === 'GBP');
    expect(gbp?.[CSV_COLUMNS.indexOf('amount')]).toBe(`1299${decimal}50`);
  });

  it('ends every line with CRLF and quotes only what needs it', () => {
    const body = text(bytes).slice(1);
    expect(body.endsWith('\r\n')).toBe(true);
    // Bare LF only inside the quoted name that holds CR LF.
    const outside = body.replace(/"(?:[^"]|"")*"/g, '');
    expect(outside).not.toMatch(/\r(?!\n)|(?<!\r)\n/);
    expect(outside.split('\r\n')).toHaveLength(report.rows.length + 2);
    expect(body).toContain(`${delimiter}"Øyvind Ærø, ""Åse"" Ås"${delimiter}`);
    expect(body).toContain(`${delimiter}"Line one\r\nLine two"${delimiter}`);
    expect(body).toContain(`\r\nKASSE1-20250301-1${delimiter}2025-03-01T09:05:00.000+01:00`);
  });
});

describe('day CSV edge cases', () => {
  it('writes only the header for a day without orders', () => {
    const bytes = dayCsv(makeReport([]), 'rfc4180');
    expect(text(bytes)).toBe(`\uFEFF${CSV_COLUMNS.join(',')}\r\n`);
  });

  it('never alters an amount, even a negative one, while guarding text', () => {
    const r = row({ merchantReference: '-R1', amount: 5, captured: -5, refunded: 0 });
    const [, rec] = read(dayCsv(makeReport([r]), 'rfc4180'), ',');
    expect(rec![0]).toBe("'-R1");
    expect(rec![6]).toBe('0.05');
    expect(rec![7]).toBe('-0.05');
  });

  it("quotes a field that holds the style's separator, not the other one", () => {
    const r = row({ staff: 'A;B', desk: 'C,D' });
    expect(text(dayCsv(makeReport([r]), 'nordic'))).toContain(';C,D;"A;B";');
    expect(text(dayCsv(makeReport([r]), 'rfc4180'))).toContain(',"C,D",A;B,');
  });

  it('quotes a lone CR or LF inside a field', () => {
    const r = row({ staff: 'A\rB', desk: 'C\nD' });
    const body = text(dayCsv(makeReport([r]), 'rfc4180'));
    expect(body).toContain(',"C\nD","A\rB",');
    const [, rec] = read(dayCsv(makeReport([r]), 'rfc4180'), ',');
    expect([rec![2], rec![3]]).toEqual(['C\nD', 'A\rB']);
  });

  it('uses two decimals for a currency the desk does not sell in', () => {
    expect(toMajorString(5, 'GBP')).toBe('0.05');
    expect(toMajorString(129950, 'XYZ')).toBe('1299.50');
    expect(toMajorString(129950, 'NOK')).toBe('1299.50');
    expect(() => toMajorString(1.5, 'GBP')).toThrow(RangeError);
  });

  it('writes 5,000 rows (how fast: `npm run bench`, bench 7)', () => {
    const bytes = dayCsv(bigReport(5000), 'nordic');
    expect(read(bytes, ';')).toHaveLength(5001);
  });
});

describe('export file names', () => {
  const base = { day: '2025-03-01', scope: 'desk', storeId: 'oslo-1', desk: 'Kasse 1' } as const;

  it('names the day, the scope and the style', () => {
    expect(exportFileName(base, 'csv')).toBe('paylink-day-2025-03-01-desk.csv');
    expect(exportFileName(base, 'pdf')).toBe('paylink-day-2025-03-01-desk.pdf');
    expect(exportFileName({ ...base, scope: 'store' }, 'csv_nordic')).toBe(
      'paylink-day-2025-03-01-store-oslo-1-nordic.csv',
    );
    expect(exportFileName({ ...base, scope: 'store' }, 'pdf')).toBe(
      'paylink-day-2025-03-01-store-oslo-1.pdf',
    );
  });

  it('keeps only letters, digits, dashes and dots', () => {
    const name = exportFileName({ ...base, scope: 'store', storeId: 'Bodø/..\\ "1"' }, 'csv');
    expect(name).toBe('paylink-day-2025-03-01-store-Bod--..---1-.csv');
    expect(name).toMatch(/^[A-Za-z0-9.-]+$/);
  });
});
