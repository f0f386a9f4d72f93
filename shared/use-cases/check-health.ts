/**
 * Reports whether every dependency of the backend answers.
 *
 * Primary course:
 * 1. Run every probe at once, each bounded by `timeoutMs`.
 * 2. Record per dependency whether it answered and how long it took.
 * 3. The status is `ok` only when every one answered.
 *
 * {@link cachedHealthCheck} answers repeated asks from one report for a few seconds: the check
 * costs one AWS call per dependency, and `GET /health` is public (ADR 0033).
 */
import * as z from '../domain/zod';
import type { Clock } from '../clock';
import { instant, type ViewOf } from '../schemas/output';

export const DEPENDENCY_KINDS = ['table', 'queue', 'bucket'] as const;
export type DependencyKind = (typeof DEPENDENCY_KINDS)[number];

export interface DependencyProbe {
  readonly name: string;
  readonly kind: DependencyKind;
  check(signal: AbortSignal): Promise<void>;
}

export interface DependencyStatus {
  readonly name: string;
  readonly kind: DependencyKind;
  readonly ok: boolean;
  readonly latencyMs: number;
  readonly error?: string;
}

/** What `GET /health` answers. */
export const healthReportSchema = z.looseObject({
  status: z.enum(['ok', 'unavailable']),
  checkedAt: instant(),
  dependencies: z.array(
    z.looseObject({ name: z.string(), kind: z.enum(DEPENDENCY_KINDS), ok: z.boolean(), latencyMs: z.number(), error: z.optional(z.string()) }),
  ),
});
export type HealthReport = ViewOf<typeof healthReportSchema>;

export interface CheckHealthDeps {
  readonly probes: readonly DependencyProbe[];
  readonly clock: Clock;
  readonly timeoutMs: number;
}

export async function checkHealth(deps: CheckHealthDeps): Promise<HealthReport> {
  const dependencies = await Promise.all(
    deps.probes.map(async (probe): Promise<DependencyStatus> => {
      const started = performance.now();
      const signal = AbortSignal.timeout(deps.timeoutMs);
      try {
        await probe.check(signal);
        return { name: probe.name, kind: probe.kind, ok: true, latencyMs: Math.round(performance.now() - started) };
      } catch (error) {
        const message = signal.aborted ? `no answer within ${deps.timeoutMs} ms` : String((error as Error).name ?? error);
        return { name: probe.name, kind: probe.kind, ok: false, latencyMs: Math.round(performance.now() - started), error: message };
      }
    }),
  );
  return {
    status: dependencies.every((d) => d.ok) ? 'ok' : 'unavailable',
    checkedAt: deps.clock.now().toISOString(),
    dependencies,
  };
}

/** A health check that reuses its last report while it is younger than `maxAgeMs`. */
export interface CachedHealthCheck {
  /** The report, checked now (`fresh`) or at most `maxAgeMs` ago, and how old it is. */
  (): Promise<{ readonly report: HealthReport; readonly ageMs: number; readonly fresh: boolean }>;
}

/**
 * Wraps {@link checkHealth}: a report younger than `maxAgeMs` is answered again, and asks that
 * come while a check runs share that check. However often it is asked, it probes the dependencies
 * at most once per `maxAgeMs` (per instance, on AWS). `monotonicMs` is a clock that never moves
 * back (not the runtime clock, which the local runtime lets a test move).
 *
 * @example
 * const health = cachedHealthCheck({ probes, clock: runtimeClock, timeoutMs: 2_000 }, 10_000);
 * const { report, ageMs, fresh } = await health();
 */
export function cachedHealthCheck(
  deps: CheckHealthDeps,
  maxAgeMs: number,
  monotonicMs: () => number = () => performance.now(),
): CachedHealthCheck {
  let last: { report: HealthReport; at: number } | undefined;
  let running: Promise<{ report: HealthReport; at: number }> | undefined;
  return async () => {
    const now = monotonicMs();
    if (last && now - last.at < maxAgeMs) return { report: last.report, ageMs: now - last.at, fresh: false };
    const mine = running === undefined;
    running ??= checkHealth(deps)
      .then((report) => {
        last = { report, at: monotonicMs() };
        return last;
      })
      .finally(() => {
        running = undefined;
      });
    const fresh = await running;
    return { report: fresh.report, ageMs: Math.max(0, monotonicMs() - fresh.at), fresh: mine };
  };
}
