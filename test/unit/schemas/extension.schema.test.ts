import { extensionSchema } from '../../../shared/schemas/extension.schema';
import { CAMPAIGNS, issuesOf, itRejectsTheInvalidSamples, lindau, validExtension, xinxiang } from './samples';

describe.each(CAMPAIGNS)('Schema: extension (%s)', (_id, campaign) => {
  it('accepts an extension past the deadline, with or without an activity', () => {
    expect(issuesOf(extensionSchema(campaign), validExtension(campaign))).toEqual([]);
    expect(issuesOf(extensionSchema(campaign), { ...validExtension(campaign), activityId: 'act-1' })).toEqual([]);
  });

  itRejectsTheInvalidSamples('extension', campaign);
});

describe('Schema: extension, deadlines', () => {
  it('accepts one millisecond after the registration deadline and rejects the deadline itself', () => {
    const schema = extensionSchema(xinxiang);
    const body = validExtension(xinxiang);
    expect(issuesOf(schema, { ...body, until: '2021-09-25T00:00:00+08:00' })).toEqual([]);
    expect(issuesOf(schema, { ...body, until: '2021-09-24T15:59:59.999Z' })).toEqual([
      { path: 'until', code: 'until_not_after_deadline', params: { deadline: '2021-09-24T23:59:59.999+08:00' } },
    ]);
  });

  it('compares with the milestone named: a date after registration is before completion', () => {
    const body = { ...validExtension(xinxiang), milestone: 'completion', until: '2021-10-01T00:00:00+08:00' };
    expect(issuesOf(extensionSchema(xinxiang), body).map((i) => i.code)).toEqual(['until_not_after_deadline']);
  });

  it('writes the deadline in the campaign’s zone and summer time (2030-lindau)', () => {
    const issues = issuesOf(extensionSchema(lindau), { ...validExtension(lindau), until: '2030-03-31T12:00:00+02:00' });
    expect(issues[0]?.params).toEqual({ deadline: '2030-03-31T23:59:59.999+02:00' });
  });

  it('reports an invalid instant alone, not compared', () => {
    expect(issuesOf(extensionSchema(xinxiang), { ...validExtension(xinxiang), until: 'next week' })).toEqual([
      { path: 'until', code: 'invalid_instant' },
    ]);
  });
});
