/**
 * Fault switches for tests: rules per route that answer 5xx/429, drop or reset the
 * connection, hang, trickle or break the body, or add latency. Rules are matched in the order
 * they were added; every matching `latency` rule adds its delay and the first matching rule
 * of any other kind decides what happens to the request.
 */
import { z } from 'zod';
import { shortId } from './ids';
import {
  FAULT_KINDS,
  ROUTE_NAMES,
  type ActiveFaultRule,
  type FaultController,
  type FaultRule,
  type RouteName,
} from './types';

/** Validates a rule from code or from POST /__sim/faults. */
export const faultRuleSchema = z.object({
  route: z.enum([...ROUTE_NAMES, '*']),
  kind: z.enum(FAULT_KINDS),
  status: z.int().min(100).max(599).optional(),
  retryAfterSeconds: z.number().min(0).optional(),
  delayMs: z.number().min(0).optional(),
  times: z.int().min(1).optional(),
  every: z.int().min(1).optional(),
  probability: z.number().min(0).max(1).optional(),
});

/** The decision for one request: extra delay, and at most one non-latency rule. */
export interface FaultDecision {
  delayMs: number;
  rule?: ActiveFaultRule;
}

/** The fault rule table behind `simulator.faults`. */
export class FaultTable implements FaultController {
  private rules: ActiveFaultRule[] = [];
  private latencyMs: number;
  private readonly random: () => number;
  /** Called with the kind each time a rule applies (counters). */
  onApplied: ((rule: ActiveFaultRule) => void) | undefined;

  constructor(random: () => number, latencyMs = 0) {
    this.random = random;
    this.latencyMs = latencyMs;
  }

  add(rule: FaultRule): string {
    const parsed = faultRuleSchema.parse(rule);
    const id = shortId();
    this.rules.push({ ...parsed, id, applied: 0, seen: 0 });
    return id;
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length !== before;
  }

  clear(): void {
    this.rules = [];
    this.latencyMs = 0;
  }

  list(): ActiveFaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  setLatency(ms: number): void {
    this.latencyMs = Math.max(0, ms);
  }

  /** Whether a matching rule fires on this request (counts `seen`, `every`, probability). */
  private fires(rule: ActiveFaultRule): boolean {
    rule.seen++;
    if (rule.every !== undefined && rule.seen % rule.every !== 0) return false;
    if (rule.probability !== undefined && !(this.random() < rule.probability)) return false;
    return true;
  }

  private used(rule: ActiveFaultRule): void {
    rule.applied++;
    if (rule.times !== undefined && rule.applied >= rule.times) {
      this.rules = this.rules.filter((r) => r !== rule);
    }
    this.onApplied?.(rule);
  }

  /** Decides what happens to one request on `route`. */
  decide(route: RouteName): FaultDecision {
    let delayMs = this.latencyMs;
    let chosen: ActiveFaultRule | undefined;
    for (const rule of [...this.rules]) {
      if (rule.route !== '*' && rule.route !== route) continue;
      if (rule.kind !== 'latency' && chosen) continue;
      if (!this.fires(rule)) continue;
      if (rule.kind === 'latency') delayMs += rule.delayMs ?? 1000;
      else chosen = { ...rule };
      this.used(rule);
    }
    return chosen ? { delayMs, rule: chosen } : { delayMs };
  }
}
