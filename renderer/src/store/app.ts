/**
 * App-wide state: the status bar's AppStatus, the settings view, and which screen is shown.
 * There is no router: a desk app has six screens and the keyboard moves between them.
 */
import { create } from 'zustand';
import type { AppStatus } from '../../../common/domain';
import type { Message } from '../../../common/i18n/messages';
import type { DeskAccess, SettingsView } from '../../../common/ipc-contract';

export type Screen = 'entry' | 'board' | 'detail' | 'dayClose' | 'settings' | 'training';

/** Orders the board shows alone, picked on another screen (a day-close figure). */
export interface BoardPreset {
  /** What the board says it is showing. */
  label: Message;
  orderIds: string[];
  /** When they were made, at the earliest and latest (ISO; the day): main reads only those. */
  from?: string;
  to?: string;
}

export interface AppState {
  status: AppStatus | null;
  settings: SettingsView | null;
  /** Who may be at the desk, who is, and the refund rules (never a PIN). */
  access: DeskAccess | null;
  screen: Screen;
  /** Order shown by the detail screen. */
  detailId?: string;
  /**
   * What staff asked for when opening it from a notification: 'capture' opens the capture
   * confirmation (never the capture itself). Consumed by the detail screen.
   */
  detailIntent?: 'capture';
  /**
   * The board shows only these orders until cleared (its Clear button, or the navigation's
   * Orders entry); going back from an order's detail keeps it.
   */
  boardPreset?: BoardPreset;
  /** A problem reaching main at start (shown instead of the screens' data). */
  bootError?: string;
  setStatus: (status: AppStatus) => void;
  setSettings: (view: SettingsView) => void;
  setAccess: (access: DeskAccess) => void;
  setBootError: (message: string | undefined) => void;
  navigate: (screen: Exclude<Screen, 'detail'>) => void;
  openOrder: (id: string, intent?: 'capture') => void;
  /** Opens the board showing only these orders. */
  showOnBoard: (preset: BoardPreset) => void;
  clearBoardPreset: () => void;
  /** The detail screen has acted on the intent. */
  clearIntent: () => void;
  reset: () => void;
}

export const useAppStore = create<AppState>()((set) => ({
  status: null,
  settings: null,
  access: null,
  screen: 'entry',
  setStatus: (status) => set({ status }),
  setSettings: (settings) => set({ settings }),
  setAccess: (access) => set({ access }),
  setBootError: (bootError) => set({ bootError }),
  navigate: (screen) => set({ screen, detailIntent: undefined }),
  showOnBoard: (boardPreset) => set({ screen: 'board', boardPreset, detailIntent: undefined }),
  clearBoardPreset: () => set({ boardPreset: undefined }),
  openOrder: (detailId, detailIntent) => set({ screen: 'detail', detailId, detailIntent }),
  clearIntent: () => set({ detailIntent: undefined }),
  reset: () =>
    set({
      status: null,
      settings: null,
      access: null,
      screen: 'entry',
      detailId: undefined,
      detailIntent: undefined,
      boardPreset: undefined,
      bootError: undefined,
    }),
}));
