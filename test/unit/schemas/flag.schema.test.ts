import { FLAG_CODES } from '../../../shared/domain/flags';
import { flagSchema } from '../../../shared/schemas/flag.schema';
import { CAMPAIGNS, issuesOf, itRejectsTheInvalidSamples, validFlag } from './samples';

describe.each(CAMPAIGNS)('Schema: flag (%s)', (_id, campaign) => {
  itRejectsTheInvalidSamples('flag', campaign);
});

describe('Schema: flag', () => {
  it.each(FLAG_CODES)('accepts a %s flag', (code) => {
    expect(issuesOf(flagSchema, { ...validFlag(), code })).toEqual([]);
  });

  it('has the eight codes of API.md', () => {
    expect(FLAG_CODES).toHaveLength(8);
  });

  it('accepts a waived organization-level flag without lateness', () => {
    const { activityId: _a, lateBySeconds: _l, ...flag } = validFlag();
    expect(issuesOf(flagSchema, { ...flag, code: 'organization-inactive', waived: true, waivedReason: '新成立单位' })).toEqual([]);
  });

  it('requires every server field', () => {
    expect(issuesOf(flagSchema, {}).map((i) => i.path)).toEqual([
      'flagId',
      'code',
      'campaignId',
      'organizationId',
      'milestone',
      'raisedAt',
      'waived',
    ]);
  });
});
