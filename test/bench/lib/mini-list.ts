/**
 * The board's fair baseline (bench 6), run inside the app's page: a minimal virtualised list in
 * plain DOM over the same orders the board shows (read through the same `window.paylink`),
 * with the board's row height, viewport, overscan, cells and CSS classes, and the board's
 * search rules (reference, customer name, e-mail, phone digits, exact amount). No React, no
 * store, no i18n: what is left of the board's figures after subtracting this is what the app
 * adds. `installMiniList` is serialised into the page by page.evaluate, so it is
 * self-contained (no imports, no outer variables).
 */

/** What the page holds on `window.benchMini` after installMiniList. */
export interface MiniList {
  /** Reads every order over window.paylink, mounts the list, ms until its first row is laid out. */
  fetchAndRender(limit: number): Promise<number>;
  /** Mounts the list over the orders already read; ms until its first row is laid out. */
  render(): Promise<number>;
  /** Filters the orders read with the board's rules and shows the result; ms until laid out. */
  search(query: string): Promise<{ ms: number; count: number }>;
  /** Removes the list from the page (the orders read stay). */
  unmount(): void;
}

/** In the page: defines window.benchMini (see MiniList). */
export function installMiniList(opts: {
  rowHeight: number;
  viewportHeight: number;
  overscan: number;
}): void {
  interface Row {
    id: string;
    merchantReference: string;
    state: string;
    statusWord?: string;
    phone: string;
    customerName?: string;
    email?: string;
    amount: number;
    currency: string;
    createdAt: string;
  }
  type ListResult = { ok: true; value: { orders: Row[] } } | { ok: false; error: unknown };
  const w = window as unknown as {
    benchMini: MiniList;
    paylink: { orders: { list: (q: { limit: number }) => Promise<ListResult> } };
  };
  const moneyFormats = new Map<string, Intl.NumberFormat>();
  const money = (minor: number, currency: string): string => {
    let f = moneyFormats.get(currency);
    if (f === undefined) {
      f = new Intl.NumberFormat('en-GB', { style: 'currency', currency });
      moneyFormats.set(currency, f);
    }
    return f.format(minor / 100);
  };
  const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'short', timeStyle: 'short' });
  const mask = (p: string): string =>
    p.slice(0, 3) + p.slice(3, -3).replace(/\d/g, '•') + p.slice(-3);

  let all: Row[] = [];
  let shown: Row[] = [];
  let host: HTMLDivElement | null = null;
  let body: HTMLDivElement | null = null;

  const cell = (cls: string, text: string): HTMLSpanElement => {
    const span = document.createElement('span');
    span.setAttribute('role', 'gridcell');
    span.className = `col col--${cls}`;
    span.textContent = text;
    return span;
  };
  const paint = (): void => {
    if (host === null || body === null) return;
    body.style.height = `${shown.length * opts.rowHeight}px`;
    const first = Math.max(0, Math.floor(host.scrollTop / opts.rowHeight) - opts.overscan);
    const last = Math.min(
      shown.length,
      Math.floor(host.scrollTop / opts.rowHeight) +
        Math.ceil(opts.viewportHeight / opts.rowHeight) +
        opts.overscan,
    );
    const rows: HTMLDivElement[] = [];
    for (let i = first; i < last; i++) {
      const o = shown[i]!;
      const row = document.createElement('div');
      row.setAttribute('role', 'row');
      row.className = 'grid__row';
      row.dataset.miniId = o.id;
      row.style.position = 'absolute';
      row.style.left = '0';
      row.style.right = '0';
      row.style.height = `${opts.rowHeight}px`;
      row.style.transform = `translateY(${i * opts.rowHeight}px)`;
      row.append(
        cell('ref', o.merchantReference),
        cell('status', o.statusWord ?? o.state),
        cell('amount', money(o.amount, o.currency)),
        cell('phone', mask(o.phone)),
        cell('customer', o.customerName ?? ''),
        cell('time', when.format(new Date(o.createdAt))),
      );
      rows.push(row);
    }
    body.replaceChildren(...rows);
  };
  const mount = (): void => {
    host?.remove();
    host = document.createElement('div');
    host.setAttribute('role', 'grid');
    host.className = 'grid';
    host.style.cssText = `position:fixed;left:0;right:0;top:0;height:${opts.viewportHeight}px;overflow:auto;z-index:1000;background:#fff`;
    body = document.createElement('div');
    body.style.position = 'relative';
    host.appendChild(body);
    host.addEventListener('scroll', paint, { passive: true });
    document.body.appendChild(host);
  };
  /** Resolves with the ms since t0 at the first frame where the first shown row is laid out. */
  const laidOut = (t0: number): Promise<number> =>
    new Promise((resolve) => {
      const check = (): void => {
        const row = body?.firstElementChild;
        const ok = shown.length === 0 || (row != null && row.getBoundingClientRect().height > 0);
        if (ok) resolve(performance.now() - t0);
        else requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    });
  /** The board's search rules (OrderBoardScreen's makeMatcher, search field only). */
  const matcher = (query: string): ((o: Row) => boolean) => {
    const q = query.trim().toLowerCase();
    const digits = q.replace(/\D/g, '');
    const phoneDigits = /\p{L}/u.test(q) || digits.length < 3 ? '' : digits.replace(/^0+/, '');
    const amount = /^\d+(?:[.,]\d{1,2})?$/.test(q)
      ? Math.round(Number(q.replace(',', '.')) * 100)
      : undefined;
    return (o) =>
      q === '' ||
      o.merchantReference.toLowerCase().includes(q) ||
      (o.customerName?.toLowerCase().includes(q) ?? false) ||
      (o.email?.toLowerCase().includes(q) ?? false) ||
      (phoneDigits !== '' && o.phone.includes(phoneDigits)) ||
      amount === o.amount;
  };

  w.benchMini = {
    async fetchAndRender(limit) {
      const t0 = performance.now();
      const r = await w.paylink.orders.list({ limit });
      if (!r.ok) throw new Error('bench: orders.list failed');
      all = r.value.orders;
      shown = all;
      mount();
      paint();
      return laidOut(t0);
    },
    render() {
      const t0 = performance.now();
      shown = all;
      mount();
      paint();
      return laidOut(t0);
    },
    async search(query) {
      const t0 = performance.now();
      const match = matcher(query);
      shown = all.filter(match);
      if (host === null) mount();
      paint();
      return { ms: await laidOut(t0), count: shown.length };
    },
    unmount() {
      host?.remove();
      host = null;
      body = null;
    },
  };
}
