/**
 * A paylink: link's New order (main/paylink-links.ts): the latest link main handed over, until
 * the New order screen has filled itself in from it or said why not. Main numbers its links,
 * so a link both heard ('navigate:newOrder') and taken at start ('app:takeLink') is used once.
 * A link only fills in the form: nothing is sent until staff press Send link.
 */
import { create } from 'zustand';
import type { NewOrderLink } from '../../../common/paylink-link';

export interface LinkState {
  /** The link New order has not used yet. */
  waiting?: NewOrderLink;
  /** The highest number received; older or repeated links are ignored. */
  lastSeq: number;
  /** Keeps a link for New order; false when it was seen already. */
  receive: (link: NewOrderLink) => boolean;
  /** New order has used link `seq`. */
  consume: (seq: number) => void;
  reset: () => void;
}

export const useLinkStore = create<LinkState>()((set, get) => ({
  lastSeq: 0,
  receive: (link) => {
    if (link.seq <= get().lastSeq) return false;
    set({ waiting: link, lastSeq: link.seq });
    return true;
  },
  consume: (seq) => {
    if (get().waiting?.seq === seq) set({ waiting: undefined });
  },
  reset: () => set({ waiting: undefined, lastSeq: 0 }),
}));
