import { act, screen, waitFor, within } from '@testing-library/react';
import { flattenCatalog as flatten } from '../support/catalog-keys';
import { describe, expect, it } from 'vitest';
import type { Language } from '../../common/domain';
import { CATALOGS } from '../../common/i18n';
import { useAppStore } from '../../renderer/src/store';
import { makeOrder } from './fake-paylink';
import { renderApp, type Rendered } from './render-app';

const plain = (s: string | null | undefined): string => (s ?? '').replace(/\s/g, ' ');

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const withoutPlaceholders = (s: string): string => s.replace(/\{\{[^}]*\}\}/g, ' ');

/**
 * The English catalog texts that `language` says differently, as patterns a piece of screen
 * text must not match: the whole text (placeholders standing for anything), and for texts of
 * three words or more also anywhere inside a longer text.
 */
function englishPatterns(language: Language): { key: string; re: RegExp }[] {
  const own = flatten(CATALOGS[language]);
  const out: { key: string; re: RegExp }[] = [];
  for (const [key, en] of flatten(CATALOGS.en)) {
    if (own.get(key) === en || !/\p{L}/u.test(withoutPlaceholders(en))) continue;
    const body = en
      .split(/\{\{[^}]*\}\}/)
      .map((part) => escape(part.trim()).replace(/\s+/g, '\\s+'))
      .join('.+?');
    out.push({ key, re: new RegExp(`^${body}$`, 'u') });
    const wordsOnly = withoutPlaceholders(en).trim();
    if (!en.includes('{{') && wordsOnly.split(/\s+/).length >= 3) {
      out.push({ key, re: new RegExp(`(?<!\\p{L})${escape(wordsOnly)}(?!\\p{L})`, 'u') });
    }
  }
  return out;
}

/** Texts a person sees or hears on the page: text of every element, and what tags say aloud. */
function shownTexts(): string[] {
  const texts = new Set<string>();
  const add = (s: string | null | undefined): void => {
    const t = (s ?? '').replace(/\s+/g, ' ').trim();
    if (t !== '') texts.add(t);
  };
  for (const el of Array.from(document.body.querySelectorAll('*'))) {
    if (el.tagName === 'SCRIPT' || el.tagName === 'STYLE') continue;
    add(
      Array.from(el.childNodes)
        .filter((n) => n.nodeType === 3)
        .map((n) => n.textContent)
        .join(''),
    );
    add(el.textContent);
    for (const attr of ['aria-label', 'title', 'placeholder', 'alt', 'aria-description']) {
      add(el.getAttribute(attr));
    }
  }
  return [...texts];
}

/** The English left on the page of a desk set to `language` ("text ← catalog key"). */
function englishLeft(language: Language): string[] {
  const patterns = englishPatterns(language);
  return shownTexts().flatMap((text) =>
    patterns.filter((p) => p.re.test(text)).map((p) => `${text} ← ${p.key}`),
  );
}

/** Clicks a main navigation button by its words in `language`. */
async function goTo(
  r: Rendered,
  language: Language,
  where: keyof (typeof CATALOGS)['en']['nav'],
): Promise<void> {
  const nav = screen.getByRole('navigation');
  await r.user.click(within(nav).getByRole('button', { name: CATALOGS[language].nav[where] }));
}

describe('Language', () => {
  it('starts in the language from settings, with Norwegian money, numbers and status words', async () => {
    const orders = Array.from({ length: 1234 }, (_, i) =>
      makeOrder({
        id: `n${i}`,
        state: 'authorized',
        amount: 129950,
        createdAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
      }),
    );
    const { user } = await renderApp({ settings: { language: 'nb' }, orders });
    await waitFor(() => expect(screen.getByRole('button', { name: 'Ordrer' })).toBeTruthy());
    await user.click(screen.getByRole('button', { name: 'Ordrer' }));
    expect(plain(screen.getByText(/ordrer$/, { selector: '.board__count' }).textContent)).toBe(
      '1 234 ordrer',
    );
    const row = within(screen.getByRole('grid')).getAllByRole('row')[1]!;
    expect(within(row).getByText('Betalt')).toBeTruthy();
    expect(plain(row.querySelector('.col--amount')!.textContent)).toBe('1 299,50 kr');
  });

  it('translates the phone message by reason', async () => {
    const { user } = await renderApp({ settings: { language: 'nb' } });
    const phone = await screen.findByRole('textbox', { name: 'Kundens telefon' });
    await user.type(phone, '22123456');
    await user.tab();
    expect(
      screen.getByText('Det er ikke et mobilnummer; betalingslenken trenger et mobilnummer.'),
    ).toBeTruthy();
  });

  it.each([
    ['sv', '1 234 beställningar', '1 299,50 Nkr', 'Betald', '1299,50'],
    ['da', '1.234 ordrer', '1.299,50 NOK', 'Betalt', '1299,50'],
  ] as const)(
    'in %s: counts, money, status words and the capture amount follow the language',
    async (language, count, money, paid, captureInput) => {
      const orders = Array.from({ length: 1234 }, (_, i) =>
        makeOrder({
          id: `${language}${i}`,
          state: 'authorized',
          amount: 129950,
          createdAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
        }),
      );
      const r = await renderApp({ settings: { language }, orders });
      await goTo(r, language, 'board');
      expect(plain(screen.getByText(count, { selector: '.board__count' }).textContent)).toBe(count);
      const row = within(screen.getByRole('grid')).getAllByRole('row')[1]!;
      expect(within(row).getByText(paid)).toBeTruthy();
      expect(plain(row.querySelector('.col--amount')!.textContent)).toBe(money);

      const c = CATALOGS[language];
      act(() => useAppStore.getState().openOrder(orders[0]!.id));
      await screen.findByRole('heading', { name: c.detail.timeline });
      expect(
        screen.getByRole<HTMLInputElement>('textbox', { name: c.detail.captureAmount }).value,
      ).toBe(captureInput);
    },
  );

  it.each(['sv', 'da'] as const)(
    'in %s no screen shows a word of English: entry, board, detail, day close, settings, training',
    async (language) => {
      const c = CATALOGS[language];
      const paid = makeOrder({ state: 'authorized', customerName: 'Kari Nordmann' });
      const sent = makeOrder({ state: 'link_sent' });
      const refunded = makeOrder({ state: 'partially_refunded' });
      const r = await renderApp({
        mode: 'training',
        settings: { language },
        orders: [paid, sent, refunded],
      });
      const seen: Record<string, string[]> = {};

      // New order, with a refused phone number and the line items open.
      const phone = await screen.findByRole('textbox', { name: c.entry.phone });
      await r.user.type(phone, '22123456');
      await r.user.tab();
      expect(screen.getByText(c.phoneReason.not_mobile)).toBeTruthy();
      await r.user.click(screen.getByRole('button', { name: c.entry.addItem }));
      seen.entry = englishLeft(language);

      await goTo(r, language, 'board');
      await screen.findByRole('heading', { name: c.board.heading });
      seen.board = englishLeft(language);

      act(() => useAppStore.getState().openOrder(paid.id, 'capture'));
      await screen.findByRole('heading', { name: c.detail.timeline });
      await screen.findByRole('button', { name: c.detail.confirm.capture });
      seen.detail = englishLeft(language);

      act(() => useAppStore.getState().openOrder(refunded.id));
      await screen.findByRole('heading', { name: c.detail.timeline });
      seen.refundedDetail = englishLeft(language);

      await goTo(r, language, 'dayClose');
      await screen.findByRole('heading', { name: c.dayClose.differencesHeading });
      seen.dayClose = englishLeft(language);

      await goTo(r, language, 'settings');
      await screen.findByRole('heading', { name: c.settings.heading });
      seen.settings = englishLeft(language);

      await goTo(r, language, 'training');
      await screen.findByRole('heading', { name: c.training.heading });
      seen.training = englishLeft(language);

      expect(seen).toEqual({
        entry: [],
        board: [],
        detail: [],
        refundedDetail: [],
        dayClose: [],
        settings: [],
        training: [],
      });
    },
  );

  it('the check finds English on a page of another language', async () => {
    await renderApp({ settings: { language: 'en' } });
    await screen.findByRole('textbox', { name: CATALOGS.en.entry.phone });
    const left = englishLeft('sv');
    expect(left).toContain('Customer phone ← entry.phone');
    expect(left).toContain('New order ← nav.entry');
  });

  it('Settings → Language switches every word at once, through Svenska and Dansk and back', async () => {
    const orders = [makeOrder({ state: 'authorized', amount: 129950 })];
    const r = await renderApp({ orders });
    const names: Record<Language, string> = {
      en: 'English',
      nb: 'Norsk bokmål',
      sv: 'Svenska',
      da: 'Dansk',
    };
    const money: Record<Language, string> = {
      en: 'NOK 1,299.50',
      nb: '1 299,50 kr',
      sv: '1 299,50 Nkr',
      da: '1.299,50 NOK',
    };
    let current: Language = 'en';
    for (const language of ['sv', 'da', 'nb', 'en'] as const) {
      await goTo(r, current, 'settings');
      const select = screen.getByRole<HTMLSelectElement>('combobox', {
        name: CATALOGS[current].settings.language,
      });
      // The options are named in their own language, whatever the screen's.
      expect(Array.from(select.options).map((o) => o.textContent)).toEqual(Object.values(names));
      expect(Array.from(select.options).map((o) => o.lang)).toEqual(Object.keys(names));
      await r.user.selectOptions(select, language);
      current = language;
      const c = CATALOGS[language];
      expect(await screen.findByRole('heading', { name: c.settings.heading })).toBeTruthy();
      expect(document.documentElement.lang).toBe(language);
      await waitFor(() => expect(r.fake.settings.language).toBe(language));
      await goTo(r, language, 'board');
      await screen.findByRole('heading', { name: c.board.heading });
      const row = within(screen.getByRole('grid')).getAllByRole('row')[1]!;
      expect(within(row).getByText(c.status.authorized)).toBeTruthy();
      expect(plain(row.querySelector('.col--amount')!.textContent)).toBe(money[language]);
      if (language !== 'en') expect(englishLeft(language)).toEqual([]);
    }
  });
});
