/**
 * The board's fair baseline (bench 6), run inside the app's page: a minimal virtualised list in
 * plain DOM over the same first page the board shows, read through the same `window.paylink`
 * (`orders.page`: main's paged query, with the search when there is one), with the board's row
 * height, viewport, overscan, cells and CSS classes. No React, no store, no i18n, no window of
 * pages: what is left of the board's figures after subtracting this is what the app adds.
 * `installMiniList` is serialised into the page by page.evaluate, so it is self-contained (no
 * imports, no outer variables).
 */

/** What the page holds on `window.benchMini` after installMiniList. */
export interface MiniList {
  /** Reads the first page over window.paylink, mounts the list, ms until its first row is laid out. */
  fetchAndRender(limit: number): Promise<number>;
  /** Mounts the list over the orders already read; ms until its first row is laid out. */
  render(): Promise<number>;
  /**
   * Reads the search's first page over window.paylink and shows it; ms until laid out, how many
   * orders it holds and the first ones' ids.
   */
  search(query: string, limit: number): Promise<{ ms: number; count: number; ids: string[] }>;
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
    createdBy: string;
    originDesk?: string;
  }
  type PageResult = { ok: true; value: { orders: Row[] } } | { ok: false; error: unknown };
  const w = window as unknown as {
    benchMini: MiniList;
    paylink: {
      orders: { page: (q: { limit: number; search?: string }) => Promise<PageResult> };
    };
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
        cell('desk', o.originDesk ? `${o.createdBy} (${o.originDesk})` : 'This desk'),
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
  const read = async (q: { limit: number; search?: string }): Promise<Row[]> => {
    const r = await w.paylink.orders.page(q);
    if (!r.ok) throw new Error('bench: orders.page failed');
    return r.value.orders;
  };

  w.benchMini = {
    async fetchAndRender(limit) {
      const t0 = performance.now();
      all = await read({ limit });
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
    async search(query, limit) {
      const t0 = performance.now();
      shown = await read({ limit, ...(query.trim() !== '' ? { search: query } : {}) });
      if (host === null) mount();
      paint();
      return {
        ms: await laidOut(t0),
        count: shown.length,
        ids: shown.slice(0, 10).map((o) => o.id),
      };
    },
    unmount() {
      host?.remove();
      host = null;
      body = null;
    },
  };
}
