/**
 * App-wide state: the status bar's AppStatus, the settings view, and which screen is shown.
 * There is no router: a desk app has five screens and the keyboard moves between them.
 */
import { create } from 'zustand';
import type { AppStatus } from '../../../common/domain';
import type { SettingsView } from '../../../common/ipc-contract';

export type Screen = 'entry' | 'board' | 'detail' | 'settings' | 'training';

export interface AppState {
  status: AppStatus | null;
  settings: SettingsView | null;
  screen: Screen;
  /** Order shown by the detail screen. */
  detailId?: string;
  /**
   * What staff asked for when opening it from a notification: 'capture' opens the capture
   * confirmation (never the capture itself). Consumed by the detail screen.
   */
  detailIntent?: 'capture';
  /** A problem reaching main at start (shown instead of the screens' data). */
  bootError?: string;
  setStatus: (status: AppStatus) => void;
  setSettings: (view: SettingsView) => void;
  setBootError: (message: string | undefined) => void;
  navigate: (screen: Exclude<Screen, 'detail'>) => void;
  openOrder: (id: string, intent?: 'capture') => void;
  /** The detail screen has acted on the intent. */
  clearIntent: () => void;
  reset: () => void;
}

export const useAppStore = create<AppState>()((set) => ({
  status: null,
  settings: null,
  screen: 'entry',
  setStatus: (status) => set({ status }),
  setSettings: (settings) => set({ settings }),
  setBootError: (bootError) => set({ bootError }),
  navigate: (screen) => set({ screen, detailIntent: undefined }),
  openOrder: (detailId, detailIntent) => set({ screen: 'detail', detailId, detailIntent }),
  clearIntent: () => set({ detailIntent: undefined }),
  reset: () =>
    set({
      status: null,
      settings: null,
      screen: 'entry',
      detailId: undefined,
      detailIntent: undefined,
      bootError: undefined,
    }),
}));
