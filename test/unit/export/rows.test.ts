import { EXPORT_TABLES } from '../../../shared/export/columns';
import {
  ACTIVITY_JOINED_COLUMNS,
  activityRow,
  cellOf,
  flagRow,
  mediaRow,
  organizationRow,
  resultsRow,
  summaryRow,
} from '../../../shared/export/rows';
import { activityItem, addedOrganizationItem, flagItem, mediaItem, resultsItem, summaryItem } from './samples';

const names = (entity: keyof typeof EXPORT_TABLES) => EXPORT_TABLES[entity].columns.map((c) => c.name);

describe('Module: export rows', () => {
  it('maps an activity item to every activity column but the joined ones, typed, instants in UTC', () => {
    const row = activityRow(activityItem());

    expect(Object.keys(row).sort()).toEqual(names('activities').filter((n) => !ACTIVITY_JOINED_COLUMNS.has(n)).sort());
    expect(row).toMatchObject({
      activity_id: 'a1',
      campaign_id: '2021-xinxiang',
      organization_id: 'hongqi-kx',
      status: 'completed',
      title: '科普进社区 🌱',
      joint_action: 'carbon',
      content_themes: ['green-development', 'science-spirit'],
      starts_at: '2021-09-15T01:00:00.000Z',
      ends_at: '2021-09-15T03:30:00.000Z',
      venue_name: '红旗区科技馆',
      venue_address: '新乡市红旗区, "科技路" 1号',
      expected_participants: 300,
      volunteer_count: 12,
      volunteer_hours: 30.5,
      branded: true,
      version: 4,
      created_at: '2021-09-01T02:00:00.000Z',
    });
  });

  it('leaves contacts and the epidemic plan out of the export', () => {
    const row = activityRow(activityItem());
    expect(JSON.stringify(row)).not.toContain('13800000000');
    expect(JSON.stringify(row)).not.toContain('张三');
    expect(JSON.stringify(row)).not.toContain('测温');
  });

  it('answers null for a missing or mistyped value, never a guess', () => {
    const row = activityRow(activityItem({ venue: undefined, expectedParticipants: 'many', branded: 'yes', startsAt: 'soon', audiences: 'school' }));
    expect(row).toMatchObject({ venue_name: null, venue_address: null, expected_participants: null, branded: null, starts_at: null, audiences: null });
  });

  it('maps results to the result columns, joined on activity_id', () => {
    expect(resultsRow(resultsItem())).toEqual({
      activity_id: 'a1',
      actual_participants: 420,
      news_links: ['https://news.example.cn/1', 'https://news.example.cn/2'],
      results_online_url: 'https://live.example.cn/a1/replay',
      highlights: '首次\n线上线下结合',
    });
  });

  it('maps media of an activity and of a summary; reads the EXIF wall clock in the campaign zone', () => {
    const photo = mediaRow(mediaItem(), 'Asia/Shanghai');
    expect(Object.keys(photo).sort()).toEqual(names('media').sort());
    expect(photo).toMatchObject({ media_id: 'm1', activity_id: 'a1', kind: 'photo', content_type: 'image/jpeg', size_bytes: 2048, captured_at: '2021-09-15T01:30:00.000Z' });
    const doc = mediaRow(mediaItem({ subject: { type: 'summary', campaignId: '2021-xinxiang', organizationId: 'hongqi-kx' }, capturedAt: undefined }), 'Asia/Shanghai');
    expect(doc).toMatchObject({ activity_id: null, captured_at: null, organization_id: 'hongqi-kx' });
  });

  it('maps summaries, flags and units to exactly their tables’ columns', () => {
    expect(Object.keys(summaryRow(summaryItem())).sort()).toEqual(names('summaries').sort());
    expect(summaryRow(summaryItem())).toMatchObject({ document_media_ids: ['d1'], version: 1, submitted_at: '2021-10-20T02:00:00.000Z' });
    expect(Object.keys(flagRow(flagItem())).sort()).toEqual(names('flags').sort());
    expect(flagRow(flagItem({ waived: undefined, activityId: undefined }))).toMatchObject({ waived: false, activity_id: null, late_by_seconds: 3600 });
    const unit = organizationRow('2021-xinxiang', addedOrganizationItem() as never);
    expect(Object.keys(unit).sort()).toEqual(names('organizations').sort());
    expect(unit).toMatchObject({ organization_id: 'new-society', name_en: 'Xinxiang New Society', listed_at: '2021-09-05T02:00:00.000Z' });
  });

  it.each([
    ['int64', 12, 12],
    ['int64', 1.5, null],
    ['int64', '7', 7],
    ['double', 2.25, 2.25],
    ['double', Number.NaN, null],
    ['boolean', false, false],
    ['boolean', 0, null],
    ['string', 5, '5'],
    ['string', { a: 1 }, null],
    ['timestamptz', '2021-09-15T09:00:00+08:00', '2021-09-15T01:00:00.000Z'],
    ['list<string>', new Set(['a']), ['a']],
    ['list<string>', ['a', 3, 'b'], ['a', 'b']],
  ] as const)('cellOf(%s, %p) is %p', (type, value, expected) => {
    expect(cellOf(type, value)).toEqual(expected);
  });
});
