/**
 * The body `GET /health/live` answers, in a module that loads nothing (its schema is a type-only
 * import), so that the probe's bundle is this and its handler alone (ADR 0043).
 */
import type { LivenessView } from './liveness';

export const LIVENESS = { status: 'ok' } as const satisfies LivenessView;
