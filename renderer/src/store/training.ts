/** What the training panel shows: the simulator's SMS and its payment sessions. */
import { create } from 'zustand';
import type { TrainingSession, TrainingSms } from '../../../common/domain';

export interface TrainingState {
  /** Newest first. */
  sms: TrainingSms[];
  sessions: TrainingSession[];
  setSms: (sms: TrainingSms[]) => void;
  addSms: (sms: TrainingSms) => void;
  setSessions: (sessions: TrainingSession[]) => void;
  upsertSession: (session: TrainingSession) => void;
  reset: () => void;
}

const byNewest = (a: TrainingSms, b: TrainingSms): number =>
  a.at < b.at ? 1 : a.at > b.at ? -1 : 0;

export const useTrainingStore = create<TrainingState>()((set) => ({
  sms: [],
  sessions: [],
  setSms: (sms) => set({ sms: sms.slice().sort(byNewest) }),
  addSms: (one) =>
    set((s) => (s.sms.some((m) => m.id === one.id) ? s : { sms: [one, ...s.sms].sort(byNewest) })),
  setSessions: (sessions) => set({ sessions }),
  upsertSession: (one) =>
    set((s) => {
      const i = s.sessions.findIndex((x) => x.sessionId === one.sessionId);
      if (i < 0) return { sessions: [one, ...s.sessions] };
      const sessions = s.sessions.slice();
      sessions[i] = one;
      return { sessions };
    }),
  reset: () => set({ sms: [], sessions: [] }),
}));
