/**
 * Absence is never concluded from one read. Dintero's session search and transaction reads
 * may lag behind its writes (by how much is undocumented), so "not there" only counts once
 * several reads, spread over a window measured on a MONOTONIC clock, all said so. A wall-clock
 * jump can therefore neither shorten the wait nor make two reads look far apart.
 *
 * The watch lives in memory: after a restart the window starts again, which only makes the
 * app wait longer, never shorter.
 */

/** How many reads over how long it takes before "absent" is believed. */
export interface AbsenceRule {
  /** Monotonic ms between the first and the last absent read (default 60 s). */
  windowMs: number;
  /** Absent reads needed, first and last included (default 3). */
  reads: number;
}

/** Where one watched thing stands after a read. */
export interface AbsenceVerdict {
  /** True once `reads` absent reads spanning at least `windowMs` were seen. */
  conclusive: boolean;
  /** Absent reads so far. */
  reads: number;
  /** Monotonic ms until the next read is worth making. */
  nextReadInMs: number;
}

/** Tracks absent reads per key (an order id or an operation id). */
export class AbsenceWatch {
  private readonly seen = new Map<string, { first: number; reads: number }>();

  constructor(
    private readonly rule: () => AbsenceRule,
    private readonly mono: () => number,
  ) {}

  /** Spacing between reads: the window split over the reads still needed. */
  private spacing(): number {
    const { windowMs, reads } = this.rule();
    return Math.ceil(windowMs / Math.max(1, reads - 1));
  }

  /** Records one successful read that did not show the thing; says whether that settles it. */
  absent(key: string): AbsenceVerdict {
    const { windowMs, reads } = this.rule();
    const at = this.mono();
    const entry = this.seen.get(key) ?? { first: at, reads: 0 };
    entry.reads += 1;
    this.seen.set(key, entry);
    const elapsed = at - entry.first;
    const conclusive = entry.reads >= reads && elapsed >= windowMs;
    if (conclusive) this.seen.delete(key);
    const untilWindow = Math.max(0, entry.first + windowMs - at);
    return {
      conclusive,
      reads: entry.reads,
      nextReadInMs: Math.max(
        1,
        entry.reads + 1 >= reads ? untilWindow : Math.min(this.spacing(), untilWindow),
      ),
    };
  }

  /** The thing was seen (or no longer matters): forget its absent reads. */
  forget(key: string): void {
    this.seen.delete(key);
  }

  /** True while absent reads are being collected for `key`. */
  watching(key: string): boolean {
    return this.seen.has(key);
  }
}
