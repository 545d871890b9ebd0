/**
 * The update decisions on their own: the schedule on an injected clock and timer (at start,
 * then daily, whatever the wall clock does), and the restart gate (never while orders are
 * queued, a payment is being checked or an operation is in flight; once when all is clear;
 * never by itself).
 */
import { describe, expect, it } from 'vitest';
import type { PendingWork } from '../../../main/orders/engine-types';
import { createLogger } from '../../../main/log';
import { DeskUpdater, type UpdateState } from '../../../main/updates/desk-updater';
import { mayRestart } from '../../../main/updates/restart-gate';
import {
  failureOf,
  UpdateFeedError,
  type FeedAnswer,
  type UpdateFeed,
} from '../../../main/updates/update-feed';

const logger = createLogger({ level: 'silent' });
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const CLEAR: PendingWork = { queued: 0, outcomeUnknown: 0, operationsPending: 0 };

/** A feed that answers what the test says, and counts. */
function fakeFeed(answer: () => FeedAnswer | Error = () => ({ newer: false, latest: '1.0.0' })) {
  const calls = { check: 0, download: 0, install: 0 };
  const feed: UpdateFeed = {
    check: () => {
      calls.check += 1;
      const a = answer();
      return a instanceof Error ? Promise.reject(a) : Promise.resolve(a);
    },
    download: () => {
      calls.download += 1;
      return Promise.resolve();
    },
    install: () => {
      calls.install += 1;
      return true;
    },
  };
  return { feed, calls };
}

/** A desk updater on a hand-driven clock and timer. */
function setup(feed: UpdateFeed, start = Date.parse('2026-05-04T08:00:00Z')) {
  let t = start;
  let timer: { fn: () => void; everyMs: number } | undefined;
  let stopped = 0;
  const restarts: number[] = [];
  const desk = new DeskUpdater({
    feed,
    logger,
    now: () => t,
    repeat: (fn, everyMs) => {
      timer = { fn, everyMs };
      return () => {
        stopped += 1;
      };
    },
    restartApp: () => restarts.push(t),
  });
  return {
    desk,
    restarts,
    get stopped() {
      return stopped;
    },
    get timer() {
      return timer;
    },
    /** Moves the wall clock and lets the timer fire once (as the real one does every 10 min). */
    at: async (ms: number) => {
      t = ms;
      timer!.fn();
      await desk.tick();
    },
    get now() {
      return t;
    },
  };
}

describe('the schedule', () => {
  it('asks the feed at start and again once 24 h of the clock have passed', async () => {
    const { feed, calls } = fakeFeed();
    const s = setup(feed);
    const t0 = s.now;
    s.desk.start();
    await s.desk.tick();
    expect(calls.check).toBe(1);
    expect(s.desk.state).toEqual({ kind: 'upToDate', latest: '1.0.0' });
    expect(s.timer!.everyMs).toBe(10 * 60 * 1000);

    await s.at(t0 + 10 * 60 * 1000);
    await s.at(t0 + 23 * HOUR);
    await s.at(t0 + DAY - 1);
    expect(calls.check).toBe(1);
    await s.at(t0 + DAY);
    expect(calls.check).toBe(2);
    await s.at(t0 + DAY + HOUR);
    expect(calls.check).toBe(2);
    await s.at(t0 + 2 * DAY);
    expect(calls.check).toBe(3);
  });

  it('a clock jumping backwards does not stop the daily checks', async () => {
    const { feed, calls } = fakeFeed();
    const s = setup(feed);
    const t0 = s.now;
    s.desk.start();
    await s.desk.tick();
    await s.at(t0 + 5 * HOUR);
    expect(calls.check).toBe(1);

    // The clock is set back three days: the next tick counts as due and starts a new day.
    const back = t0 - 3 * DAY;
    await s.at(back);
    expect(calls.check).toBe(2);
    await s.at(back + 12 * HOUR);
    expect(calls.check).toBe(2);
    await s.at(back + DAY);
    expect(calls.check).toBe(3);
    await s.at(back + 2 * DAY);
    expect(calls.check).toBe(4);
  });

  it('a desk that slept through its check asks when it wakes', async () => {
    const { feed, calls } = fakeFeed();
    const s = setup(feed);
    const t0 = s.now;
    s.desk.start();
    await s.desk.tick();
    // The first tick after a three-day sleep.
    await s.at(t0 + 3 * DAY);
    expect(calls.check).toBe(2);
  });

  it('after a failure it tries again in an hour, and the app carries on meanwhile', async () => {
    let down = true;
    const { feed, calls } = fakeFeed(() =>
      down ? new UpdateFeedError('feed_unreachable') : { newer: true, version: '1.1.0' },
    );
    const s = setup(feed);
    const t0 = s.now;
    s.desk.start();
    await s.desk.tick();
    expect(s.desk.state).toEqual({ kind: 'failed', code: 'feed_unreachable' });
    await s.at(t0 + 30 * 60 * 1000);
    expect(calls.check).toBe(1);
    down = false;
    await s.at(t0 + HOUR);
    expect(calls.check).toBe(2);
    expect(s.desk.state).toEqual({ kind: 'ready', version: '1.1.0' });
  });

  it('downloads a newer version at once, then stops asking until the app restarts', async () => {
    const { feed, calls } = fakeFeed(() => ({ newer: true, version: '1.1.0' }));
    const s = setup(feed);
    const seen: UpdateState['kind'][] = [];
    s.desk.onChange((st) => seen.push(st.kind));
    s.desk.start();
    await s.desk.tick();
    expect(seen).toEqual(['checking', 'downloading', 'ready']);
    expect(calls).toEqual({ check: 1, download: 1, install: 0 });
    await s.at(s.now + 3 * DAY);
    expect(calls.check).toBe(1);
    expect(s.restarts).toEqual([]); // never by itself
  });

  it('one check at a time; stop() ends the timer', async () => {
    const { feed, calls } = fakeFeed();
    const s = setup(feed);
    s.desk.start();
    s.desk.start();
    const first = s.desk.tick();
    expect(s.desk.tick()).toBe(first);
    await first;
    expect(calls.check).toBe(1);
    s.desk.stop();
    expect(s.stopped).toBe(1);
  });
});

describe('the restart gate', () => {
  async function ready() {
    const f = fakeFeed(() => ({ newer: true, version: '2.0.0' }));
    const s = setup(f.feed);
    s.desk.start();
    await s.desk.tick();
    expect(s.desk.state).toEqual({ kind: 'ready', version: '2.0.0' });
    return Object.assign(s, { calls: f.calls });
  }

  it('refuses while orders are queued, an outcome is unknown or an operation is in flight', async () => {
    const s = await ready();
    const busy: Array<[PendingWork, string[]]> = [
      [{ ...CLEAR, queued: 1 }, ['queue']],
      [{ ...CLEAR, outcomeUnknown: 1 }, ['checking']],
      [{ ...CLEAR, operationsPending: 2 }, ['operation']],
      [{ queued: 3, outcomeUnknown: 1, operationsPending: 1 }, ['queue', 'checking', 'operation']],
    ];
    for (const [work, waitsFor] of busy) {
      expect(mayRestart(work)).toEqual({ allowed: false, waitsFor });
      expect(s.desk.restart(work)).toEqual({ restarting: false, why: 'busy', waitsFor });
    }
    expect(s.restarts).toEqual([]);
    expect(s.desk.state.kind).toBe('ready');
  });

  it('all clear: the app restarts exactly once, however often staff press', async () => {
    const s = await ready();
    expect(mayRestart(CLEAR)).toEqual({ allowed: true });
    expect(s.desk.restart(CLEAR)).toEqual({ restarting: true, version: '2.0.0' });
    expect(s.desk.restart(CLEAR)).toEqual({ restarting: true, version: '2.0.0' });
    expect(s.restarts).toHaveLength(1);
    expect(s.stopped).toBe(1); // no more checks once restarting
    // The shell installs after its close path; the feed's installer runs once.
    expect(s.desk.install()).toBe(true);
    expect(s.calls.install).toBe(1);
  });

  it('nothing ready: refused, whatever the desk is doing', async () => {
    const { feed } = fakeFeed();
    const s = setup(feed);
    expect(s.desk.restart(CLEAR)).toEqual({ restarting: false, why: 'not_ready' });
    s.desk.start();
    await s.desk.tick();
    expect(s.desk.restart(CLEAR)).toEqual({ restarting: false, why: 'not_ready' });
    expect(s.restarts).toEqual([]);
  });
});

describe("what electron-updater's errors become", () => {
  it('maps its codes and the network to stable failure codes', () => {
    const e = (code: string, message = '') => Object.assign(new Error(message), { code });
    expect(failureOf(e('ERR_CHECKSUM_MISMATCH'), 'download')).toBe('download_damaged');
    expect(failureOf(e('ERR_UPDATER_INVALID_SIGNATURE'), 'download')).toBe('signature_invalid');
    expect(failureOf(e('ERR_UPDATER_INVALID_UPDATE_INFO'), 'check')).toBe('feed_invalid');
    expect(failureOf(e('ERR_UPDATER_INVALID_VERSION'), 'check')).toBe('feed_invalid');
    expect(failureOf(e('ERR_UPDATER_CHANNEL_FILE_NOT_FOUND'), 'check')).toBe('feed_error');
    expect(failureOf(e('HTTP_ERROR_503'), 'check')).toBe('feed_error');
    expect(failureOf(e('ECONNREFUSED'), 'check')).toBe('feed_unreachable');
    expect(failureOf(e('ENOTFOUND'), 'check')).toBe('feed_unreachable');
    expect(failureOf(new Error('Request timed out'), 'check')).toBe('feed_unreachable');
    expect(failureOf(e('ECONNRESET'), 'download')).toBe('download_failed');
    expect(failureOf(new UpdateFeedError('not_supported'), 'check')).toBe('not_supported');
  });
});
