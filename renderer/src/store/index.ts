/** The renderer's zustand stores, and one reset for tests and window reloads. */
import { useAppStore } from './app';
import { useBoardStore } from './board';
import { useLinkStore } from './link';
import { useOrdersStore } from './orders';
import { useTrainingStore } from './training';

export { useAppStore, useBoardStore, useLinkStore, useOrdersStore, useTrainingStore };

/** Puts every store back to its initial state. */
export function resetStores(): void {
  useAppStore.getState().reset();
  useOrdersStore.getState().reset();
  useBoardStore.getState().reset();
  useTrainingStore.getState().reset();
  useLinkStore.getState().reset();
}
