import { findCampaign } from '../../../shared/campaigns/index';
import {
  COLUMNS, NO_FILTERS, csvField, csvFileName, filterUnits, groupUnits, progressCsv, sortUnits, totalsOf, type BoardContext, type UnitProgress,
} from '../../../web/src/components/console/progress-board';

const campaign = findCampaign('2021-xinxiang')!;
const zh: BoardContext = { counties: campaign.counties, lang: 'zh-CN' };
const en: BoardContext = { ...zh, lang: 'en' };

const unit = (over: Partial<UnitProgress> & Pick<UnitProgress, 'organizationId' | 'name'>): UnitProgress => ({
  county: 'hongqi',
  type: 'association',
  activities: { draft: 0, registered: 0, registeredOnTime: 0, registeredLate: 0, resultsComplete: 0, resultsLate: 0 },
  summary: { submitted: false, submittedAt: null, late: false },
  flags: { open: 0, waived: 0 },
  lastChangeAt: null,
  ...over,
});

const hongqi = unit({
  organizationId: 'hongqi-kx',
  name: '红旗区科协',
  nameEn: 'Hongqi Association',
  activities: { draft: 1, registered: 2, registeredOnTime: 2, registeredLate: 0, resultsComplete: 1, resultsLate: 0 },
  summary: { submitted: true, submittedAt: '2021-10-20T10:00:00+08:00', late: false },
  lastChangeAt: '2021-10-20T10:00:00+08:00',
});
const weibin = unit({
  organizationId: 'weibin-kx',
  name: '卫滨区科协',
  county: 'weibin',
  activities: { draft: 0, registered: 1, registeredOnTime: 0, registeredLate: 1, resultsComplete: 0, resultsLate: 0 },
  flags: { open: 2, waived: 1 },
  lastChangeAt: '2021-09-25T10:00:00+08:00',
});
const school = unit({ organizationId: 'city-school', name: '=HYPERLINK("http://evil")', county: 'city', type: 'school', flags: { open: 1, waived: 0 } });
const all = [hongqi, weibin, school];

describe('Function: filterUnits', () => {
  it('keeps every unit without filters', () => {
    expect(filterUnits(all, NO_FILTERS)).toEqual(all);
  });

  it('filters by county, type, lateness, nothing registered, summary missing and open flags', () => {
    expect(filterUnits(all, { ...NO_FILTERS, county: 'weibin' })).toEqual([weibin]);
    expect(filterUnits(all, { ...NO_FILTERS, type: 'school' })).toEqual([school]);
    expect(filterUnits(all, { ...NO_FILTERS, late: true })).toEqual([weibin]);
    expect(filterUnits(all, { ...NO_FILTERS, noRegistration: true })).toEqual([school]);
    expect(filterUnits(all, { ...NO_FILTERS, summaryMissing: true })).toEqual([weibin, school]);
    expect(filterUnits(all, { ...NO_FILTERS, openFlags: true, county: 'city' })).toEqual([school]);
  });

  it('searches the Chinese name, the English name and the id, ignoring case', () => {
    expect(filterUnits(all, { ...NO_FILTERS, q: '卫滨' })).toEqual([weibin]);
    expect(filterUnits(all, { ...NO_FILTERS, q: 'hongqi association' })).toEqual([hongqi]);
    expect(filterUnits(all, { ...NO_FILTERS, q: ' CITY-SCHOOL ' })).toEqual([school]);
  });
});

describe('Function: sortUnits', () => {
  it('sorts numbers both ways, ties by id', () => {
    expect(sortUnits(all, 'flagsOpen', 'descending', zh).map((u) => u.organizationId)).toEqual(['weibin-kx', 'city-school', 'hongqi-kx']);
    expect(sortUnits(all, 'flagsOpen', 'ascending', zh).map((u) => u.organizationId)).toEqual(['hongqi-kx', 'city-school', 'weibin-kx']);
  });

  it('sorts counties in the campaign’s order and the summary missing first', () => {
    expect(sortUnits(all, 'county', 'ascending', zh).map((u) => u.county)).toEqual(['hongqi', 'weibin', 'city']);
    expect(sortUnits(all, 'summary', 'ascending', zh).at(-1)).toBe(hongqi);
  });

  it('sorts a column it does not know by name', () => {
    expect(sortUnits(all, 'nope' as never, 'ascending', en)).toHaveLength(3);
  });
});

describe('Function: groupUnits', () => {
  it('groups by county in the campaign’s order and by type, leaving empty groups out', () => {
    expect(groupUnits(all, 'county', zh).map((g) => [g.label, g.units.length])).toEqual([
      ['红旗区', 1],
      ['卫滨区', 1],
      ['市直', 1],
    ]);
    expect(groupUnits(all, 'type', en).map((g) => g.id)).toEqual(['association', 'school']);
    expect(groupUnits(all, 'none', zh)).toEqual([{ id: 'all', label: '', units: all }]);
  });
});

describe('Function: totalsOf', () => {
  it('sums every count column, counts summaries and takes the latest change', () => {
    const totals = totalsOf(all, zh);
    expect(totals.units).toBe(3);
    expect(totals.sums).toMatchObject({ draft: 1, registeredOnTime: 2, registeredLate: 1, resultsComplete: 1, flagsOpen: 3, flagsWaived: 1 });
    expect(Object.keys(totals.sums)).toEqual(COLUMNS.filter((c) => c.numeric).map((c) => c.key));
    expect(totals.summarySubmitted).toBe(1);
    expect(totals.lastChangeAt).toBe('2021-10-20T10:00:00+08:00');
  });
});

describe('Function: progressCsv', () => {
  it('starts with a BOM, quotes every field, ends every record with CRLF, header in Chinese', () => {
    // Act
    const csv = progressCsv([weibin], zh);
    // Assess
    expect(csv.startsWith('\uFEFF"单位编号","单位名称","英文名称","县（市、区）","类型","草稿","已登记","按时登记","逾期登记"')).toBe(true);
    const records = csv.slice(1).split('\r\n');
    expect(records).toHaveLength(3);
    expect(records[2]).toBe('');
    expect(records[1]).toBe('"weibin-kx","卫滨区科协","","卫滨区","科协","0","1","0","1","0","0","否","","否","2","1","2021-09-25T10:00:00+08:00"');
    expect(csv).not.toMatch(/[^\r]\n/);
  });

  it('neutralises formulas and doubles quotes; English headers on an English page', () => {
    const csv = progressCsv([school], en);
    expect(csv).toContain('"Unit id","Unit name"');
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvField('+1')).toBe(`"'+1"`);
    expect(csvField('@a')).toBe(`"'@a"`);
    expect(csvField('-x')).toBe(`"'-x"`);
    expect(csvField('\tx')).toBe(`"'\tx"`);
    expect(csvField(3)).toBe('"3"');
  });

  it('names the file after the campaign and the minute in Beijing time', () => {
    expect(csvFileName('2021-xinxiang', new Date('2021-09-25T02:00:00Z'), 'Asia/Shanghai')).toBe('progress-2021-xinxiang-20210925-1000.csv');
  });
});
