import type * as z from '../../../shared/domain/zod';
import {
  ACTIVITY_LIMITS,
  activitySchemas,
  type ActivityDraft,
  type ActivityPatch,
  type ActivitySubmission,
} from '../../../shared/schemas/activity.schema';
import {
  CAMPAIGNS,
  issuesOf,
  itRejectsTheInvalidSamples,
  lindau,
  minimalActivity,
  pairs,
  validActivity,
  xinxiang,
} from './samples';

describe.each(CAMPAIGNS)('Schema: activity (%s)', (_id, campaign) => {
  const { draft, submit, patch } = activitySchemas(campaign);

  it('accepts a complete hybrid joint action as submission, draft and patch', () => {
    for (const schema of [submit, draft, patch]) expect(issuesOf(schema, validActivity(campaign))).toEqual([]);
  });

  it('accepts the smallest submission: an online main-venue activity without venue, cap or plan', () => {
    expect(issuesOf(submit, minimalActivity(campaign))).toEqual([]);
  });

  it('builds the schemas once per campaign', () => {
    expect(activitySchemas(campaign)).toBe(activitySchemas(campaign));
  });

  describe('submit', () => itRejectsTheInvalidSamples('activity.submit', campaign));
  describe('draft', () => itRejectsTheInvalidSamples('activity.draft', campaign));
  describe('patch', () => itRejectsTheInvalidSamples('activity.patch', campaign));

  it('normalises the output: text trimmed, phone and URL canonical, full-width title kept', () => {
    const parsed = submit.parse({
      ...validActivity(campaign),
      title: '  ＡＩ科普：智能机器人  ',
      onlineUrl: ' ｈｔｔｐｓ：／／live.example.cn／sciday ',
      contact: { name: ' 王老师 ', phone: '０３７３－５８２０６５６', email: 'ｋｅｐｕ＠example.cn' },
    });
    expect(parsed.title).toBe('ＡＩ科普：智能机器人');
    expect(parsed.onlineUrl).toBe('https://live.example.cn/sciday');
    expect(parsed.contact).toEqual({ name: '王老师', phone: '0373-5820656', email: 'kepu@example.cn' });
    expect(parsed.startsAt).toBe(validActivity(campaign).startsAt);
  });
});

describe('Schema: activity, campaign choices', () => {
  it('accepts carbon in 2021-xinxiang and rejects it with code invalid_option in 2030-lindau', () => {
    const body = { kind: 'joint-action', jointAction: 'carbon' };
    expect(issuesOf(activitySchemas(xinxiang).draft, body)).toEqual([]);
    expect(issuesOf(activitySchemas(lindau).draft, body)).toEqual([
      { path: 'jointAction', code: 'invalid_option', params: { options: 'astronomy, limnology' } },
    ]);
  });

  it('lists the campaign’s counties when rejecting one with code unknown_county', () => {
    expect(issuesOf(activitySchemas(lindau).draft, { county: 'hongqi' })).toEqual([
      { path: 'county', code: 'unknown_county', params: { value: 'hongqi', options: 'island, mainland, town' } },
    ]);
  });

  it('names the campaign (not a hard-coded year) in branded_required', () => {
    for (const campaign of [xinxiang, lindau]) {
      const issues = issuesOf(activitySchemas(campaign).submit, { ...validActivity(campaign), branded: false });
      expect(issues).toEqual([
        { path: 'branded', code: 'branded_required', params: { brandZh: campaign.brand.zh, brandEn: campaign.brand.en } },
      ]);
    }
  });
});

describe('Schema: activity, the campaign year in its own time zone', () => {
  const at = (startsAt: string, endsAt = startsAt) => ({ startsAt, endsAt });
  it.each([
    ['2021-01-01T00:00:00+08:00', xinxiang],
    ['2020-12-31T16:00:00Z', xinxiang],
    ['2021-12-31T23:59:59+08:00', xinxiang],
    ['2021-12-31T23:59:59.999+08:00', xinxiang],
    ['2021-12-31T15:59:59Z', xinxiang],
    ['2030-01-01T00:00:00+01:00', lindau],
    ['2029-12-31T23:30:00Z', lindau],
    ['2030-12-31T23:30:00+01:00', lindau],
  ])('accepts %s inside the year', (instant, campaign) => {
    expect(issuesOf(activitySchemas(campaign).draft, at(instant))).toEqual([]);
  });

  it.each([
    ['2022-01-01T00:00:00+08:00', xinxiang],
    ['2021-12-31T16:00:00Z', xinxiang],
    ['2020-12-31T23:59:59+08:00', xinxiang],
    ['2020-12-31T15:59:59Z', xinxiang],
    ['2030-12-31T23:30:00Z', lindau],
    ['2029-12-31T23:59:59+01:00', lindau],
    ['2021-09-11T09:00:00+08:00', lindau],
  ])('rejects %s with code outside_campaign_year', (instant, campaign) => {
    expect(pairs(issuesOf(activitySchemas(campaign).draft, at(instant)))).toEqual([
      'endsAt outside_campaign_year',
      'startsAt outside_campaign_year',
    ]);
    expect(issuesOf(activitySchemas(campaign).draft, at(instant))[0]?.params).toEqual({ year: campaign.year });
  });

  it('accepts an end equal to the start, in another offset', () => {
    expect(issuesOf(activitySchemas(xinxiang).draft, at('2021-09-11T09:00:00+08:00', '2021-09-11T01:00:00Z'))).toEqual([]);
  });

  it('rejects an end one second before the start, in another offset, with code ends_before_starts', () => {
    expect(pairs(issuesOf(activitySchemas(xinxiang).draft, at('2021-09-11T09:00:00+08:00', '2021-09-11T00:59:59Z')))).toEqual([
      'endsAt ends_before_starts',
    ]);
  });

  it('does not compare the dates when one of them is invalid', () => {
    expect(pairs(issuesOf(activitySchemas(xinxiang).draft, at('2021-09-11T09:00:00+08:00', '2020-09-11T09:00:00+08:00')))).toEqual([
      'endsAt outside_campaign_year',
    ]);
  });
});

describe('Schema: activity, cross-field rules both ways', () => {
  const { draft, submit } = activitySchemas(xinxiang);
  const valid = validActivity(xinxiang);
  const codes = (input: unknown, schema: z.core.$ZodType = submit) => pairs(issuesOf(schema, input));

  it('lets a main venue omit the joint action', () => {
    expect(codes({ ...valid, kind: 'main-venue', jointAction: undefined })).toEqual([]);
  });

  it('rejects a joint action without one, but only on submit, with code joint_action_required', () => {
    const body = { ...valid, jointAction: undefined };
    expect(codes(body)).toEqual(['jointAction joint_action_required']);
    expect(codes(body, draft)).toEqual([]);
  });

  it('rejects a main venue naming a joint action in a draft too, with code joint_action_not_allowed', () => {
    expect(codes({ kind: 'main-venue', jointAction: 'carbon' }, draft)).toEqual(['jointAction joint_action_not_allowed']);
    expect(codes({ jointAction: 'carbon' }, draft)).toEqual([]);
  });

  it('accepts a crowd cap equal to the expected participants', () => {
    expect(codes({ ...valid, maxOnSite: 5000 })).toEqual([]);
    expect(codes({ maxOnSite: 0, expectedParticipants: 0 }, draft)).toEqual([]);
  });

  it('rejects a crowd cap above the expected participants with code crowd_cap_exceeds_expected', () => {
    expect(issuesOf(draft, { maxOnSite: 1, expectedParticipants: 0 })).toEqual([
      { path: 'maxOnSite', code: 'crowd_cap_exceeds_expected', params: { max: 0 } },
    ]);
  });

  it.each(['offline', 'hybrid'])('requires venue, cap and plan of a %s activity on submit only', (format) => {
    const body = { ...valid, format, venue: undefined, maxOnSite: undefined, epidemicPlan: undefined };
    expect(codes(body)).toEqual(['epidemicPlan epidemic_plan_required', 'maxOnSite crowd_cap_required', 'venue venue_required']);
    expect(codes(body, draft)).toEqual([]);
  });

  it('lets an online activity omit venue, cap and plan, or keep them', () => {
    expect(codes({ ...valid, format: 'online', venue: undefined, maxOnSite: undefined, epidemicPlan: undefined })).toEqual([]);
    expect(codes({ ...valid, format: 'online' })).toEqual([]);
  });

  it('reports a present but invalid venue as the field’s issue, not venue_required', () => {
    expect(codes({ ...valid, venue: { name: '', address: '人民路' } })).toEqual(['venue.name too_short']);
  });

  it('lets a draft be unbranded, incomplete and nested-partial', () => {
    expect(codes({ branded: false, venue: { name: '科技馆' }, contact: { phone: '13800138000' }, volunteers: { hours: 2 } }, draft)).toEqual([]);
    expect(codes({}, draft)).toEqual([]);
  });

  it('requires the nested fields on submit', () => {
    expect(codes({ ...valid, venue: {}, contact: {}, volunteers: {} })).toEqual([
      'contact.name required',
      'contact.phone required',
      'venue.address required',
      'venue.name required',
      'volunteers.count required',
      'volunteers.hours required',
    ]);
  });
});

describe('Schema: activity, every failing field at once', () => {
  const { submit } = activitySchemas(xinxiang);

  it('lists field, unknown-key and cross-field issues together, even after aborting-prone ones', () => {
    const issues = issuesOf(submit, {
      ...validActivity(xinxiang),
      title: '🔬',
      kind: 'main-venue',
      contentThemes: ['carbon'],
      startsAt: '2021-09-11T09:00:00+08:00',
      endsAt: '2021-09-10T09:00:00+08:00',
      expectedParticipants: 10,
      maxOnSite: 11,
      coOrganizers: Array.from({ length: 25 }, (_, i) => `单位${i}`),
      volunteers: { count: 0.5, hours: 1 },
      branded: false,
      contact: { name: '王', phone: 'call me' },
      status: 'registered',
    });
    expect(pairs(issues)).toEqual([
      'branded branded_required',
      'coOrganizers too_many',
      'contact.phone invalid_phone',
      'contentThemes.0 invalid_option',
      'endsAt ends_before_starts',
      'jointAction joint_action_not_allowed',
      'maxOnSite crowd_cap_exceeds_expected',
      'status unrecognized_key',
      'title too_short',
      'volunteers.count not_integer',
    ]);
  });
});

describe('Schema: activity, patch', () => {
  const { patch } = activitySchemas(xinxiang);

  it('accepts null for every field (removes it) and an empty patch', () => {
    const nulls = Object.fromEntries(Object.keys(validActivity(xinxiang)).map((k) => [k, null]));
    expect(issuesOf(patch, nulls)).toEqual([]);
    expect(issuesOf(patch, {})).toEqual([]);
  });

  it('applies the rules whose inputs are both in the patch', () => {
    expect(pairs(issuesOf(patch, { kind: 'main-venue', jointAction: 'cloud', maxOnSite: 5, expectedParticipants: 4 }))).toEqual([
      'jointAction joint_action_not_allowed',
      'maxOnSite crowd_cap_exceeds_expected',
    ]);
    expect(issuesOf(patch, { kind: 'main-venue', jointAction: null })).toEqual([]);
  });
});

describe('Schema: activity, long input', () => {
  const { submit, draft } = activitySchemas(xinxiang);

  it('rejects 10,000-character strings in every text field with code too_long, in under 50 ms', () => {
    const long = '科'.repeat(10_000);
    const body = {
      ...validActivity(xinxiang),
      title: long,
      description: long,
      epidemicPlan: long,
      venue: { name: long, address: long },
      coOrganizers: [long],
      contact: { name: long, phone: long, email: long },
      onlineUrl: long,
    };
    issuesOf(submit, validActivity(xinxiang)); // warm up
    const started = performance.now();
    const issues = issuesOf(submit, body);
    expect(performance.now() - started).toBeLessThan(50);
    expect(pairs(issues)).toEqual([
      'coOrganizers.0 too_long',
      'contact.email too_long',
      'contact.name too_long',
      'contact.phone invalid_phone',
      'description too_long',
      'epidemicPlan too_long',
      'onlineUrl too_long',
      'title too_long',
      'venue.address too_long',
      'venue.name too_long',
    ]);
  });

  it('counts code points: two emoji are a title, 100 emoji too, 101 are too long', () => {
    expect(issuesOf(draft, { title: '🔬🚀' })).toEqual([]);
    expect(issuesOf(draft, { title: '👩‍🔬'.repeat(1) })).toEqual([]); // 3 code points (woman, ZWJ, microscope)
    expect(issuesOf(draft, { title: '🚀'.repeat(ACTIVITY_LIMITS.title.max) })).toEqual([]);
    expect(issuesOf(draft, { title: '🚀'.repeat(ACTIVITY_LIMITS.title.max + 1) })).toEqual([
      { path: 'title', code: 'too_long', params: { max: 100 } },
    ]);
  });
});

describe('Type: activity', () => {
  it('infers submission, draft and patch types', () => {
    const parsed: ActivitySubmission = activitySchemas(xinxiang).submit.parse(validActivity(xinxiang));
    const asDraft: ActivityDraft = parsed;
    const patch: ActivityPatch = { title: null, venue: { name: '科技馆' } };
    expect(asDraft.title).toBe(parsed.title);
    expect(patch.title).toBeNull();
  });
});
