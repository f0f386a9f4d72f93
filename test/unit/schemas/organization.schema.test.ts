import { organizationSchemas } from '../../../shared/schemas/organization.schema';
import { CAMPAIGNS, issuesOf, itRejectsTheInvalidSamples, lindau, validOrganization, xinxiang } from './samples';

describe.each(CAMPAIGNS)('Schema: organization (%s)', (_id, campaign) => {
  const { create, settings } = organizationSchemas(campaign);

  it('accepts a unit with and without contact, phone normalised', () => {
    expect(create.parse(validOrganization(campaign)).contact).toEqual({ name: '李会长', phone: '13903730000' });
    expect(issuesOf(create, { name: '  岛区学校 ', county: campaign.counties[0]?.id, type: 'school' })).toEqual([]);
  });

  it('accepts settings, null to remove them, and an empty patch', () => {
    expect(issuesOf(settings, { webhookUrl: 'https://hooks.example.cn/sciday', contact: { name: '李', phone: '0373-5820656' } })).toEqual([]);
    expect(issuesOf(settings, { webhookUrl: null, contact: null })).toEqual([]);
    expect(issuesOf(settings, {})).toEqual([]);
  });

  describe('create', () => itRejectsTheInvalidSamples('organization.create', campaign));
  describe('settings', () => itRejectsTheInvalidSamples('organization.settings', campaign));
});

describe('Schema: organization, campaign counties', () => {
  it('accepts hongqi in 2021-xinxiang and rejects it with code unknown_county in 2030-lindau', () => {
    const body = { name: '红旗区科协', county: 'hongqi', type: 'association' };
    expect(issuesOf(organizationSchemas(xinxiang).create, body)).toEqual([]);
    expect(issuesOf(organizationSchemas(lindau).create, body).map((i) => i.code)).toEqual(['unknown_county']);
  });

  it('rejects a 61-character name and settings fields it does not know', () => {
    expect(issuesOf(organizationSchemas(xinxiang).create, { name: '科'.repeat(61), county: 'city', type: 'other' })).toEqual([
      { path: 'name', code: 'too_long', params: { max: 60 } },
    ]);
    expect(issuesOf(organizationSchemas(xinxiang).settings, { name: '新名字' })[0]?.code).toBe('unrecognized_key');
  });
});
