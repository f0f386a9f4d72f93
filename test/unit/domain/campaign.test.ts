import { CampaignDefinitionError, loadCampaign, INDICATOR_IDS } from '../../../shared/domain/campaign';
import { formatInstant } from '../../../shared/domain/time';
import { xinxiang2021 } from '../../../shared/campaigns/2021-xinxiang';
import { findCampaign } from '../../../shared/campaigns';
import { otherCampaign } from '../../fixtures/campaign-other';

const xinxiang = loadCampaign(xinxiang2021);

describe('Campaign: 2021-xinxiang (新科协〔2021〕20号)', () => {
  it('has the theme, the concentrated period 9月11-17日 and Asia/Shanghai', () => {
    expect(xinxiang.theme.zh).toBe('百年再出发，迈向高水平科技自立自强');
    expect(xinxiang.period).toEqual({ start: '2021-09-11', end: '2021-09-17' });
    expect(xinxiang.timeZone).toBe('Asia/Shanghai');
  });

  it('closes registration at the end of 24 Sept and completion at the end of 22 Oct, Beijing time', () => {
    expect(formatInstant(xinxiang.milestones.registration.deadline, 'Asia/Shanghai')).toBe('2021-09-24T23:59:59.999+08:00');
    expect(xinxiang.milestones.registration.deadline.toISOString()).toBe('2021-09-24T15:59:59.999Z');
    expect(xinxiang.milestones.completion.deadline.toISOString()).toBe('2021-10-22T15:59:59.999Z');
  });

  it('lists the six content themes and the twelve joint actions with the contract ids', () => {
    expect(xinxiang.contentThemes.map((t) => t.id)).toEqual([
      'party-centennial', 'science-spirit', 'green-development', 'rural-revitalization', 'volunteer-service', 'literacy-outline',
    ]);
    expect(xinxiang.jointActions.map((t) => t.id)).toEqual([
      'carbon', 'youth-education', 'research-resources', 'nuclear', 'water', 'rural', 'health', 'emergency', 'enterprise', 'society', 'venues', 'cloud',
    ]);
    expect(xinxiang.jointActions.find((j) => j.id === 'cloud')?.name.zh).toBe('“云上科普日”活动');
    expect(xinxiang.activityKinds.map((k) => [k.id, k.name.zh])).toEqual([['main-venue', '主场活动'], ['joint-action', '系列联合行动']]);
  });

  it('has the twelve county-level divisions, three functional zones and the city level', () => {
    expect(xinxiang.counties.map((c) => c.name.zh)).toEqual([
      '红旗区', '卫滨区', '凤泉区', '牧野区', '新乡县', '获嘉县', '原阳县', '延津县', '封丘县', '卫辉市', '辉县市', '长垣市', '高新区', '经开区', '平原示范区', '市直',
    ]);
  });

  it('addresses the ten city-level issuers and each county-level counterpart (130 units)', () => {
    const city = xinxiang.organizations.filter((o) => o.county === 'city').map((o) => o.name.zh);
    expect(city).toEqual([
      '市科协', '市委宣传部', '市教育局', '市科技局', '市自然资源和规划局', '市生态环境局', '市水利局', '市农业农村局', '市卫生健康委员会', '市应急管理局',
    ]);
    expect(xinxiang.organizations).toHaveLength(10 + 12 * 10);
    expect(xinxiang.organizations.find((o) => o.organizationId === 'changyuan-xcb')).toEqual({
      organizationId: 'changyuan-xcb',
      name: { zh: '长垣市委宣传部', en: 'Changyuan City Publicity Department' },
      county: 'changyuan',
      type: 'department',
    });
    expect(new Set(xinxiang.organizations.map((o) => o.organizationId)).size).toBe(130);
  });

  it('weighs the seven indicators to 100, with 效果亮点 wholly the reviewer’s', () => {
    expect(xinxiang.indicators.map((i) => i.name.zh)).toEqual(['组织动员', '数量规模', '活动宣传', '效果亮点', '科技志愿', '联合行动', '网络活动']);
    expect(xinxiang.indicators.reduce((s, i) => s + i.weight, 0)).toBe(100);
    expect(xinxiang.indicators.find((i) => i.id === 'highlights')).toMatchObject({ computedShare: 0, metrics: [] });
  });

  it('is served by id through the campaign registry', () => {
    expect(findCampaign('2021-xinxiang')?.id).toBe('2021-xinxiang');
    expect(findCampaign('2099-nowhere')).toBeUndefined();
  });
});

describe('Function: loadCampaign', () => {
  it('loads a made-up campaign through the same code, with its own zone and daylight saving', () => {
    const other = loadCampaign(otherCampaign);
    // 2030-03-31 in Berlin ends in summer time (+02:00).
    expect(formatInstant(other.milestones.registration.deadline, other.timeZone)).toBe('2030-03-31T23:59:59.999+02:00');
    expect(other.milestones.registration.deadline.toISOString()).toBe('2030-03-31T21:59:59.999Z');
    // 2030-10-27 ends in winter time (+01:00).
    expect(other.milestones.completion.deadline.toISOString()).toBe('2030-10-27T22:59:59.999Z');
    expect(other.yearStart.toISOString()).toBe('2029-12-31T23:00:00.000Z');
    expect(other.indicators.map((i) => i.id)).toEqual([...INDICATOR_IDS]);
  });

  it.each([
    ['weights that do not add up to 100', { indicators: otherCampaign.indicators.map((i) => ({ ...i, weight: 10 })) }, /indicators: weights_not_100 \{"total":70\}/],
    ['a unit in an unknown county', { organizations: [{ organizationId: 'x', name: { zh: 'x', en: 'x' }, county: 'atlantis', type: 'other' }] }, /organizations\.0\.county: unknown_county \{"value":"atlantis"/],
    ['a duplicate joint action', { jointActions: [otherCampaign.jointActions[0], otherCampaign.jointActions[0]] }, /jointActions\.1: duplicate_item \{"value":"astronomy"\}/],
    ['completion due before registration', { milestones: [{ ...otherCampaign.milestones[0], dueDate: '2030-11-01' }, otherCampaign.milestones[1]] }, /milestones: registration_after_completion/],
    ['an unknown time zone', { timeZone: 'Mars/Olympus' }, /timeZone: unknown_time_zone/],
    ['a period outside the year', { period: { start: '2029-12-30', end: '2030-01-02' } }, /period/],
    ['an unknown field', { extra: 1 }, /extra/],
    ['a reviewer share without what the reviewer judges', { indicators: otherCampaign.indicators.map((i) => ({ ...i, computedShare: 0.5, reviewerAsks: undefined })) }, /reviewerAsks/],
  ])('rejects %s, naming the problem', (_what, change, message) => {
    expect(() => loadCampaign({ ...otherCampaign, ...change })).toThrow(CampaignDefinitionError);
    expect(() => loadCampaign({ ...otherCampaign, ...change })).toThrow(message);
  });
});
