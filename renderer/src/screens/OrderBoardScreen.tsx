/**
 * "Orders": every order with its live status, newest first. Search and filters run over the
 * store in memory (10,000 orders filter in a few milliseconds); the list is virtualised, so
 * only the rows on screen exist in the DOM. One tab stop: the grid itself, with the arrow keys
 * moving the active row (aria-activedescendant) and Enter opening it.
 */
import { useDeferredValue, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  CURRENCIES,
  ORDER_STATES,
  shownState,
  type Currency,
  type OrderState,
  type OrderSummary,
} from '../../../common/domain';
import { parseAmount } from '../../../common/money';
import { Field } from '../components/Field';
import { StatusBadge } from '../components/StatusBadge';
import { useFormat } from '../lib/format';
import { useText } from '../lib/text';
import { orderPhone } from '../lib/phone-display';
import { useAppStore, useOrdersStore } from '../store';

/** Row height in px (fixed: no measuring, so scrolling 10,000 rows stays cheap). */
export const ROW_HEIGHT = 48;
const HEADER_HEIGHT = 40;
const PAGE = 10;

export interface BoardFilter {
  search: string;
  state: OrderState | '';
  /** Local dates, YYYY-MM-DD, inclusive; '' = open. */
  from: string;
  to: string;
}

/** The predicate the board applies; exported for tests of the matching rules. */
export function makeMatcher(filter: BoardFilter): (o: OrderSummary) => boolean {
  const q = filter.search.trim().toLowerCase();
  const digits = q.replace(/\D/g, '');
  const phoneDigits = /\p{L}/u.test(q) || digits.length < 3 ? '' : digits.replace(/^0+/, '');
  const amounts = new Map<Currency, number>();
  if (q !== '') {
    for (const c of CURRENCIES) {
      const a = parseAmount(q, c);
      if (a.ok) amounts.set(c, a.minor);
    }
  }
  const fromMs = filter.from ? new Date(`${filter.from}T00:00:00`).getTime() : -Infinity;
  const toMs = filter.to ? new Date(`${filter.to}T00:00:00`).getTime() + 86_400_000 : Infinity;
  return (o) => {
    if (filter.state !== '' && o.state !== filter.state) return false;
    if (filter.from || filter.to) {
      const at = Date.parse(o.createdAt);
      if (!(at >= fromMs && at < toMs)) return false;
    }
    if (q === '') return true;
    if (o.merchantReference.toLowerCase().includes(q)) return true;
    // The order's number in the shop's other system (a paylink: link's reference).
    if (o.externalReference?.toLowerCase().includes(q)) return true;
    if (o.customerName?.toLowerCase().includes(q)) return true;
    if (o.email?.toLowerCase().includes(q)) return true;
    if (phoneDigits !== '' && o.phone.includes(phoneDigits)) return true;
    return amounts.get(o.currency) === o.amount;
  };
}

const EMPTY_FILTER: BoardFilter = { search: '', state: '', from: '', to: '' };

export function OrderBoardScreen() {
  const { t } = useTranslation();
  const f = useFormat();
  const ids = useOrdersStore((s) => s.ids);
  const byId = useOrdersStore((s) => s.byId);
  const loaded = useOrdersStore((s) => s.loaded);
  const loadError = useOrdersStore((s) => s.loadError);
  const openOrder = useAppStore((s) => s.openOrder);
  const preset = useAppStore((s) => s.boardPreset);
  const clearPreset = useAppStore((s) => s.clearBoardPreset);
  const text = useText();
  const [filter, setFilter] = useState<BoardFilter>(EMPTY_FILTER);
  const [fullPhones, setFullPhones] = useState(false);
  const [activeId, setActiveId] = useState<string>();
  const deferredFilter = useDeferredValue(filter);

  const rows = useMemo(() => {
    const match = makeMatcher(deferredFilter);
    const only = preset ? new Set(preset.orderIds) : undefined;
    const out: OrderSummary[] = [];
    for (const id of ids) {
      if (only && !only.has(id)) continue;
      const o = byId[id];
      if (o !== undefined && match(o)) out.push(o);
    }
    return out;
  }, [ids, byId, deferredFilter, preset]);

  const found = activeId === undefined ? -1 : rows.findIndex((o) => o.id === activeId);
  const activeIndex = found >= 0 ? found : 0;
  const gridRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => gridRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    useFlushSync: false,
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
    getItemKey: (i) => rows[i]?.id ?? i,
  });

  const moveTo = (index: number): void => {
    if (rows.length === 0) return;
    const i = Math.max(0, Math.min(rows.length - 1, index));
    setActiveId(rows[i]!.id);
    virtualizer.scrollToIndex(i, { align: 'auto' });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const keys: Record<string, () => void> = {
      ArrowDown: () => moveTo(activeIndex + 1),
      ArrowUp: () => moveTo(activeIndex - 1),
      PageDown: () => moveTo(activeIndex + PAGE),
      PageUp: () => moveTo(activeIndex - PAGE),
      Home: () => moveTo(0),
      End: () => moveTo(rows.length - 1),
      Enter: () => {
        const o = rows[activeIndex];
        if (o !== undefined) openOrder(o.id);
      },
    };
    const action = keys[e.key];
    if (action !== undefined) {
      e.preventDefault();
      action();
    }
  };

  const set = <K extends keyof BoardFilter>(key: K, value: BoardFilter[K]): void =>
    setFilter((s) => ({ ...s, [key]: value }));
  const filtered =
    preset !== undefined ||
    filter.search !== '' ||
    filter.state !== '' ||
    filter.from !== '' ||
    filter.to !== '';
  const active = rows[activeIndex];
  const items = virtualizer.getVirtualItems();

  return (
    <div className="screen screen--board">
      <div className="board__header">
        <h1 id="board-heading">{t('board.heading')}</h1>
        <p className="board__count" role="status" aria-live="polite">
          {filtered
            ? t('board.countFiltered', { shown: rows.length, total: ids.length })
            : t('board.count', { count: ids.length })}
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
              value={filter.search}
              onChange={(e) => set('search', e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label={t('board.statusFilter')}>
          {(ids) => (
            <select
              {...ids}
              className="input"
              value={filter.state}
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
              value={filter.from}
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
              value={filter.to}
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
              setFilter(EMPTY_FILTER);
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
        aria-rowcount={rows.length + 1}
        aria-colcount={6}
        aria-activedescendant={active !== undefined ? `order-row-${active.id}` : undefined}
        onKeyDown={onKeyDown}
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
            <span role="columnheader" className="col col--time">
              {t('board.colTime')}
            </span>
          </div>
        </div>
        <div role="rowgroup" className="grid__body" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const o = rows[item.index];
            if (o === undefined) return null;
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
                style={{
                  transform: `translateY(${item.start - HEADER_HEIGHT}px)`,
                  height: ROW_HEIGHT,
                }}
                onClick={() => {
                  setActiveId(o.id);
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
                <span role="gridcell" className="col col--time">
                  <time dateTime={o.createdAt}>{f.when(o.createdAt)}</time>
                </span>
              </div>
            );
          })}
        </div>
      </div>
      {loaded && rows.length === 0 && (
        <p className="grid__empty">{ids.length === 0 ? t('board.empty') : t('board.noMatch')}</p>
      )}
    </div>
  );
}
