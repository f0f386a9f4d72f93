/**
 * The flag codes: what a rule can find wrong with an activity or a unit (docs/domain.md R4–R10).
 * A leaf of the domain: the campaign's penalty table is keyed by these codes, and the codes know
 * nothing of campaigns (rules.ts raises them at an event, milestone-rules.ts at a deadline).
 */
export const FLAG_CODES = [
  'registration-late',
  'not-published-in-advance',
  'registration-overdue',
  'results-missing',
  'results-late',
  'summary-missing',
  'summary-late',
  'organization-inactive',
] as const;
export type FlagCode = (typeof FLAG_CODES)[number];
