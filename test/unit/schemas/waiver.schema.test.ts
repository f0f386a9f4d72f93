import { waiverSchema } from '../../../shared/schemas/waiver.schema';
import { CAMPAIGNS, issuesOf, itRejectsTheInvalidSamples } from './samples';

describe.each(CAMPAIGNS)('Schema: waiver (%s)', (_id, campaign) => {
  itRejectsTheInvalidSamples('waiver', campaign);
});

describe('Schema: waiver', () => {
  it('accepts 5..500 code points, trimmed', () => {
    expect(waiverSchema.parse({ reason: '  汛期停电，系统无法登录。 ' })).toEqual({ reason: '汛期停电，系统无法登录。' });
    expect(issuesOf(waiverSchema, { reason: '🌧️🌧️🌧️' })).toEqual([]); // 6 code points (emoji + variation selector)
    expect(issuesOf(waiverSchema, { reason: '科'.repeat(500) })).toEqual([]);
  });

  it('rejects 501 code points with code too_long and extra keys with code unrecognized_key', () => {
    expect(issuesOf(waiverSchema, { reason: '科'.repeat(501), waived: true }).map((i) => `${i.path} ${i.code}`)).toEqual([
      'reason too_long',
      'waived unrecognized_key',
    ]);
  });
});
