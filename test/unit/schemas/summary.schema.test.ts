import { summarySchema } from '../../../shared/schemas/summary.schema';
import { CAMPAIGNS, cjk, issuesOf, itRejectsTheInvalidSamples, validSummary } from './samples';

describe.each(CAMPAIGNS)('Schema: summary (%s)', (_id, campaign) => {
  itRejectsTheInvalidSamples('summary', campaign);
});

describe('Schema: summary', () => {
  it('accepts a summary with and without documents, trimmed', () => {
    expect(issuesOf(summarySchema, validSummary())).toEqual([]);
    expect(summarySchema.parse({ text: `  ${cjk(20)}  ` })).toEqual({ text: cjk(20) });
  });

  it('counts code points: 20 emoji are enough, 20,000 CJK characters too', () => {
    expect(issuesOf(summarySchema, { text: '🔬'.repeat(20) })).toEqual([]);
    expect(issuesOf(summarySchema, { text: cjk(20_000) })).toEqual([]);
  });

  it('rejects 19 characters padded with spaces with code too_short', () => {
    expect(issuesOf(summarySchema, { text: ` ${cjk(19)}      ` })).toEqual([{ path: 'text', code: 'too_short', params: { min: 20 } }]);
  });
});
