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
  /** A problem reaching main at start (shown instead of the screens' data). */
  bootError?: string;
  setStatus: (status: AppStatus) => void;
  setSettings: (view: SettingsView) => void;
  setBootError: (message: string | undefined) => void;
  navigate: (screen: Exclude<Screen, 'detail'>) => void;
  openOrder: (id: string) => void;
  reset: () => void;
}

export const useAppStore = create<AppState>()((set) => ({
  status: null,
  settings: null,
  screen: 'entry',
  setStatus: (status) => set({ status }),
  setSettings: (settings) => set({ settings }),
  setBootError: (bootError) => set({ bootError }),
  navigate: (screen) => set({ screen }),
  openOrder: (detailId) => set({ screen: 'detail', detailId }),
  reset: () =>
    set({
      status: null,
      settings: null,
      screen: 'entry',
      detailId: undefined,
      bootError: undefined,
    }),
}));
