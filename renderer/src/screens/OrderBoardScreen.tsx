/**
 * "Orders": the orders with their live status, newest first. The screen holds a window of
 * them, never all (store/board.ts): main reads the pages through its indexes, filtered and
 * searched there, and the list (virtualised: only the rows on screen exist in the DOM) reads
 * more as it scrolls. Every keystroke in the search asks main at once; while a search is read,
 * the newer keystrokes wait and only the last one is read. One tab stop: the grid itself, with
 * the arrow keys moving the active row (aria-activedescendant) and Enter opening it.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useVirtualizer } from '@tanstack/react-virtual';
import { ORDER_STATES, shownState, type OrderState } from '../../../common/domain';
import { BOARD_SEARCH_MAX, type BoardFilter } from '../../../common/order-search';
import { Field } from '../components/Field';
import { StatusBadge } from '../components/StatusBadge';
import { useFormat } from '../lib/format';
import { useText } from '../lib/text';
import { orderPhone } from '../lib/phone-display';
import { useAppStore, useBoardStore } from '../store';
import type { BoardPreset } from '../store/app';
import { boardWindow, showBoard, viewBoard } from '../store/board';

/** Row height in px (fixed: no measuring, so scrolling stays cheap). */
export const ROW_HEIGHT = 48;
const HEADER_HEIGHT = 40;
const PAGE = 10;

/** What staff set above the list. */
export interface BoardControls {
  search: string;
  state: OrderState | '';
  /** Local dates, YYYY-MM-DD, inclusive; '' = open. */
  from: string;
  to: string;
}

const EMPTY_CONTROLS: BoardControls = { search: '', state: '', from: '', to: '' };

/** Local midnight of a YYYY-MM-DD day, `days` later; undefined for an incomplete date. */
function localDay(day: string, days = 0): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days).getTime();
}

/** The later (`pick` max) or earlier (min) of two instants, as ISO; either may be missing. */
function bound(
  a: number | undefined,
  b: string | undefined,
  pick: (x: number, y: number) => number,
): string | undefined {
  const both = [a, b === undefined ? undefined : Date.parse(b)].filter(
    (x): x is number => x !== undefined && !Number.isNaN(x),
  );
  return both.length === 0 ? undefined : new Date(both.reduce(pick)).toISOString();
}

/** What main is asked for: the controls, and a day close's orders when the board shows them. */
export function boardQuery(c: BoardControls, preset: BoardPreset | undefined): BoardFilter {
  const fromDay = c.from ? localDay(c.from) : undefined;
  const toDay = c.to ? localDay(c.to, 1) : undefined;
  const from = bound(fromDay, preset?.from, Math.max);
  const to = bound(toDay === undefined ? undefined : toDay - 1, preset?.to, Math.min);
  return {
    ...(c.state !== '' ? { states: [c.state] } : {}),
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    ...(preset !== undefined ? { ids: preset.orderIds } : {}),
    ...(c.search.trim() !== '' ? { search: c.search } : {}),
  };
}

const isFiltered = (f: BoardFilter | undefined): boolean =>
  f !== undefined &&
  ((f.states?.length ?? 0) > 0 ||
    f.from !== undefined ||
    f.to !== undefined ||
    f.ids !== undefined ||
    (f.search ?? '') !== '');

export function OrderBoardScreen() {
  const { t } = useTranslation();
  const f = useFormat();
  const slots = useBoardStore((s) => s.slots);
  const shown = useBoardStore((s) => s.filter);
  const total = useBoardStore((s) => s.total);
  const all = useBoardStore((s) => s.all);
  const loadError = useBoardStore((s) => s.loadError);
  const reading = useBoardStore((s) => s.reading);
  const openOrder = useAppStore((s) => s.openOrder);
  const preset = useAppStore((s) => s.boardPreset);
  const clearPreset = useAppStore((s) => s.clearBoardPreset);
  const text = useText();
  const [controls, setControls] = useState<BoardControls>(EMPTY_CONTROLS);
  const [fullPhones, setFullPhones] = useState(false);
  const [active, setActive] = useState<{ id?: string; index: number }>({ index: 0 });

  const query = useMemo(() => boardQuery(controls, preset), [controls, preset]);
  // Before the screen paints: a keystroke's search is on its way to main a frame sooner.
  useLayoutEffect(() => showBoard(query), [query]);

  const win = useMemo(() => boardWindow(slots), [slots]);
  const loaded = shown !== undefined;
  // One more row while the board goes on: it says so, and reading it reads the next page.
  const rowCount = win.length + (loaded && !win.complete ? 1 : 0);
  const known = win.complete ? win.length : total;

  const found = active.id === undefined ? active.index : win.indexOf(active.id);
  const activeIndex = Math.max(0, Math.min(win.length - 1, found >= 0 ? found : 0));
  const gridRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => gridRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    useFlushSync: false,
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
    getItemKey: (i) => win.rowAt(i)?.id ?? `row-${i}`,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? 0;
  useEffect(() => viewBoard(first, last), [first, last]);

  // Rows added or taken out above the rows on screen (a new order at the top, a page read
  // again) must not move what staff are looking at: keep the top row where it was, unless
  // the list is at its top (then a new order shows there).
  const anchor = useRef<{ id: string; index: number } | undefined>(undefined);
  const remember = (): void => {
    const el = gridRef.current;
    const top = el ? Math.floor(el.scrollTop / ROW_HEIGHT) : 0;
    anchor.current = undefined;
    for (let i = top; i < Math.min(win.length, top + 20); i++) {
      const o = win.rowAt(i);
      if (o !== undefined) {
        anchor.current = { id: o.id, index: i };
        return;
      }
    }
  };
  useLayoutEffect(() => {
    const el = gridRef.current;
    const was = anchor.current;
    if (el && was && el.scrollTop > 0) {
      const now = win.indexOf(was.id);
      if (now >= 0 && now !== was.index) el.scrollTop += (now - was.index) * ROW_HEIGHT;
    }
    remember();
  });

  const moveTo = (index: number): void => {
    if (win.length === 0) return;
    const i = Math.max(0, Math.min(win.length - 1, index));
    setActive({ index: i, ...(win.rowAt(i) ? { id: win.rowAt(i)!.id } : {}) });
    virtualizer.scrollToIndex(i, { align: 'auto' });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const keys: Record<string, () => void> = {
      ArrowDown: () => moveTo(activeIndex + 1),
      ArrowUp: () => moveTo(activeIndex - 1),
      PageDown: () => moveTo(activeIndex + PAGE),
      PageUp: () => moveTo(activeIndex - PAGE),
      Home: () => moveTo(0),
      End: () => moveTo(win.length - 1),
      Enter: () => {
        const o = win.rowAt(activeIndex);
        if (o !== undefined) openOrder(o.id);
      },
    };
    const action = keys[e.key];
    if (action !== undefined) {
      e.preventDefault();
      action();
    }
  };

  const set = <K extends keyof BoardControls>(key: K, value: BoardControls[K]): void =>
    setControls((s) => ({ ...s, [key]: value }));
  const filtered =
    preset !== undefined ||
    controls.search !== '' ||
    controls.state !== '' ||
    controls.from !== '' ||
    controls.to !== '';
  const activeRow = win.rowAt(activeIndex);

  const count = !loaded
    ? ''
    : !isFiltered(shown)
      ? t('board.count', { count: known ?? win.length })
      : known !== undefined
        ? t('board.countFiltered', { shown: known, total: all ?? 0 })
        : t('board.countAtLeast', { shown: win.length, total: all ?? 0 });

  return (
    <div className="screen screen--board">
      <div className="board__header">
        <h1 id="board-heading">{t('board.heading')}</h1>
        <p className="board__count" role="status" aria-live="polite">
          {count}
        </p>
      </div>
      {preset !== undefined && (
        <p className="banner banner--info board__preset">
          <span>{text(preset.label)}</span>{' '}
          <button type="button" className="button button--quiet" onClick={clearPreset}>
            {t('board.clearFilters')}
          </button>
        </p>
      )}
      <div className="board__filters" role="search">
        <Field label={t('board.search')} hint={t('board.searchHint')} className="field--search">
          {(ids) => (
            <input
              {...ids}
              type="search"
              className="input"
              autoComplete="off"
              maxLength={BOARD_SEARCH_MAX}
              value={controls.search}
              onChange={(e) => set('search', e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label={t('board.statusFilter')}>
          {(ids) => (
            <select
              {...ids}
              className="input"
              value={controls.state}
              onChange={(e) => set('state', e.currentTarget.value as OrderState | '')}
            >
              <option value="">{t('board.allStatuses')}</option>
              {ORDER_STATES.map((s) => (
                <option key={s} value={s}>
                  {f.status(s)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('board.from')}>
          {(ids) => (
            <input
              {...ids}
              type="date"
              className="input"
              value={controls.from}
              onChange={(e) => set('from', e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label={t('board.to')}>
          {(ids) => (
            <input
              {...ids}
              type="date"
              className="input"
              value={controls.to}
              onChange={(e) => set('to', e.currentTarget.value)}
            />
          )}
        </Field>
        <div className="board__filter-actions">
          <label className="checkbox">
            <input
              type="checkbox"
              checked={fullPhones}
              onChange={(e) => setFullPhones(e.currentTarget.checked)}
            />
            {t('board.showFullPhones')}
          </label>
          <button
            type="button"
            className="button button--quiet"
            disabled={!filtered}
            onClick={() => {
              setControls(EMPTY_CONTROLS);
              clearPreset();
            }}
          >
            {t('board.clearFilters')}
          </button>
        </div>
      </div>

      {loadError !== undefined && (
        <p className="form-error" role="alert">
          {t('board.loadError', { message: loadError })}
        </p>
      )}

      <div
        ref={gridRef}
        className="grid"
        role="grid"
        tabIndex={0}
        aria-label={t('board.listLabel')}
        aria-rowcount={known !== undefined ? known + 1 : -1}
        aria-colcount={6}
        aria-activedescendant={activeRow !== undefined ? `order-row-${activeRow.id}` : undefined}
        aria-busy={!loaded || reading}
        onKeyDown={onKeyDown}
        onScroll={remember}
        data-virtual-viewport=""
      >
        <div role="rowgroup" className="grid__head">
          <div role="row" aria-rowindex={1} className="grid__row grid__row--head">
            <span role="columnheader" className="col col--ref">
              {t('board.colReference')}
            </span>
            <span role="columnheader" className="col col--status">
              {t('board.colStatus')}
            </span>
            <span role="columnheader" className="col col--amount">
              {t('board.colAmount')}
            </span>
            <span role="columnheader" className="col col--phone">
              {t('board.colPhone')}
            </span>
            <span role="columnheader" className="col col--customer">
              {t('board.colCustomer')}
            </span>
            <span role="columnheader" className="col col--desk">
              {t('board.colDesk')}
            </span>
            <span role="columnheader" className="col col--time">
              {t('board.colTime')}
            </span>
          </div>
        </div>
        <div role="rowgroup" className="grid__body" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const o = win.rowAt(item.index);
            const style = {
              transform: `translateY(${item.start - HEADER_HEIGHT}px)`,
              height: ROW_HEIGHT,
            };
            if (o === undefined) {
              // A row not read (again) yet, or the row that says more is being looked for.
              return (
                <div
                  key={item.key}
                  role="row"
                  aria-rowindex={item.index + 2}
                  className="grid__row grid__row--pending"
                  style={style}
                >
                  <span role="gridcell" className="col col--pending">
                    {item.index >= win.length ? t('board.loadingMore') : t('app.loading')}
                  </span>
                </div>
              );
            }
            const isActive = item.index === activeIndex;
            return (
              <div
                key={o.id}
                id={`order-row-${o.id}`}
                role="row"
                aria-rowindex={item.index + 2}
                aria-selected={isActive}
                className={`grid__row${isActive ? ' grid__row--active' : ''}`}
                data-order-id={o.id}
                data-state={o.state}
                style={style}
                onClick={() => {
                  setActive({ id: o.id, index: item.index });
                  openOrder(o.id);
                }}
              >
                <span role="gridcell" className="col col--ref">
                  {o.merchantReference}
                </span>
                <span role="gridcell" className="col col--status">
                  <StatusBadge state={shownState(o)} />
                </span>
                <span role="gridcell" className="col col--amount">
                  {f.money(o.amount, o.currency)}
                </span>
                <span role="gridcell" className="col col--phone">
                  {orderPhone(o.phone, t('customerData.erased'), !fullPhones)}
                </span>
                <span role="gridcell" className="col col--customer">
                  {o.customerName ?? ''}
                </span>
                <span role="gridcell" className="col col--desk">
                  {o.originDesk
                    ? t('board.otherDesk', { desk: o.createdBy, deskId: o.originDesk })
                    : t('board.thisDesk')}
                </span>
                <span role="gridcell" className="col col--time">
                  <time dateTime={o.createdAt}>{f.when(o.createdAt)}</time>
                </span>
              </div>
            );
          })}
        </div>
      </div>
      {loaded && win.complete && win.length === 0 && (
        <p className="grid__empty">{all === 0 ? t('board.empty') : t('board.noMatch')}</p>
      )}
    </div>
  );
}
