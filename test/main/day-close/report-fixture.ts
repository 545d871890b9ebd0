/**
 * Day reports for the export tests: two currencies the desk sells in (NOK, SEK) and one it
 * does not (GBP, learned from Dintero), names with commas, quotes, line breaks, Norwegian
 * letters, an emoji and formula-like starts, amounts from 0 to int32.
 */
import {
  DAY_FIGURES,
  type CurrencyDay,
  type DayFigure,
  type DayFigureKind,
  type DayReport,
  type DayRow,
  type MethodDay,
} from '../../../common/day-close';
import type { OrderState } from '../../../common/domain';
import { msg } from '../../../common/i18n/messages';

export const DAY = '2025-03-01';
export const DESK = 'Kasse Ålesund';

let seq = 0;

/** A journal row of the day with plain values; `partial` overrides any of them. */
export function row(partial: Partial<DayRow> = {}): DayRow {
  seq += 1;
  return {
    orderId: `order-${seq}`,
    merchantReference: `KASSE1-20250301-${seq}`,
    createdAt: '2025-03-01T09:05:00.000+01:00',
    desk: 'Kasse 1',
    staff: 'Kasse 1',
    state: 'captured',
    currency: 'NOK',
    amount: 129950,
    captured: 129950,
    refunded: 0,
    paymentMethod: 'vipps',
    transactionId: `T1000000${seq}.5TqcmSBz2dQ8qm8NfQe5kV`,
    sessionId: `T1000000${seq}.5TqcmSBz2dQ8qm8NfQe5kW`,
    externalReference: '',
    source: 'journal',
    ...partial,
  };
}

/** The rows every test reads, tricky values included. */
export function trickyRows(): DayRow[] {
  seq = 0;
  return [
    row({
      merchantReference: 'KASSE1-20250301-1',
      createdAt: '2025-03-01T09:05:00.000+01:00',
      externalReference: 'SO-2025-000123',
    }),
    row({
      createdAt: '2025-03-01T09:40:12.345+01:00',
      staff: 'Øyvind Ærø, "Åse" Ås',
      state: 'partially_refunded',
      amount: 2147483647,
      captured: 2147483647,
      refunded: 100050,
      paymentMethod: 'card',
    }),
    row({
      createdAt: '2025-03-01T10:15:00.000+01:00',
      staff: 'Line one\r\nLine two',
      externalReference: '=ERP;"4711"',
      state: 'authorized',
      amount: 49900,
      captured: 0,
      paymentMethod: 'klarna',
    }),
    row({
      createdAt: '2025-03-01T11:00:00.000+01:00',
      staff: 'Märta Öberg',
      state: 'link_sent',
      currency: 'SEK',
      amount: 5000,
      captured: 0,
      paymentMethod: '',
      transactionId: '',
    }),
    row({
      createdAt: '2025-03-01T11:30:00.000+01:00',
      staff: '=HYPERLINK("http://evil.example","klikk")',
      state: 'refunded',
      currency: 'SEK',
      amount: 100,
      captured: 100,
      refunded: 100,
      paymentMethod: 'swish',
    }),
    row({
      orderId: undefined,
      merchantReference: 'shop-web-00017',
      createdAt: '2025-03-01T12:00:00.000+01:00',
      desk: '',
      staff: '',
      state: 'captured',
      currency: 'GBP',
      amount: 129950,
      captured: 129950,
      paymentMethod: 'other',
      externalReference: 'ERP-77',
      source: 'dintero',
    }),
    row({
      createdAt: '2025-03-01T12:30:00.000+01:00',
      desk: 'Kasse 😀',
      staff: 'Kari 😀 O’Brien',
      state: 'declined',
      amount: 1,
      captured: 0,
      paymentMethod: '',
    }),
    row({
      createdAt: '2025-03-01T13:00:00.000+01:00',
      desk: '-Kasse; 2',
      staff: '\tTabbed',
      state: 'voided',
      amount: 75000,
      captured: 0,
    }),
    row({
      createdAt: '2025-03-01T13:30:00.000+01:00',
      desk: 'ÆØÅ æøå äö',
      staff: 'ÆØÅ æøå ÄÖ äö',
      state: 'expired',
      amount: 12345,
      captured: 0,
      paymentMethod: '',
      transactionId: '',
    }),
    row({
      orderId: undefined,
      merchantReference: '+47 Åse Ærø',
      createdAt: '2025-03-01T23:59:59.999+01:00',
      desk: 'Kasse 2',
      staff: '@kasse2',
      state: 'captured',
      amount: 50000,
      captured: 50000,
      paymentMethod: 'card',
      source: 'dintero',
    }),
  ];
}

const SENT_EXCLUDED: readonly OrderState[] = ['queued', 'sending', 'unknown'];
const PAID: readonly OrderState[] = [
  'authorized',
  'partially_captured',
  'captured',
  'partially_refunded',
  'refunded',
];
const BY_STATE: Partial<Record<DayFigureKind, readonly OrderState[]>> = {
  voided: ['voided'],
  cancelled: ['cancelled'],
  expired: ['expired'],
  declined: ['declined'],
  open: ['link_sent', 'opened'],
};

/** The figures of each currency, in the order the rows first use them. */
export function currenciesOf(rows: readonly DayRow[]): CurrencyDay[] {
  const out = new Map<string, CurrencyDay>();
  for (const r of rows) {
    let c = out.get(r.currency);
    if (c === undefined) {
      const figures = Object.fromEntries(
        DAY_FIGURES.map((k) => [k, { count: 0, amount: 0, orderIds: [] }]),
      ) as unknown as Record<DayFigureKind, DayFigure>;
      c = { currency: r.currency, figures, net: 0 };
      out.set(r.currency, c);
    }
    const add = (kind: DayFigureKind, amount: number): void => {
      const f = c.figures[kind];
      f.count += 1;
      f.amount += amount;
      f.orderIds.push(r.orderId ?? r.merchantReference);
    };
    if (!SENT_EXCLUDED.includes(r.state)) add('sent', r.amount);
    if (PAID.includes(r.state)) add('paid', r.amount);
    if (r.captured > 0) add('captured', r.captured);
    if (r.refunded > 0) add('refunded', r.refunded);
    for (const [kind, states] of Object.entries(BY_STATE)) {
      if (states.includes(r.state)) add(kind as DayFigureKind, r.amount);
    }
    c.net += r.captured - r.refunded;
  }
  return [...out.values()];
}

function methodsOf(rows: readonly DayRow[]): MethodDay[] {
  const out = new Map<string, MethodDay>();
  for (const r of rows) {
    if (!PAID.includes(r.state)) continue;
    const key = `${r.currency}|${r.paymentMethod}`;
    const m: MethodDay = out.get(key) ?? {
      currency: r.currency,
      method: r.paymentMethod === '' ? 'other' : r.paymentMethod,
      count: 0,
      paid: 0,
      captured: 0,
      refunded: 0,
      orderIds: [],
    };
    m.count += 1;
    m.paid += r.amount;
    m.captured += r.captured;
    m.refunded += r.refunded;
    if (r.orderId !== undefined) m.orderIds.push(r.orderId);
    out.set(key, m);
  }
  return [...out.values()];
}

/** A whole day report around `rows` (the tricky rows by default). */
export function makeReport(
  rows: DayRow[] = trickyRows(),
  over: Partial<DayReport> = {},
): DayReport {
  return {
    day: DAY,
    timeZone: 'Europe/Oslo',
    from: '2025-03-01T00:00:00.000+01:00',
    to: '2025-03-01T23:59:59.999+01:00',
    scope: 'desk',
    storeId: '',
    desk: DESK,
    generatedAt: '2025-03-01T22:15:00.000Z',
    currencies: currenciesOf(rows),
    methods: methodsOf(rows),
    needs: {
      uncaptured: [
        {
          orderId: 'order-3',
          merchantReference: 'KASSE1-20250301-3',
          currency: 'NOK',
          uncaptured: 49900,
          method: 'klarna',
          lapsesAt: '2025-03-29T09:15:00.000Z',
          daysLeft: 27,
        },
        {
          orderId: 'order-99',
          merchantReference: 'KASSE1-20250222-4',
          currency: 'NOK',
          uncaptured: 20000,
          method: 'vipps',
          lapsesAt: '2025-03-01T22:00:00.000Z',
          daysLeft: 0,
        },
      ],
      unknown: [
        {
          orderId: 'order-98',
          merchantReference: 'KASSE1-20250301-98',
          amount: 3000,
          currency: 'SEK',
        },
      ],
      queued: [
        {
          orderId: 'order-97',
          merchantReference: 'KASSE1-20250301-97',
          amount: 4500,
          currency: 'NOK',
        },
      ],
    },
    check: {
      status: 'checked',
      at: '2025-03-01T22:14:00.000Z',
      read: 7,
      differences: [
        {
          kind: 'unknown_payment',
          merchantReference: 'shop-web-00017',
          transactionId: 'T99.gbp',
          amount: 129950,
          currency: 'GBP',
          message: msg('dayClose.diff.unknownPayment', {
            reference: 'shop-web-00017',
            amount: '1299.50 GBP',
            transaction: 'T99.gbp',
          }),
        },
        {
          kind: 'outside_capture',
          merchantReference: 'KASSE1-20250301-1',
          transactionId: 'T10000001.5TqcmSBz2dQ8qm8NfQe5kV',
          orderId: 'order-1',
          amount: 129950,
          currency: 'NOK',
          message: msg('dayClose.diff.outsideCapture', {
            reference: 'KASSE1-20250301-1',
            amount: { money: 129950, currency: 'NOK' },
          }),
        },
      ],
    },
    payouts: {
      status: 'read',
      paidOut: [
        {
          orderId: 'order-1',
          merchantReference: 'KASSE1-20250301-1',
          transactionId: 'T10000001.5TqcmSBz2dQ8qm8NfQe5kV',
          currency: 'NOK',
          captured: 129950,
          settlementId: 'S-1',
          settledAt: '2025-03-01T20:00:00.000Z',
          fee: 2599,
          net: 127351,
        },
      ],
      waiting: [
        {
          merchantReference: '+47 Åse Ærø',
          transactionId: 'T10000010.5TqcmSBz2dQ8qm8NfQe5kV',
          currency: 'NOK',
          captured: 50000,
        },
      ],
    },
    rowCount: rows.length,
    rows,
    ...over,
  };
}

const STATES: readonly OrderState[] = [
  'captured',
  'partially_refunded',
  'authorized',
  'link_sent',
  'expired',
  'declined',
];

/** A busy day: `n` journal rows in NOK and SEK, references KASSE1-20250301-1 … -n. */
export function bigReport(n: number): DayReport {
  const rows: DayRow[] = [];
  for (let i = 1; i <= n; i++) {
    const state = STATES[i % STATES.length]!;
    const amount = 1000 + ((i * 7919) % 2_000_000);
    const captured = ['captured', 'partially_refunded'].includes(state) ? amount : 0;
    const minutes = Math.floor((i * 1439) / n);
    const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
    const mm = String(minutes % 60).padStart(2, '0');
    rows.push({
      orderId: `order-${i}`,
      merchantReference: `KASSE1-20250301-${i}`,
      createdAt: `2025-03-01T${hh}:${mm}:00.000+01:00`,
      desk: i % 3 === 0 ? 'Kasse 2' : 'Kasse 1',
      staff: i % 5 === 0 ? 'Bjørn Æsøy' : 'Kasse 1',
      state,
      currency: i % 4 === 0 ? 'SEK' : 'NOK',
      amount,
      captured,
      refunded: state === 'partially_refunded' ? Math.floor(amount / 3) : 0,
      paymentMethod: captured > 0 || state === 'authorized' ? 'card' : '',
      transactionId: captured > 0 ? `T${i}.big` : '',
      sessionId: `S${i}`,
      externalReference: i % 2 === 0 ? `ERP-${i}` : '',
      source: 'journal',
    });
  }
  return makeReport(rows);
}
