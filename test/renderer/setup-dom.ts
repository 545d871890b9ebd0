/**
 * Setup for the happy-dom and jsdom projects (vitest.config.ts setupFiles): unmounts after each
 * test, puts the stores, the language and the fakes back, and stubs what the DOMs lack for the
 * virtualised board: no layout (so the board's scroll viewport reports a fixed size), no
 * ResizeObserver in jsdom, no Element.scrollTo, no matchMedia.
 */
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import { i18n } from '../../renderer/src/i18n';
import { resetStores } from '../../renderer/src/store';
import { disposeAllFakes } from './fake-paylink';

/** Size the board's scroll viewport pretends to have (no layout in happy-dom/jsdom). */
export const VIEWPORT = { width: 1000, height: 640 };

const isViewport = (el: Element): boolean => el.hasAttribute('data-virtual-viewport');

function patchGetter(
  name: 'clientHeight' | 'clientWidth' | 'offsetHeight' | 'offsetWidth' | 'scrollHeight',
  size: number | ((el: HTMLElement) => number),
): void {
  const proto = HTMLElement.prototype;
  const original =
    Object.getOwnPropertyDescriptor(proto, name) ??
    Object.getOwnPropertyDescriptor(Element.prototype, name);
  Object.defineProperty(proto, name, {
    configurable: true,
    get(this: HTMLElement) {
      if (isViewport(this)) return typeof size === 'number' ? size : size(this);
      return (original?.get?.call(this) as number | undefined) ?? 0;
    },
  });
}
patchGetter('clientHeight', VIEWPORT.height);
patchGetter('offsetHeight', VIEWPORT.height);
patchGetter('clientWidth', VIEWPORT.width);
patchGetter('offsetWidth', VIEWPORT.width);
// Content height: the children's inline heights (the virtual body sets one), 40px otherwise.
patchGetter('scrollHeight', (el) =>
  Array.from(el.children).reduce(
    (h, c) => h + (parseFloat((c as HTMLElement).style.height) || 40),
    0,
  ),
);

// Scroll position for the viewport, kept per element (the DOMs have no layout to scroll).
const scrollTops = new WeakMap<Element, number>();
const scrollTopDescriptor =
  Object.getOwnPropertyDescriptor(Element.prototype, 'scrollTop') ??
  Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'scrollTop');
Object.defineProperty(HTMLElement.prototype, 'scrollTop', {
  configurable: true,
  get(this: HTMLElement) {
    if (isViewport(this)) return scrollTops.get(this) ?? 0;
    return (scrollTopDescriptor?.get?.call(this) as number | undefined) ?? 0;
  },
  set(this: HTMLElement, v: number) {
    if (isViewport(this)) scrollTops.set(this, Math.max(0, v));
    else scrollTopDescriptor?.set?.call(this, v);
  },
});
Element.prototype.scrollTo = function scrollTo(
  this: Element,
  a?: ScrollToOptions | number,
  b?: number,
): void {
  const top = typeof a === 'number' ? (b ?? 0) : (a?.top ?? this.scrollTop);
  this.scrollTop = top;
  this.dispatchEvent(new Event('scroll'));
};
Element.prototype.scrollIntoView ??= function scrollIntoView(): void {};

if (typeof globalThis.ResizeObserver === 'undefined') {
  globalThis.ResizeObserver = class {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  };
}

if (typeof window.matchMedia !== 'function') {
  window.matchMedia = (query: string): MediaQueryList =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => {},
      removeListener: () => {},
      addEventListener: () => {},
      removeEventListener: () => {},
      dispatchEvent: () => false,
    }) as MediaQueryList;
}

afterEach(async () => {
  cleanup();
  disposeAllFakes();
  resetStores();
  await i18n.changeLanguage('en');
  document.documentElement.lang = 'en';
});
