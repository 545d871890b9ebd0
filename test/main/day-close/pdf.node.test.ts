/**
 * The day report PDF, read back with a real PDF text extractor: A4 pages, every figure of every
 * currency as the catalog and the locale write it, the differences, Norwegian letters, a page
 * footer on every page, the order list's header on every page it runs over, and 5,000 orders
 * in well under two seconds.
 */
import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { DAY_FIGURES, type DayReport } from '../../../common/day-close';
import type { Language } from '../../../common/domain';
import { CATALOGS, createTranslator, localeFor, msg } from '../../../common/i18n';
import { formatMoney } from '../../../common/money';
import { dayPdf, winAnsi } from '../../../main/day-close/pdf';
import { bigReport, DAY, DESK, makeReport } from './report-fixture';

/** Whitespace as one space: extraction turns NBSP and line ends into spaces or newlines. */
const norm = (s: string): string => s.replace(/\s+/g, ' ').trim();

async function read(bytes: Uint8Array) {
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  const { text, totalPages } = await extractText(pdf, { mergePages: false });
  return { pdf, pages: text.map(norm), totalPages };
}

/** GBP is not a desk currency: written with its ISO code and two decimals. */
const GBP: Record<number, Record<Language, string>> = {
  0: { en: 'GBP 0.00', nb: '0,00 GBP', sv: '0,00 GBP', da: '0,00 GBP' },
  129950: { en: 'GBP 1,299.50', nb: '1 299,50 GBP', sv: '1 299,50 GBP', da: '1.299,50 GBP' },
};

function money(amount: number, currency: string, language: Language): string {
  if (currency === 'GBP') {
    const text = GBP[amount]?.[language];
    if (text === undefined) throw new Error(`no GBP text for ${amount}`);
    return text;
  }
  return formatMoney(amount, currency, localeFor(language));
}

describe.each(['en', 'nb'] as const)('day report PDF (%s)', (language) => {
  const words = CATALOGS[language].dayClose;
  const t = createTranslator(language).t;
  const report = makeReport();
  const pdfBytes = dayPdf(report, language);

  it('is A4 with the title, the scope and a footer on every page', async () => {
    const { pdf, pages, totalPages } = await read(await pdfBytes);
    expect(totalPages).toBeGreaterThanOrEqual(2);
    for (let n = 1; n <= totalPages; n++) {
      const viewport = (await pdf.getPage(n)).getViewport({ scale: 1 });
      expect([viewport.width, viewport.height]).toEqual([595.28, 841.89]);
      const footer = words.report.page
        .replace('{{page}}', String(n))
        .replace('{{pages}}', String(totalPages));
      expect(pages[n - 1]).toContain(footer);
    }
    expect(pages[0]).toContain(norm(words.report.title.replace('{{day}}', DAY)));
    expect(pages[0]).toContain(norm(words.scopeDesk.replace('{{desk}}', DESK)));
  });

  it("shows every currency's figures, counts and net as the locale writes them", async () => {
    const all = (await read(await pdfBytes)).pages.join(' ');
    expect(report.currencies.map((c) => c.currency)).toEqual(['NOK', 'SEK', 'GBP']);
    for (const c of report.currencies) {
      expect(all).toContain(norm(words.totalsHeading.replace('{{currency}}', c.currency)));
      for (const kind of DAY_FIGURES) {
        const f = c.figures[kind];
        expect(all).toContain(
          norm(`${words.figure[kind]} ${f.count} ${money(f.amount, c.currency, language)}`),
        );
      }
      expect(all).toContain(norm(`${words.net} ${money(c.net, c.currency, language)}`));
    }
    // The int32 order, øre for øre.
    expect(all).toContain(norm(formatMoney(2147483647, 'NOK', localeFor(language))));
  });

  it('translates the differences from Dintero and what still needs staff', async () => {
    const all = (await read(await pdfBytes)).pages.join(' ');
    const check = report.check;
    if (check.status !== 'checked') throw new Error('the fixture is checked');
    for (const d of check.differences) expect(all).toContain(norm(t(d.message)));
    expect(all).toContain(norm(words.differencesHeading));
    expect(all).toContain(norm(t(msg('dayClose.daysLeft', { count: 27 }))));
    expect(all).toContain(norm(words.lapsesToday));
    expect(all).toContain(norm(words.queuedHeading));
    expect(all).toContain(
      norm(
        t(
          msg('dayClose.waitingLine', {
            reference: '+47 Åse Ærø',
            captured: { money: 50000, currency: 'NOK' },
          }),
        ),
      ),
    );
  });

  it('lists the orders with Norwegian letters, status words and methods', async () => {
    const all = (await read(await pdfBytes)).pages.join(' ');
    const status = CATALOGS[language].status;
    const line = (...cells: string[]): string => norm(cells.join(' '));
    expect(all).toContain(
      line(
        'KASSE1-20250301-9',
        '13:30',
        'ÆØÅ æøå äö',
        status.expired,
        money(12345, 'NOK', language),
        money(0, 'NOK', language),
        money(0, 'NOK', language),
        words.method.none,
      ),
    );
    expect(all).toContain(
      line(
        'shop-web-00017',
        '12:00',
        words.report.fromDintero,
        status.captured,
        money(129950, 'GBP', language),
        money(129950, 'GBP', language),
      ),
    );
    expect(all).toContain(line('+47 Åse Ærø', '23:59'));
    // The order's number in the shop's other system closes its line, under its own title.
    expect(all).toContain(norm(CATALOGS[language].paylinkLink.reportColumn));
    expect(all).toMatch(/KASSE1-20250301-1 09:05 .* SO-2025-000123/);
    expect(all).toContain(' ERP-77');
    expect(all).toContain(status.partially_refunded);
    expect(all).toContain(words.method.klarna);
  });

  it('draws characters the fonts lack as ?', async () => {
    const all = (await read(await pdfBytes)).pages.join(' ');
    expect(all).toContain('KASSE1-20250301-7 12:30 Kasse ? ');
    expect(all).not.toMatch(/[\uFFFD\u{1F600}]/u);
  });
});

describe('day report PDF', () => {
  it('gives the same bytes for the same report, dated when the report was made', async () => {
    const a = await dayPdf(makeReport(), 'en');
    const b = await dayPdf(makeReport(), 'en');
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const { info } = (await (await getDocumentProxy(new Uint8Array(a))).getMetadata()) as {
      info: { CreationDate?: string; Title?: string };
    };
    expect(info.CreationDate).toMatch(/^D:20250301221500/);
    expect(info.Title).toBe('Paylink Desk: day report 2025-03-01');
  });

  it('says why the check failed and why payouts are missing, in Swedish and Danish too', async () => {
    const report: DayReport = makeReport(undefined, {
      check: {
        status: 'failed',
        at: '2025-03-01T22:14:00.000Z',
        error: msg('error.dintero.network'),
      },
      payouts: { status: 'not_granted', grant: 'read:settlements' },
      scope: 'store',
      storeId: 'oslo-1',
    });
    for (const language of ['sv', 'da'] as const) {
      const t = createTranslator(language).t;
      const all = (await read(await dayPdf(report, language))).pages.join(' ');
      expect(all).toContain(
        norm(t(msg('dayClose.checkFailed', { reason: { text: msg('error.dintero.network') } }))),
      );
      expect(all).toContain(
        norm(t(msg('dayClose.payoutsNotGranted', { grant: 'read:settlements' }))),
      );
      expect(all).toContain(norm(t(msg('dayClose.scopeStore', { store: 'oslo-1' }))));
      expect(all).toContain(norm(GBP[129950]![language]));
    }
  });

  it('says so when there are no orders and nothing needs staff', async () => {
    const report = makeReport([], {
      needs: { uncaptured: [], unknown: [], queued: [] },
      check: { status: 'checked', at: '2025-03-01T22:14:00.000Z', read: 1, differences: [] },
      payouts: { status: 'read', paidOut: [], waiting: [] },
    });
    const { pages } = await read(await dayPdf(report, 'en'));
    const all = pages.join(' ');
    expect(pages).toHaveLength(1);
    expect(all).toContain('No orders on this day.');
    expect(all).toContain('Nothing needs staff.');
    expect(all).toContain('Dintero agrees with the desk (1 transaction read).');
    expect(all).toContain('No captures on this day.');
  });

  // How fast: `npm run bench` (bench 7), never a timed assertion here.
  it('runs 5,000 orders over many pages, repeating the list header', async () => {
    const report = bigReport(5000);
    const bytes = await dayPdf(report, 'nb');
    const { pages, totalPages } = await read(bytes);
    expect(totalPages).toBeGreaterThan(50);
    const last = pages[totalPages - 1]!;
    expect(last).toContain('KASSE1-20250301-5000 ');
    expect(last).toContain(`Side ${totalPages} av ${totalPages}`);
    const header = 'Referanse Tid Kasse Status Beløp Belastet Refundert Betalingsmåte';
    const listStart = pages.findIndex((p) => p.includes('Dagens ordrer'));
    expect(listStart).toBeGreaterThanOrEqual(0);
    for (const page of pages.slice(listStart)) expect(page).toContain(header);
    // Every order once, in order.
    const refs = pages.join(' ').match(/KASSE1-20250301-\d+(?= \d\d:\d\d)/g) ?? [];
    expect(refs).toEqual(report.rows.map((r) => r.merchantReference));
  });
});

describe('winAnsi', () => {
  it('keeps what the standard fonts draw', () => {
    const kept = 'æøåÆØÅäöÄÖ é ü ß ’ “ ” – — … € « » £ \u00A0';
    expect(winAnsi(kept)).toBe(kept);
  });

  it('replaces each character the fonts lack with one ?', () => {
    expect(winAnsi('Kari 😀 Nordmann')).toBe('Kari ? Nordmann');
    expect(winAnsi('👨‍👩‍👧 🇳🇴 ❤️')).toBe('? ? ?');
    expect(winAnsi('Жанна')).toBe('?????');
  });

  it('keeps the meaning of minus signs, spaces, breaks and combining accents', () => {
    expect(winAnsi('\u22121\u202F299,50 kr')).toBe('-1\u00A0299,50 kr');
    expect(winAnsi('Line one\r\nLine two\tend\u0085')).toBe('Line one Line two end ');
    expect(winAnsi('Rene\u0301e\u200B')).toBe('Renée');
    expect(winAnsi('a\u200D ©\uFE0F \u200Eb')).toBe('a © b');
  });
});
