/**
 * Reports whether every dependency of the backend answers.
 *
 * Primary course:
 * 1. Run every probe at once, each bounded by `timeoutMs`.
 * 2. Record per dependency whether it answered and how long it took.
 * 3. The status is `ok` only when every one answered.
 */
import type { Clock } from '../clock';

export type DependencyKind = 'table' | 'queue' | 'bucket';

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

export interface HealthReport {
  readonly status: 'ok' | 'unavailable';
  readonly checkedAt: string;
  readonly dependencies: readonly DependencyStatus[];
}

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
