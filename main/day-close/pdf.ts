/**
 * The day report as a PDF (A4, pdfkit, the standard Helvetica fonts): title, period and scope,
 * the totals per currency, by payment method, what still needs staff, the differences from
 * Dintero, the payouts, then every order of the day, with "Page n of m" on every page.
 *
 * Every word comes from the catalogs in the report's language; amounts and times are formatted
 * for its locale, times in the desk's time zone (report.timeZone). The standard fonts only
 * draw WinAnsi (Latin-1 and a few typographic marks, æøåäöé included): anything else is
 * replaced with '?' before drawing (winAnsi). The document's dates come from
 * report.generatedAt, so the same report gives the same bytes.
 */
import {
  DAY_FIGURES,
  type CurrencyDay,
  type DayReport,
  type DayRow,
  type MethodDay,
} from '../../common/day-close';
import type { Language } from '../../common/domain';
import { createTranslator, localeFor, msg, type MessageParam } from '../../common/i18n';
import { formatMoney } from '../../common/money';
import { METHOD_FAMILIES } from '../../common/payment-method';

const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = 40;
const LEFT = MARGIN;
const WIDTH = PAGE.width - 2 * MARGIN;
/** Lowest y content may reach; the page footer sits below it. */
const BOTTOM = PAGE.height - MARGIN - 16;
const FOOTER_Y = PAGE.height - MARGIN - 8;

const REGULAR = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const BODY_SIZE = 9;
const LIST_SIZE = 7.5;
const LIST_ROW = 11;
const TABLE_ROW = 13;
/** Smallest size a cell shrinks to before text is cut (amounts are never cut). */
const MIN_CELL_SIZE = 5;
const CELL_GAP = 4;
const RULE = '#8a8a8a';

// ---- Characters the standard fonts can draw.

/** Unicode code points outside Latin-1 that WinAnsi (pdfkit's standard fonts) has. */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
/** Stand-ins that keep the meaning (Intl writes U+2212 and U+202F in some locales). */
const STAND_INS: Readonly<Record<string, string>> = {
  '\u2212': '-',
  '\u2010': '-',
  '\u2011': '-',
  '\u202F': '\u00A0',
  '\u2007': '\u00A0',
};
const PLAIN = /^[\x20-\x7E\u00A0-\u00FF]*$/;
let segmenter: Intl.Segmenter | undefined;

function winAnsiChar(ch: string): boolean {
  const c = ch.codePointAt(0) ?? 0;
  return (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff) || WIN_ANSI_EXTRA.has(ch);
}

/**
 * Text the standard fonts draw as written: controls (CR, LF, tab) become spaces, invisible
 * format characters go, and each other character WinAnsi lacks (an emoji, a flag, a letter
 * of another script) becomes one '?'.
 */
export function winAnsi(text: string): string {
  if (PLAIN.test(text)) return text;
  segmenter ??= new Intl.Segmenter('en', { granularity: 'grapheme' });
  let out = '';
  for (const { segment } of segmenter.segment(text.normalize('NFC'))) {
    // Joiners, direction marks and variation selectors draw nothing.
    const g = segment.replace(/[\p{Cf}\uFE00-\uFE0F]/gu, '');
    if (g === '') continue;
    if (g.length === 1 && winAnsiChar(g)) out += g;
    else if (Object.hasOwn(STAND_INS, g)) out += STAND_INS[g];
    else if (/^[\p{Cc}\p{Z}]+$/u.test(g)) out += ' ';
    else out += '?';
  }
  return out;
}

// ---- Words, amounts and times in the report's language.

interface Words {
  t: (key: string, params?: Record<string, MessageParam>) => string;
  money: (minor: number, currency: string) => string;
  /** Date and time in the desk's zone. */
  when: (iso: string) => string;
  /** Time of day in the desk's zone, WinAnsi. */
  clock: (iso: string) => string;
  status: (row: DayRow) => string;
  method: (method: string) => string;
}

function zoned(
  locale: string,
  timeZone: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone });
  } catch {
    return new Intl.DateTimeFormat(locale, options);
  }
}

function words(report: DayReport, language: Language): Words {
  const translator = createTranslator(language);
  const locale = localeFor(language);
  const t: Words['t'] = (key, params) => translator.t(msg(key, params));
  const money = (minor: number, currency: string): string => formatMoney(minor, currency, locale);
  const dateTime = zoned(locale, report.timeZone, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
  const time = zoned(locale, report.timeZone, { hour: '2-digit', minute: '2-digit' });
  const format = (f: Intl.DateTimeFormat, iso: string): string => {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : f.format(d);
  };
  const clocks = new Map<number, string>();
  const statuses = new Map<string, string>();
  const methods = new Map<string, string>();
  return {
    t,
    money,
    when: (iso) => format(dateTime, iso),
    clock: (iso) => {
      // Rows of one day share few minutes: format each minute once.
      const ms = Date.parse(iso);
      if (Number.isNaN(ms)) return winAnsi(iso);
      const key = Math.floor(ms / 60_000);
      let text = clocks.get(key);
      if (text === undefined) {
        text = winAnsi(format(time, iso));
        clocks.set(key, text);
      }
      return text;
    },
    status: (row) => {
      let word = statuses.get(row.state);
      if (word === undefined) {
        word = winAnsi(t(`status.${row.state}`));
        statuses.set(row.state, word);
      }
      return word;
    },
    method: (method) => {
      let word = methods.get(method);
      if (word === undefined) {
        const family =
          method === ''
            ? 'none'
            : (METHOD_FAMILIES as readonly string[]).includes(method)
              ? method
              : 'other';
        word = winAnsi(t(`dayClose.method.${family}`));
        methods.set(method, word);
      }
      return word;
    },
  };
}

// ---- Layout.

interface Column {
  width: number;
  align?: 'right';
  /** Shrinks to fit, never cut (amounts, references). */
  whole?: boolean;
}

class Layout {
  readonly doc: PDFKit.PDFDocument;
  /** Drawn at the top of each new page (the order list's header while it runs). */
  onNewPage: (() => void) | undefined;

  constructor(doc: PDFKit.PDFDocument) {
    this.doc = doc;
  }

  get y(): number {
    return this.doc.y;
  }

  set y(value: number) {
    this.doc.y = value;
  }

  /** A new page unless `height` more points fit on this one. */
  room(height: number): void {
    if (this.y + height <= BOTTOM) return;
    this.doc.addPage();
    this.doc.x = LEFT;
    this.y = MARGIN;
    this.onNewPage?.();
  }

  gap(height: number): void {
    this.y += height;
  }

  /** A wrapped paragraph, kept on one page. */
  paragraph(text: string, options: { font?: string; size?: number } = {}): void {
    const { doc } = this;
    const clean = winAnsi(text);
    doc.font(options.font ?? REGULAR).fontSize(options.size ?? BODY_SIZE);
    this.room(doc.heightOfString(clean, { width: WIDTH }));
    doc.text(clean, LEFT, this.y, { width: WIDTH });
    doc.x = LEFT;
  }

  heading(text: string, size = 12): void {
    this.room(size * 1.3 + TABLE_ROW * 2);
    this.gap(size * 0.6);
    this.paragraph(text, { font: BOLD, size });
    this.gap(2);
  }

  /** A bullet line (uncaptured, queued, differences...), with an optional bold tail. */
  bullet(text: string, tail?: string): void {
    const { doc } = this;
    const indent = 10;
    const width = WIDTH - indent;
    const main = winAnsi(text);
    const end = tail === undefined ? '' : winAnsi(` – ${tail}`);
    doc.font(REGULAR).fontSize(BODY_SIZE);
    this.room(doc.heightOfString(main + end, { width }) + 2);
    const top = this.y;
    doc.text('•', LEFT + 2, top, { lineBreak: false });
    if (end === '') {
      doc.text(main, LEFT + indent, top, { width });
    } else {
      doc.text(main, LEFT + indent, top, { width, continued: true });
      doc.font(BOLD).text(end);
    }
    doc.x = LEFT;
    this.gap(2);
  }

  /** One table line of single-line cells; `values` are already WinAnsi. */
  cells(columns: readonly Column[], values: readonly string[], font: string, size: number): void {
    let x = LEFT;
    const top = this.y;
    this.doc.font(font);
    for (let i = 0; i < columns.length; i++) {
      const col = columns[i]!;
      const value = values[i] ?? '';
      if (value !== '') this.cell(value, x, top, col, font, size);
      x += col.width;
    }
  }

  /** Widths at size 1, per font and text: the order list repeats most of its strings. */
  private readonly widths = new Map<string, number>();

  private widthAt(font: string, text: string, size: number): number {
    const key = `${font}|${text}`;
    let unit = this.widths.get(key);
    if (unit === undefined) {
      unit = this.doc.fontSize(1).widthOfString(text);
      if (this.widths.size >= 20_000) this.widths.clear();
      this.widths.set(key, unit);
    }
    return unit * size;
  }

  private cell(
    value: string,
    x: number,
    top: number,
    col: Column,
    font: string,
    size: number,
  ): void {
    const { doc } = this;
    const gap = col.align === 'right' ? 2 * CELL_GAP : CELL_GAP;
    const room = col.width - gap;
    let text = value;
    let cellSize = size;
    let width = this.widthAt(font, text, size);
    if (width > room) {
      cellSize = Math.max(col.whole ? 0.1 : MIN_CELL_SIZE, (size * room) / width);
      width = this.widthAt(font, text, cellSize);
      // Rounding may leave a hair over: only a real overflow cuts the text.
      if (width > room + 0.01) {
        while (text.length > 1 && this.widthAt(font, `${text}…`, cellSize) > room) {
          text = text.slice(0, -1);
        }
        text = `${text}…`;
        width = this.widthAt(font, text, cellSize);
      }
    }
    const left = col.align === 'right' ? x + col.width - gap - width : x;
    // Smaller text sits on the same baseline as the rest of the line.
    const shift = (size - cellSize) * 0.75;
    // textWidth: pdfkit's own measure of the fragment, known already.
    const options = { lineBreak: false, textWidth: width };
    doc.fontSize(cellSize).text(text, left, top + shift, options);
  }

  /** A table's bold header line and the rule under it; `rowHeight` is the table's line. */
  tableHead(
    columns: readonly Column[],
    titles: readonly string[],
    size: number,
    rowHeight: number,
  ): void {
    this.cells(columns, titles.map(winAnsi), BOLD, size);
    this.gap(rowHeight - 2);
    this.rule();
    this.gap(3);
  }

  rule(): void {
    const { doc } = this;
    doc
      .moveTo(LEFT, this.y)
      .lineTo(LEFT + WIDTH, this.y)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
  }
}

// ---- Sections.

function header(l: Layout, report: DayReport, w: Words): void {
  l.paragraph(w.t('dayClose.report.title', { day: report.day }), { font: BOLD, size: 16 });
  l.gap(4);
  const scope =
    report.scope === 'store'
      ? w.t('dayClose.scopeStore', { store: report.storeId })
      : w.t('dayClose.scopeDesk', { desk: report.desk });
  l.room(TABLE_ROW);
  const labelWidth = 110;
  l.cells([{ width: labelWidth }], [winAnsi(w.t('dayClose.scope'))], BOLD, BODY_SIZE + 1);
  l.cells(
    [{ width: labelWidth }, { width: WIDTH - labelWidth }],
    ['', winAnsi(scope)],
    REGULAR,
    BODY_SIZE + 1,
  );
  l.gap(TABLE_ROW);
  l.paragraph(w.t('dayClose.period', { from: w.when(report.from), to: w.when(report.to) }), {
    size: BODY_SIZE + 1,
  });
  l.paragraph(w.t('dayClose.generatedAt', { time: w.when(report.generatedAt) }), {
    size: BODY_SIZE + 1,
  });
}

const TOTAL_COLUMNS: readonly Column[] = [
  { width: WIDTH - 240 },
  { width: 70, align: 'right' },
  { width: 170, align: 'right', whole: true },
];

function totals(l: Layout, c: CurrencyDay, w: Words): void {
  // One currency's table stays on one page.
  l.room(30 + TABLE_ROW * (DAY_FIGURES.length + 2) + 6);
  l.heading(w.t('dayClose.totalsHeading', { currency: c.currency }), 11);
  l.tableHead(
    TOTAL_COLUMNS,
    [w.t('dayClose.figureColumn'), w.t('dayClose.countColumn'), w.t('dayClose.amountColumn')],
    BODY_SIZE,
    TABLE_ROW,
  );
  for (const kind of DAY_FIGURES) {
    const f = c.figures[kind];
    l.room(TABLE_ROW);
    l.cells(
      TOTAL_COLUMNS,
      [w.t(`dayClose.figure.${kind}`), String(f.count), w.money(f.amount, c.currency)].map(winAnsi),
      REGULAR,
      BODY_SIZE,
    );
    l.gap(TABLE_ROW);
  }
  l.room(TABLE_ROW + 3);
  l.rule();
  l.gap(3);
  l.cells(
    TOTAL_COLUMNS,
    [w.t('dayClose.net'), '', w.money(c.net, c.currency)].map(winAnsi),
    BOLD,
    BODY_SIZE,
  );
  l.gap(TABLE_ROW);
}

const METHOD_COLUMNS: readonly Column[] = [
  { width: WIDTH - 340 },
  { width: 55, align: 'right' },
  { width: 95, align: 'right', whole: true },
  { width: 95, align: 'right', whole: true },
  { width: 95, align: 'right', whole: true },
];

function methods(l: Layout, list: readonly MethodDay[], w: Words): void {
  if (list.length === 0) return;
  l.heading(w.t('dayClose.methodsHeading'));
  l.tableHead(
    METHOD_COLUMNS,
    [
      w.t('dayClose.methodColumn'),
      w.t('dayClose.countColumn'),
      w.t('dayClose.paidColumn'),
      w.t('dayClose.capturedColumn'),
      w.t('dayClose.refundedColumn'),
    ],
    BODY_SIZE,
    TABLE_ROW,
  );
  for (const m of list) {
    l.room(TABLE_ROW);
    l.cells(
      METHOD_COLUMNS,
      [
        `${w.method(m.method)} (${winAnsi(m.currency)})`,
        String(m.count),
        winAnsi(w.money(m.paid, m.currency)),
        winAnsi(w.money(m.captured, m.currency)),
        winAnsi(w.money(m.refunded, m.currency)),
      ],
      REGULAR,
      BODY_SIZE,
    );
    l.gap(TABLE_ROW);
  }
}

function needs(l: Layout, report: DayReport, w: Words): void {
  const { uncaptured, unknown, queued } = report.needs;
  l.heading(w.t('dayClose.needsHeading'));
  if (uncaptured.length + unknown.length + queued.length === 0) {
    l.paragraph(w.t('dayClose.needsNothing'));
    return;
  }
  if (uncaptured.length > 0) {
    l.heading(w.t('dayClose.uncapturedHeading'), 10);
    for (const u of uncaptured) {
      const line = w.t('dayClose.uncapturedLine', {
        reference: u.merchantReference,
        amount: w.money(u.uncaptured, u.currency),
        method: w.method(u.method),
        date: w.when(u.lapsesAt),
      });
      const left =
        u.daysLeft === 0
          ? w.t('dayClose.lapsesToday')
          : w.t('dayClose.daysLeft', { count: u.daysLeft });
      l.bullet(line, left);
    }
  }
  for (const [key, refs] of [
    ['dayClose.unknownHeading', unknown],
    ['dayClose.queuedHeading', queued],
  ] as const) {
    if (refs.length === 0) continue;
    l.heading(w.t(key), 10);
    for (const r of refs) {
      l.bullet(
        w.t('dayClose.orderLine', {
          reference: r.merchantReference,
          amount: w.money(r.amount, r.currency),
        }),
      );
    }
  }
}

function differences(l: Layout, report: DayReport, w: Words): void {
  const check = report.check;
  l.heading(w.t('dayClose.differencesHeading'));
  if (check.status === 'failed') {
    l.paragraph(w.t('dayClose.checkFailed', { reason: { text: check.error } }), { font: BOLD });
    return;
  }
  l.paragraph(w.t('dayClose.checkedAt', { time: w.when(check.at) }));
  l.gap(2);
  if (check.differences.length === 0) {
    l.paragraph(w.t('dayClose.noDifferences', { count: check.read }));
    return;
  }
  for (const d of check.differences) l.bullet(w.t(d.message.key, d.message.params));
}

function payouts(l: Layout, report: DayReport, w: Words): void {
  const p = report.payouts;
  l.heading(w.t('dayClose.payoutsHeading'));
  switch (p.status) {
    case 'not_granted':
      l.paragraph(w.t('dayClose.payoutsNotGranted', { grant: p.grant }));
      return;
    case 'failed':
      l.paragraph(w.t('dayClose.payoutsFailed', { reason: { text: p.error } }));
      return;
    case 'read':
      break;
  }
  if (p.paidOut.length + p.waiting.length === 0) {
    l.paragraph(w.t('dayClose.payoutsNone'));
    return;
  }
  if (p.paidOut.length > 0) {
    l.heading(w.t('dayClose.paidOutHeading'), 10);
    for (const line of p.paidOut) {
      l.bullet(
        w.t('dayClose.payoutLine', {
          reference: line.merchantReference,
          captured: w.money(line.captured, line.currency),
          date: line.settledAt !== undefined ? w.when(line.settledAt) : '',
          fee: w.money(line.fee ?? 0, line.currency),
          net: w.money(line.net ?? line.captured, line.currency),
        }),
      );
    }
  }
  if (p.waiting.length > 0) {
    l.heading(w.t('dayClose.waitingHeading'), 10);
    for (const line of p.waiting) {
      l.bullet(
        w.t('dayClose.waitingLine', {
          reference: line.merchantReference,
          captured: w.money(line.captured, line.currency),
        }),
      );
    }
  }
}

/**
 * The order list: reference, time, desk, status, amount, captured, refunded, method, and the
 * order's number in the shop's other system (cut with … when longer than the column; the CSV
 * has it whole).
 */
const LIST_COLUMNS: readonly Column[] = [
  { width: 90, whole: true },
  { width: 28 },
  { width: 54 },
  { width: 60 },
  { width: 58, align: 'right', whole: true },
  { width: 58, align: 'right', whole: true },
  { width: 58, align: 'right', whole: true },
  { width: 50 },
  { width: WIDTH - 456 },
];

function orderList(l: Layout, report: DayReport, w: Words): void {
  l.heading(w.t('dayClose.report.listHeading'));
  if (report.rows.length === 0) {
    l.paragraph(w.t('dayClose.noOrders'));
    return;
  }
  const titles = [
    w.t('dayClose.report.referenceColumn'),
    w.t('dayClose.report.timeColumn'),
    w.t('dayClose.report.deskColumn'),
    w.t('dayClose.report.statusColumn'),
    w.t('dayClose.amountColumn'),
    w.t('dayClose.capturedColumn'),
    w.t('dayClose.refundedColumn'),
    w.t('dayClose.methodColumn'),
    w.t('paylinkLink.reportColumn'),
  ];
  const fromDintero = winAnsi(w.t('dayClose.report.fromDintero'));
  const listHeader = (): void => l.tableHead(LIST_COLUMNS, titles, LIST_SIZE, LIST_ROW + 1);
  l.room(LIST_ROW * 2 + 3);
  listHeader();
  l.onNewPage = listHeader;
  for (const row of report.rows) {
    l.room(LIST_ROW);
    const desk = winAnsi(row.desk);
    const where =
      row.source === 'dintero' ? (desk === '' ? fromDintero : `${desk}, ${fromDintero}`) : desk;
    l.cells(
      LIST_COLUMNS,
      [
        winAnsi(row.merchantReference),
        w.clock(row.createdAt),
        where,
        w.status(row),
        winAnsi(w.money(row.amount, row.currency)),
        winAnsi(w.money(row.captured, row.currency)),
        winAnsi(w.money(row.refunded, row.currency)),
        w.method(row.paymentMethod),
        winAnsi(row.externalReference),
      ],
      REGULAR,
      LIST_SIZE,
    );
    l.gap(LIST_ROW);
  }
  l.onNewPage = undefined;
}

function footers(doc: PDFKit.PDFDocument, w: Words): void {
  const range = doc.bufferedPageRange();
  doc.font(REGULAR).fontSize(8).fillColor('#444444');
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    const text = winAnsi(w.t('dayClose.report.page', { page: i + 1, pages: range.count }));
    const x = LEFT + (WIDTH - doc.widthOfString(text)) / 2;
    doc.text(text, x, FOOTER_Y, { lineBreak: false });
  }
}

/** The day report as PDF bytes, in `language`. */
export async function dayPdf(report: DayReport, language: Language): Promise<Uint8Array> {
  const w = words(report, language);
  const created = new Date(report.generatedAt);
  // Loaded on the first export, not at start: pdfkit and its font data are some 30 MB of main's
  // resident memory that a desk needs only at the day's end.
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    lang: localeFor(language),
    displayTitle: true,
    info: {
      Title: w.t('dayClose.report.title', { day: report.day }),
      Creator: 'Paylink Desk',
      ...(Number.isNaN(created.getTime()) ? {} : { CreationDate: created }),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const l = new Layout(doc);
  doc.fillColor('#000000');
  header(l, report, w);
  for (const c of report.currencies) totals(l, c, w);
  methods(l, report.methods, w);
  needs(l, report, w);
  differences(l, report, w);
  payouts(l, report, w);
  orderList(l, report, w);
  footers(doc, w);
  doc.end();
  return done;
}
