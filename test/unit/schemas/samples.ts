/**
 * Valid bodies for every request schema, per campaign, and the invalid samples every schema
 * test runs (and the catalog test re-runs to prove each code they produce has messages).
 */
import type * as z from '../../../shared/domain/zod';
import { xinxiang2021 } from '../../../shared/campaigns/2021-xinxiang';
import { loadCampaign, type Campaign } from '../../../shared/domain/campaign';
import { safeParseFields, type FieldIssue } from '../../../shared/domain/issues';
import { activitySchemas } from '../../../shared/schemas/activity.schema';
import { extensionSchema } from '../../../shared/schemas/extension.schema';
import { flagSchema } from '../../../shared/schemas/flag.schema';
import { uploadRequestSchema } from '../../../shared/schemas/media.schema';
import { organizationSchemas } from '../../../shared/schemas/organization.schema';
import { resultsSchema } from '../../../shared/schemas/results.schema';
import { reviewSchema } from '../../../shared/schemas/review.schema';
import { summarySchema } from '../../../shared/schemas/summary.schema';
import { waiverSchema } from '../../../shared/schemas/waiver.schema';
import { CampaignDefinitionSchema } from '../../../shared/domain/campaign';
import { campaignCopySchema, milestoneMoveSchema } from '../../../shared/schemas/campaign.schema';
import { otherCampaign } from '../../fixtures/campaign-other';

export const xinxiang = loadCampaign(xinxiang2021);
export const lindau = loadCampaign(otherCampaign);
/** Both campaigns, for `describe.each`. */
export const CAMPAIGNS: ReadonlyArray<readonly [string, Campaign]> = [
  [xinxiang.id, xinxiang],
  [lindau.id, lindau],
];

/** `"path code"` of each issue, sorted: compares issues regardless of order and params. */
export const pairs = (issues: readonly FieldIssue[]): string[] => issues.map((i) => `${i.path} ${i.code}`).sort();

/** The issues of parsing `input` with `schema` (`[]` when valid). */
export function issuesOf(schema: z.core.$ZodType, input: unknown): FieldIssue[] {
  const result = safeParseFields(schema, input);
  return result.success ? [] : result.issues;
}

/** `n` copies of a CJK character. */
export const cjk = (n: number): string => '科'.repeat(n);

/** A complete, valid hybrid joint-action activity of `campaign`. */
export function validActivity(campaign: Campaign): Record<string, unknown> {
  const lindauCampaign = campaign.id === lindau.id;
  return {
    title: lindauCampaign ? '湖畔观星夜 🔭' : '“云上科普日”：走进新乡市科技馆',
    description: '面向公众的科普展览与线上直播。',
    kind: 'joint-action',
    jointAction: lindauCampaign ? 'astronomy' : 'cloud',
    contentThemes: lindauCampaign ? ['stars', 'lake'] : ['science-spirit', 'literacy-outline'],
    format: 'hybrid',
    startsAt: lindauCampaign ? '2030-03-21T20:00:00+01:00' : '2021-09-11T09:00:00+08:00',
    endsAt: lindauCampaign ? '2030-03-21T23:00:00+01:00' : '2021-09-11T17:00:00+08:00',
    county: lindauCampaign ? 'island' : 'hongqi',
    audiences: ['public', 'school'],
    venue: { name: lindauCampaign ? '岛区天文台' : '新乡市科技馆', address: lindauCampaign ? '岛区湖滨路1号' : '新乡市红旗区人民路 1 号' },
    expectedParticipants: 5000,
    maxOnSite: 300,
    epidemicPlan: '入场测温、查验健康码、全程佩戴口罩，现场限流三百人并设置一米线。',
    onlineUrl: 'https://live.example.cn/sciday/2021',
    volunteers: { count: 12, hours: 96.5 },
    coOrganizers: ['河南师范大学', '新乡市天文学会'],
    branded: true,
    contact: { name: '王老师', phone: '0373-5820656', email: 'kepu@example.cn' },
  };
}

/** The smallest valid submission of `campaign`: an online main-venue activity. */
export function minimalActivity(campaign: Campaign): Record<string, unknown> {
  const { title, contentThemes, startsAt, endsAt, county, contact } = validActivity(campaign);
  return {
    title,
    kind: 'main-venue',
    contentThemes,
    format: 'online',
    startsAt,
    endsAt,
    county,
    expectedParticipants: 0,
    branded: true,
    contact: { name: (contact as { name: string }).name, phone: '13800138000' },
  };
}

export const validResults = (): Record<string, unknown> => ({
  actualParticipants: 5230,
  newsLinks: ['https://www.xinxiang.gov.cn/news/2021/0912.html', 'https://news.example.cn/科普日'],
  onlineUrl: 'https://live.example.cn/sciday/2021',
  highlights: '首次采用“云直播+实地参观”的形式，线上观看超过十万人次。',
});

export const validSummary = (): Record<string, unknown> => ({
  text: '本单位共组织开展科普日活动十二场，覆盖全部县区，参与群众逾两万人次。',
  documentMediaIds: ['01HZX3M4Q7R8S9T0V1W2X3Y4Z5'],
});

export function validUpload(campaign: Campaign): Record<string, unknown> {
  return { kind: 'photo', fileName: '开幕式 现场.JPG', contentType: 'image/jpeg', size: campaign.media.photo.maxBytes };
}

export function validExtension(campaign: Campaign): Record<string, unknown> {
  return {
    organizationId: campaign.organizations[0]?.organizationId,
    milestone: 'registration',
    until: campaign.id === lindau.id ? '2030-04-07T23:59:59+02:00' : '2021-09-30T23:59:59+08:00',
    reason: '受汛情影响，活动延期举办。',
  };
}

/** A review scoring every reviewed indicator of `campaign`. */
export function validReview(campaign: Campaign): Record<string, unknown> {
  const scores = Object.fromEntries(campaign.indicators.filter((i) => i.computedShare < 1).map((i, n) => [i.id, 60 + n * 7.5]));
  return { scores, comment: '特色鲜明，组织有力。', distinctiveActivityIds: ['act-1', 'act-2'] };
}

export function validOrganization(campaign: Campaign): Record<string, unknown> {
  return {
    name: '新乡市天文学会',
    county: campaign.counties[0]?.id,
    type: 'society',
    contact: { name: '李会长', phone: '139 0373 0000' },
  };
}

export const validFlag = (): Record<string, unknown> => ({
  flagId: 'flag-01',
  code: 'registration-late',
  campaignId: '2021-xinxiang',
  organizationId: 'city-kx',
  activityId: 'act-1',
  milestone: 'registration',
  raisedAt: '2021-09-25T00:00:00+08:00',
  lateBySeconds: 3600,
  waived: false,
});

/** One invalid sample: which schema, what input, which `"path code"` pairs it must give. */
export interface InvalidCase {
  readonly schema: string;
  readonly name: string;
  readonly input: unknown;
  readonly expected: readonly string[];
}

type SchemaOf = (campaign: Campaign) => z.core.$ZodType;

/** The schemas by name, per campaign. */
export const SCHEMAS: Readonly<Record<string, SchemaOf>> = {
  'activity.submit': (c) => activitySchemas(c).submit,
  'activity.draft': (c) => activitySchemas(c).draft,
  'activity.patch': (c) => activitySchemas(c).patch,
  results: () => resultsSchema,
  summary: () => summarySchema,
  upload: (c) => uploadRequestSchema(c),
  extension: (c) => extensionSchema(c),
  review: (c) => reviewSchema(c),
  'organization.create': (c) => organizationSchemas(c).create,
  'organization.settings': (c) => organizationSchemas(c).settings,
  waiver: () => waiverSchema,
  flag: () => flagSchema,
  'campaign.definition': () => CampaignDefinitionSchema,
  'campaign.copy': () => campaignCopySchema,
  'campaign.move': () => milestoneMoveSchema,
};

const withActivity = (campaign: Campaign, changes: Record<string, unknown>): Record<string, unknown> => ({
  ...validActivity(campaign),
  ...changes,
});
const without = (body: Record<string, unknown>, ...keys: string[]): Record<string, unknown> =>
  Object.fromEntries(Object.entries(body).filter(([k]) => !keys.includes(k)));

/** Invalid samples of every schema for `campaign`. */
export function invalidCases(campaign: Campaign): InvalidCase[] {
  const lindauCampaign = campaign.id === lindau.id;
  const year = campaign.year;
  const a = (name: string, changes: Record<string, unknown>, expected: string[], schema = 'activity.submit'): InvalidCase => ({
    schema,
    name,
    input: withActivity(campaign, changes),
    expected,
  });
  const results = (name: string, changes: Record<string, unknown>, expected: string[]): InvalidCase => ({
    schema: 'results',
    name,
    input: { ...validResults(), ...changes },
    expected,
  });
  const upload = (name: string, changes: Record<string, unknown>, expected: string[]): InvalidCase => ({
    schema: 'upload',
    name,
    input: { ...validUpload(campaign), ...changes },
    expected,
  });
  return [
    // --- activity: one field at a time ---
    a('a one-emoji title', { title: '🔬' }, ['title too_short']),
    a('a title of spaces', { title: ' \u3000 ' }, ['title too_short']),
    a('a 101-character title', { title: cjk(101) }, ['title too_long']),
    a('a 10,000-character title', { title: 'x'.repeat(10_000) }, ['title too_long']),
    a('a numeric title', { title: 42 }, ['title invalid_type']),
    a('a 2001-character description', { description: cjk(2001) }, ['description too_long']),
    a('an unknown kind', { kind: 'keynote' }, ['kind invalid_option']),
    a('a joint action of another campaign', { jointAction: lindauCampaign ? 'carbon' : 'astronomy' }, ['jointAction invalid_option']),
    a('no content theme', { contentThemes: [] }, ['contentThemes too_few']),
    a('an unknown content theme', { contentThemes: ['party-centennial-x'] }, ['contentThemes.0 invalid_option']),
    a(
      'a repeated content theme',
      { contentThemes: [campaign.contentThemes[0]?.id, campaign.contentThemes[0]?.id] },
      ['contentThemes.1 duplicate_item'],
    ),
    a(
      'seven content themes',
      { contentThemes: Array.from({ length: 7 }, (_, i) => campaign.contentThemes[i % campaign.contentThemes.length]?.id) },
      [
        'contentThemes too_many',
        ...Array.from({ length: 7 }, (_, i) => i)
          .filter((i) => i >= campaign.contentThemes.length)
          .map((i) => `contentThemes.${i} duplicate_item`),
      ],
    ),
    a('an unknown format', { format: 'virtual' }, ['format invalid_option']),
    a('a start without offset', { startsAt: `${year}-09-11T09:00:00` }, ['startsAt invalid_instant']),
    a('a start on 30 February', { startsAt: `${year}-02-30T09:00:00+08:00` }, ['startsAt invalid_instant']),
    a('a date-only end', { endsAt: `${year}-09-11` }, ['endsAt invalid_instant']),
    a('an end at New Year of the next year', { endsAt: `${year + 1}-01-01T00:00:00${lindauCampaign ? '+01:00' : '+08:00'}` }, [
      'endsAt outside_campaign_year',
    ]),
    a('a start in the previous year', { startsAt: `${year - 1}-12-31T12:00:00+08:00` }, ['startsAt outside_campaign_year']),
    a('an unknown county', { county: lindauCampaign ? 'hongqi' : 'island' }, ['county unknown_county']),
    a('an unknown audience', { audiences: ['kids'] }, ['audiences.0 invalid_option']),
    a('a repeated audience', { audiences: ['school', 'public', 'school'] }, ['audiences.2 duplicate_item']),
    a('a venue without address', { venue: { name: '科技馆' } }, ['venue.address required']),
    a('a venue with an unknown key', { venue: { name: '科技馆', address: '人民路1号', floor: 2 } }, ['venue.floor unrecognized_key']),
    a('negative expected participants', { expectedParticipants: -1, maxOnSite: 0 }, ['expectedParticipants too_small']),
    a('over a million expected participants', { expectedParticipants: 1_000_001 }, ['expectedParticipants too_big']),
    a('fractional expected participants', { expectedParticipants: 2.5 }, ['expectedParticipants not_integer']),
    a('expected participants as a string', { expectedParticipants: '5000' }, ['expectedParticipants invalid_type']),
    a('a crowd cap above the expected participants', { maxOnSite: 5001 }, ['maxOnSite crowd_cap_exceeds_expected']),
    a('a short epidemic plan', { epidemicPlan: '戴口罩' }, ['epidemicPlan too_short']),
    a('an http online URL', { onlineUrl: 'http://live.example.cn' }, ['onlineUrl https_required']),
    a('an online URL without scheme', { onlineUrl: 'live.example.cn/sciday' }, ['onlineUrl invalid_url']),
    a('negative volunteer hours', { volunteers: { count: 1, hours: -0.5 } }, ['volunteers.hours too_small']),
    a('fractional volunteers', { volunteers: { count: 1.5, hours: 3 } }, ['volunteers.count not_integer']),
    a('volunteers without hours', { volunteers: { count: 3 } }, ['volunteers.hours required']),
    a('21 co-organizers', { coOrganizers: Array.from({ length: 21 }, (_, i) => `协办单位${i}`) }, ['coOrganizers too_many']),
    a('a repeated co-organizer (full-width)', { coOrganizers: ['ABC学会', 'ＡＢＣ学会'] }, ['coOrganizers.1 duplicate_item']),
    a('an empty co-organizer', { coOrganizers: ['  '] }, ['coOrganizers.0 too_short']),
    a('branded false', { branded: false }, ['branded branded_required']),
    a('branded as a string', { branded: 'true' }, ['branded invalid_type']),
    a('a bad phone', { contact: { name: '王', phone: '12345' } }, ['contact.phone invalid_phone']),
    a('a bad email', { contact: { name: '王', phone: '13800138000', email: 'kepu@' } }, ['contact.email invalid_email']),
    a('a contact without name', { contact: { phone: '13800138000' } }, ['contact.name required']),
    // --- activity: text hygiene (issue 17, item 14) ---
    a('a bidi override in the title', { title: '科普\u202e日活动' }, ['title hidden_character']),
    a('a zero-width space in the venue name', { venue: { name: '科技\u200b馆', address: '人民路1号' } }, ['venue.name hidden_character']),
    a('a bidi isolate in a co-organizer', { coOrganizers: ['ABC学会\u2067'] }, ['coOrganizers.0 hidden_character']),
    a('a zero-width joiner in the contact name', { contact: { name: '王\u200d芳', phone: '13800138000' } }, ['contact.name hidden_character']),
    a('a line break in the title', { title: '科普日\n活动' }, ['title line_break_not_allowed']),
    a('a bidi override in the description (multi-line)', { description: '第一行\n第二行\u202e' }, ['description hidden_character']),
    a('a control character in the epidemic plan', { epidemicPlan: `${cjk(30)}\u0007` }, ['epidemicPlan hidden_character']),
    // --- activity: server-owned and unknown keys ---
    a(
      'server-owned fields',
      {
        id: 'a1',
        campaignId: campaign.id,
        organizationId: 'o1',
        status: 'registered',
        version: 3,
        createdAt: '2021-09-01T00:00:00+08:00',
        updatedAt: '2021-09-01T00:00:00+08:00',
        submittedAt: '2021-09-01T00:00:00+08:00',
        flags: [],
        media: [],
        results: {},
      },
      [
        'campaignId unrecognized_key',
        'createdAt unrecognized_key',
        'flags unrecognized_key',
        'id unrecognized_key',
        'media unrecognized_key',
        'organizationId unrecognized_key',
        'results unrecognized_key',
        'status unrecognized_key',
        'submittedAt unrecognized_key',
        'updatedAt unrecognized_key',
        'version unrecognized_key',
      ],
    ),
    a('an unknown key in a draft', { theme: 'x' }, ['theme unrecognized_key'], 'activity.draft'),
    a('an unknown key in a patch', { __proto__x: 1 }, ['__proto__x unrecognized_key'], 'activity.patch'),
    // --- activity: cross-field rules ---
    a('a main venue naming a joint action', { kind: 'main-venue' }, ['jointAction joint_action_not_allowed']),
    a('a joint action naming none', { jointAction: undefined }, ['jointAction joint_action_required']),
    a('an end before the start', { endsAt: lindauCampaign ? '2030-03-21T19:59:59+01:00' : '2021-09-11T08:59:59+08:00' }, [
      'endsAt ends_before_starts',
    ]),
    a('a hybrid activity without venue, cap or plan', { venue: undefined, maxOnSite: undefined, epidemicPlan: undefined }, [
      'epidemicPlan epidemic_plan_required',
      'maxOnSite crowd_cap_required',
      'venue venue_required',
    ]),
    a('a draft main venue naming a joint action', { kind: 'main-venue' }, ['jointAction joint_action_not_allowed'], 'activity.draft'),
    a('a draft crowd cap above the expected', { maxOnSite: 9999 }, ['maxOnSite crowd_cap_exceeds_expected'], 'activity.draft'),
    // --- activity: not an object ---
    { schema: 'activity.submit', name: 'a string body', input: 'activity', expected: [' invalid_type'] },
    { schema: 'activity.draft', name: 'an array body', input: [], expected: [' invalid_type'] },
    { schema: 'activity.patch', name: 'a null body', input: null, expected: [' invalid_type'] },
    // --- activity: everything missing at once ---
    {
      schema: 'activity.submit',
      name: 'an empty object',
      input: {},
      expected: [
        'branded required',
        'contact required',
        'contentThemes required',
        'county required',
        'endsAt required',
        'expectedParticipants required',
        'format required',
        'kind required',
        'startsAt required',
        'title required',
      ],
    },
    {
      schema: 'activity.submit',
      name: 'a hybrid joint action with nothing else',
      input: { kind: 'joint-action', format: 'hybrid' },
      expected: [
        'branded required',
        'contact required',
        'contentThemes required',
        'county required',
        'endsAt required',
        'epidemicPlan epidemic_plan_required',
        'expectedParticipants required',
        'jointAction joint_action_required',
        'maxOnSite crowd_cap_required',
        'startsAt required',
        'title required',
        'venue venue_required',
      ],
    },
    // --- results ---
    results('negative participants', { actualParticipants: -1 }, ['actualParticipants too_small']),
    results('over ten million participants', { actualParticipants: 10_000_001 }, ['actualParticipants too_big']),
    results('no participants', { actualParticipants: undefined }, ['actualParticipants required']),
    results('an http news link', { newsLinks: ['https://a.example.cn/1', 'http://a.example.cn/2'] }, ['newsLinks.1 https_required']),
    results('a repeated news link', { newsLinks: ['https://A.example.cn', 'https://a.example.cn/'] }, ['newsLinks.1 duplicate_item']),
    results('21 news links', { newsLinks: Array.from({ length: 21 }, (_, i) => `https://a.example.cn/${i}`) }, ['newsLinks too_many']),
    results('a 2049-character news link', { newsLinks: [`https://a.example.cn/${'x'.repeat(2049 - 21)}`] }, ['newsLinks.0 too_long']),
    results('a news link with a password', { newsLinks: ['https://user:pw@a.example.cn/'] }, ['newsLinks.0 invalid_url']),
    results('long highlights', { highlights: cjk(2001) }, ['highlights too_long']),
    results('an ftp online URL', { onlineUrl: 'ftp://a.example.cn/live' }, ['onlineUrl https_required']),
    // --- summary ---
    { schema: 'summary', name: 'a short text', input: { text: '  总结太短了。  ' }, expected: ['text too_short'] },
    { schema: 'summary', name: 'a 20,001-character text', input: { text: cjk(20_001) }, expected: ['text too_long'] },
    {
      schema: 'summary',
      name: 'eleven documents, one repeated, one id malformed',
      input: { ...validSummary(), documentMediaIds: ['d0', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8', 'd8', 'd/9'] },
      expected: ['documentMediaIds too_many', 'documentMediaIds.10 invalid_id', 'documentMediaIds.9 duplicate_item'],
    },
    { schema: 'summary', name: 'a server field', input: { ...validSummary(), version: 2 }, expected: ['version unrecognized_key'] },
    // --- uploads ---
    upload('an unknown kind', { kind: 'audio' }, ['kind invalid_option']),
    upload('a video type for a photo', { contentType: 'video/mp4' }, ['contentType content_type_not_allowed']),
    upload('a size over the photo limit', { size: campaign.media.photo.maxBytes + 1 }, ['size file_too_large']),
    upload('an empty file', { size: 0 }, ['size too_small']),
    upload('a fractional size', { size: 1.5 }, ['size not_integer']),
    upload('a path in the file name', { fileName: '../etc/passwd' }, ['fileName invalid_file_name']),
    upload('a control character in the file name', { fileName: 'a\u0000.jpg' }, ['fileName invalid_file_name']),
    upload('a bidi override in the file name', { fileName: 'photo\u202egpj.exe' }, ['fileName invalid_file_name']),
    upload('a 256-character file name', { fileName: `${cjk(252)}.jpg` }, ['fileName too_long']),
    upload('a zero-width space in the file name', { fileName: 'photo\u200b.jpg' }, ['fileName hidden_character']),
    upload('a media status', { status: 'accepted' }, ['status unrecognized_key']),
    // --- extensions ---
    {
      schema: 'extension',
      name: 'an extension ending at the deadline',
      input: { ...validExtension(campaign), until: lindauCampaign ? '2030-03-31T23:59:59.999+02:00' : '2021-09-24T23:59:59.999+08:00' },
      expected: ['until until_not_after_deadline'],
    },
    {
      schema: 'extension',
      name: 'an unknown milestone and a short reason',
      input: { ...validExtension(campaign), milestone: 'kickoff', reason: '晚了' },
      expected: ['milestone invalid_option', 'reason too_short'],
    },
    { schema: 'extension', name: 'no organization', input: without(validExtension(campaign), 'organizationId'), expected: ['organizationId required'] },
    {
      schema: 'extension',
      name: 'a reason with a line break and a word joiner',
      input: { ...validExtension(campaign), reason: '材料\u2060准备中，请延期\r\n谢谢' },
      expected: ['reason hidden_character'],
    },
    {
      schema: 'extension',
      name: 'a reason on two lines',
      input: { ...validExtension(campaign), reason: '材料准备中，\n请延期' },
      expected: ['reason line_break_not_allowed'],
    },
    // --- reviews ---
    {
      schema: 'review',
      name: 'a score over 100 and one missing',
      input: { scores: { ...(validReview(campaign).scores as object), highlights: 101, ...(lindauCampaign ? {} : { online: undefined }) } },
      expected: lindauCampaign ? ['scores.highlights too_big'] : ['scores.highlights too_big', 'scores.online required'],
    },
    {
      schema: 'review',
      name: 'a score of a computed indicator',
      input: { ...validReview(campaign), scores: { ...(validReview(campaign).scores as object), scale: 80 } },
      expected: ['scores.scale unrecognized_key'],
    },
    {
      schema: 'review',
      name: 'a long comment and 21 distinctive activities',
      input: { ...validReview(campaign), comment: cjk(2001), distinctiveActivityIds: Array.from({ length: 21 }, (_, i) => `a${i}`) },
      expected: ['comment too_long', 'distinctiveActivityIds too_many'],
    },
    // --- organizations ---
    {
      schema: 'organization.create',
      name: 'a one-character name, an unknown county and type',
      input: { name: '科', county: 'atlantis', type: 'club' },
      expected: ['county unknown_county', 'name too_short', 'type invalid_option'],
    },
    {
      schema: 'organization.create',
      name: 'an organization id',
      input: { ...validOrganization(campaign), organizationId: 'x' },
      expected: ['organizationId unrecognized_key'],
    },
    {
      schema: 'organization.settings',
      name: 'an http webhook and a bad phone',
      input: { webhookUrl: 'http://hooks.example.cn', contact: { name: '李', phone: '0373-58' } },
      expected: ['contact.phone invalid_phone', 'webhookUrl https_required'],
    },
    {
      schema: 'organization.create',
      name: 'a zero-width space and a bidi mark in the name',
      input: { ...validOrganization(campaign), name: '科\u200b协\u200f' },
      expected: ['name hidden_character'],
    },
    {
      schema: 'organization.settings',
      name: 'a bidi override in the contact name',
      input: { contact: { name: '李\u202d四', phone: '13800138000' } },
      expected: ['contact.name hidden_character'],
    },
    {
      schema: 'organization.settings',
      name: 'a webhook on a private address',
      input: { webhookUrl: 'https://10.0.0.1/' },
      expected: ['webhookUrl webhook_address_not_allowed'],
    },
    // --- waivers, flags ---
    { schema: 'waiver', name: 'a four-character reason', input: { reason: ' 不可抗力 ' }, expected: ['reason too_short'] },
    { schema: 'waiver', name: 'no reason', input: {}, expected: ['reason required'] },
    {
      schema: 'flag',
      name: 'an unknown code and a negative lateness',
      input: { ...validFlag(), code: 'late', lateBySeconds: -1, raisedAt: 'yesterday' },
      expected: ['code invalid_option', 'lateBySeconds too_small', 'raisedAt invalid_instant'],
    },
    // --- campaign definitions (the seed's, broken one way at a time) ---
    {
      schema: 'campaign.definition',
      name: 'a bad id, zone, date and time of day',
      input: { ...seed, id: 'Bad_ID', timeZone: 'Mars/Olympus', period: { start: '2021-9-11', end: '2021-09-17' }, reminders: { daysBefore: [3], localTime: '9am' } },
      expected: ['id invalid_slug', 'timeZone unknown_time_zone', 'period.start invalid_date', 'period period_invalid', 'reminders.localTime invalid_time_of_day'],
    },
    {
      schema: 'campaign.definition',
      name: 'cross-checks: period, milestone order, reminders, weights, shares, counties',
      input: {
        ...seed,
        period: { start: '2020-09-11', end: '2021-09-17' },
        milestones: seed.milestones.map((m) => ({ ...m, dueDate: m.id === 'registration' ? '2021-10-30' : m.dueDate })),
        reminders: { daysBefore: [3, 3], localTime: '09:00' },
        indicators: seed.indicators.map((x, i) =>
          i === 0 ? { id: x.id, name: x.name, weight: x.weight, computedShare: 0.5, metrics: [] } : i === 1 ? { ...x, weight: x.weight + 1 } : x,
        ),
        organizations: seed.organizations.map((o, i) => (i === 0 ? { ...o, county: 'atlantis' } : o)),
      },
      expected: [
        'organizations.0.county unknown_county',
        'period period_invalid',
        'milestones registration_after_completion',
        'reminders.daysBefore.1 duplicate_item',
        'indicators weights_not_100',
        'indicators.0.metrics metrics_required',
        'indicators.0.reviewerAsks reviewer_asks_required',
      ],
    },
    {
      schema: 'campaign.definition',
      name: 'a due date in another year',
      input: { ...seed, milestones: seed.milestones.map((m) => ({ ...m, dueDate: m.id === 'completion' ? '2022-10-22' : m.dueDate })) },
      expected: ['milestones.1.dueDate date_outside_year'],
    },
    { schema: 'campaign.copy', name: 'an id that is no slug', input: { copyFrom: '2021-xinxiang', id: '2022 Xinxiang' }, expected: ['id invalid_slug'] },
    { schema: 'campaign.move', name: 'a date that is no date, no reason', input: { dueDate: '9/30' }, expected: ['dueDate invalid_date', 'reason required'] },
  ];
}

/** The seed definition with its defaults (reminders, penalty) filled in, as stored. */
const seed = CampaignDefinitionSchema.parse(xinxiang2021);

/** Registers one test per invalid sample of `schemaName` for `campaign`. */
export function itRejectsTheInvalidSamples(schemaName: string, campaign: Campaign): void {
  const schema = SCHEMAS[schemaName];
  if (!schema) throw new Error(`no schema ${schemaName}`);
  const cases = invalidCases(campaign).filter((c) => c.schema === schemaName);
  if (cases.length === 0) throw new Error(`no invalid samples of ${schemaName}`);
  it.each(cases.map((c) => [c.name, [...new Set(c.expected.map((e) => e.split(' ')[1]))].join(', '), c] as const))(
    'rejects %s with code %s',
    (_name, _codes, c) => {
      expect(pairs(issuesOf(schema(campaign), c.input))).toEqual([...c.expected].sort());
    },
  );
}
