// The milestone table (shared/domain/milestone-rules.ts): what stays in the due index. The flags
// and gaps each milestone's rules give are in rules.test.ts (flagsAtMilestone) and the sweeps'
// and reminders' tests.
import { ACTIVITY_STATUSES } from '../../../shared/domain/activity';
import { FLAG_CODES } from '../../../shared/domain/flags';
import { dueAtSomeMilestone, MILESTONE_RULES } from '../../../shared/domain/milestone-rules';

describe('Function: dueAtSomeMilestone', () => {
  it.each(ACTIVITY_STATUSES)('keeps a %s activity in the due index unless it is completed, or completed late', (status) => {
    // Prepare
    const raisedSets = [[], ...FLAG_CODES.map((c) => [c])];

    // Act
    const due = raisedSets.map((raised) => dueAtSomeMilestone(status, raised));

    // Assess
    expect(due).toStrictEqual(raisedSets.map((raised) => status !== 'completed' || raised.includes('results-late')));
  });

  it('keeps a draft for registration and a late completion for completion only', () => {
    // Act and Assess
    expect(MILESTONE_RULES.registration.stillDue('draft', [])).toBe(true);
    expect(MILESTONE_RULES.registration.stillDue('completed', ['results-late'])).toBe(false);
    expect(MILESTONE_RULES.completion.stillDue('completed', ['results-late'])).toBe(true);
    expect(MILESTONE_RULES.completion.stillDue('completed', [])).toBe(false);
  });
});
