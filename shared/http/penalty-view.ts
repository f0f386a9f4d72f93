/**
 * The campaign's penalty as answered, in both the campaign's and the scores' views. A module of
 * its own: score-views.ts builds the scores' schema when it loads, which a function answering
 * only a campaign should not pay for (ADR 0050).
 */
import * as z from '../domain/zod';

/** The campaign's penalty for unwaived flags (campaign data, docs/scoring.md §4). */
export const penaltySchema = () =>
  z.meta(
    z.looseObject({
      points: z.meta(z.record(z.string(), z.number()), { description: 'Points (out of 100) each unwaived flag of a code costs.' }),
      cap: z.meta(z.number(), { description: 'The most a unit loses to flags.' }),
    }),
    { description: 'The campaign’s penalty for unwaived flags: 扣分规则.' },
  );
