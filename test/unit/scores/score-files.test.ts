// The files for people an export writes from the scores: chart.svg (well-formed, self-contained,
// one bar per county and per indicator, labels escaped) and commendations.csv (BOM, Chinese
// header, CRLF, formulas neutralised), and the scores table's rows.
import { xinxiang2021 } from '../../../shared/campaigns/2021-xinxiang';
import { loadCampaign } from '../../../shared/domain/campaign';
import { chartData, scoresChartSvg, xmlEscape } from '../../../shared/export/chart';
import type { StoredItem } from '../../../shared/export/rows';
import { commendationsCsv, scoreRows } from '../../../shared/export/score-files';
import { parseCsv } from '../../../shared/http/csv';
import { ScoringFacts, type ScoreReport } from '../../../shared/domain/scoring-facts';
import { storedItems } from './scores-data';

const campaign = loadCampaign(xinxiang2021);

function reportOf(extra: (data: ReturnType<typeof storedItems>) => void = () => undefined): ScoreReport {
  const data = storedItems();
  extra(data);
  const facts = new ScoringFacts(campaign);
  const feed = (items: StoredItem[], take: (i: StoredItem) => void) => items.forEach(take);
  feed(data.activities, (i) => facts.activity(i));
  feed(data.results, (i) => facts.result(i));
  feed(data.media, (i) => facts.medium(i));
  feed(data.flags, (i) => facts.flag(i));
  feed(data.summaries, (i) => facts.summary(i));
  feed(data.organizations, (i) => facts.organization(i));
  feed(data.reviews, (i) => facts.review(i));
  feed(data.extensions, (i) => facts.extension(i));
  return facts.report();
}

/**
 * Throws unless `xml` is one well-formed element (after an optional XML declaration): every tag
 * closed in order, attributes quoted, `<` never in text, `&` only as a predefined or numeric
 * entity. Answers the element names in document order.
 */
function wellFormed(xml: string): string[] {
  const body = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\s*/, '');
  const entity = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;
  const token = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*="[^"<]*")*)\s*(\/?)>|([^<]+)/y;
  const stack: string[] = [];
  const names: string[] = [];
  let roots = 0;
  token.lastIndex = 0;
  while (token.lastIndex < body.length) {
    const at = token.lastIndex;
    const m = token.exec(body);
    if (!m) throw new Error(`not well-formed at ${at}: ${body.slice(at, at + 40)}`);
    const [, close, name, attrs, selfClose, text] = m;
    if (text !== undefined) {
      if (entity.test(text)) throw new Error(`bare & in text at ${at}`);
      if (stack.length === 0 && text.trim() !== '') throw new Error(`text outside the root at ${at}`);
      continue;
    }
    if (attrs && entity.test(attrs)) throw new Error(`bare & in an attribute at ${at}`);
    if (close) {
      if (stack.pop() !== name) throw new Error(`</${name}> closes another element at ${at}`);
    } else {
      if (stack.length === 0) roots += 1;
      names.push(name as string);
      if (!selfClose) stack.push(name as string);
    }
  }
  if (stack.length > 0 || roots !== 1) throw new Error(`unclosed ${stack.join(', ')} or ${roots} roots`);
  return names;
}

describe('chart.svg', () => {
  const hostile = '<script>alert("x")</script> & 区\u0007';
  const report = reportOf((d) => {
    d.organizations.push({ entity: 'Organization', organizationId: 'odd-unit', name: '奇怪单位', county: hostile, type: 'other' });
  });
  const svg = scoresChartSvg(report);

  it('is well-formed XML with one <svg> root', () => {
    const names = wellFormed(svg);
    expect(names[0]).toBe('svg');
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
  });

  it('has one bar per county (the definition’s, then one named only by an added unit) and one per indicator', () => {
    const counties = [...svg.matchAll(/class="county-bar" data-county="([^"]*)"/g)].map((m) => m[1]);
    expect(counties).toEqual([...campaign.counties.map((c) => c.id), xmlEscape(hostile)]);
    expect([...svg.matchAll(/class="indicator-bar" data-indicator="([^"]*)"/g)].map((m) => m[1])).toEqual(campaign.indicators.map((i) => i.id));
    for (const c of campaign.counties) expect(svg).toContain(`>${c.name.zh}</text>`);
    for (const i of campaign.indicators) expect(svg).toContain(`>${i.name.zh}</text>`);
  });

  it('escapes every label and needs nothing outside itself (no script, link, external font or image)', () => {
    expect(svg).not.toContain('<script');
    expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 区');
    expect(svg).not.toMatch(/href|url\(|@import|@font-face|<image|<foreignObject/);
  });

  it('draws the mean total of each county’s units and the mean indicator scores of the units with activities', () => {
    const data = chartData(report);
    const hongqi = data.counties.find((c) => c.countyId === 'hongqi');
    // 红旗区: hongqi-kx 85.15 and nine more units with nothing.
    expect(hongqi).toMatchObject({ name: '红旗区', units: 10, active: 1 });
    expect(hongqi?.meanTotal).toBeCloseTo(8.515, 10);
    expect(svg).toContain('8.52 分（1/10 个单位有活动）');
    // Five units have activities: highlights 13.50 (hongqi-kx) + 10.50 (city-jyj) over 5.
    expect(data.activeUnits).toBe(5);
    expect(data.indicators.find((i) => i.indicatorId === 'highlights')?.meanScore).toBeCloseTo(4.8, 10);
    expect(data.indicators.find((i) => i.indicatorId === 'joint-actions')?.meanScore).toBeCloseTo((15 + 7.5 + 7.5) / 5, 10);
  });
});

describe('commendations.csv', () => {
  const report = reportOf((d) => {
    d.reviews.push({ entity: 'Review', campaignId: '2021-xinxiang', organizationId: 'weihui-kx', scores: { highlights: 40 }, distinctiveActivityIds: ['c1'] });
  });
  const text = commendationsCsv(report);
  const records = parseCsv(text.slice(1));

  it('is UTF-8 with a BOM, CRLF line ends and a Chinese header', () => {
    expect(text.startsWith('\uFEFF名单,名次,单位编号,单位名称,单位类型,县（市、区）,总分,并列说明,活动编号,活动名称,评审标记次数,效果亮点评审分\r\n')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replaceAll('\r\n', '')).not.toContain('\n');
  });

  it('lists the best units overall, per type, and the distinctive activities, ties explained', () => {
    const rows = records.slice(1);
    expect(rows.map((r) => [r[0], r[1], r[2]])).toEqual([
      ['总排名', '1', 'hongqi-kx'],
      ['总排名', '2', 'city-jyj'],
      ['总排名', '3', 'weihui-kx'],
      ['总排名', '4', 'muye-kx'],
      ['总排名', '4', 'weibin-kx'],
      ['分类型：科协', '1', 'hongqi-kx'],
      ['分类型：科协', '2', 'weihui-kx'],
      ['分类型：科协', '3', 'muye-kx'],
      ['分类型：科协', '3', 'weibin-kx'],
      ['分类型：党委、政府部门', '1', 'city-jyj'],
      ['特色活动', '1', 'hongqi-kx'],
      ['特色活动', '2', 'city-jyj'],
      ['特色活动', '3', 'weihui-kx'],
    ]);
    const hongqi = rows[0] as string[];
    expect(hongqi.slice(3, 7)).toEqual(['红旗区科协', '科协', '红旗区', '85.15']);
    expect(rows[3]?.[7]).toContain('与 weibin-kx 总分相同（13.30 分），并列第 4 名');
    expect(rows[10]?.slice(8)).toEqual(['a1', '碳中和科普进社区', '1', '90']);
  });

  it('neutralises a title that would be a formula', () => {
    expect(records.at(-1)?.[9]).toBe('\'=HYPERLINK("x")低碳生活');
    expect(text).toContain('"\'=HYPERLINK(""x"")低碳生活"');
  });

  it('has an English header on request', () => {
    expect(commendationsCsv(report, 'en').split('\r\n')[1]).toMatch(/^overall,1,hongqi-kx,/);
  });
});

describe('scores table rows', () => {
  it('has one typed row per unit, the indicator scores in their columns, missing as list items', () => {
    const rows = scoreRows(reportOf());
    expect(rows).toHaveLength(campaign.organizations.length);
    expect(rows[0]).toEqual({
      campaign_id: '2021-xinxiang',
      organization_id: 'hongqi-kx',
      mobilization: 12.8,
      scale: 15,
      publicity: 13.65,
      highlights: 13.5,
      volunteering: 7.2,
      joint_actions: 15,
      online: 9,
      penalty: 1,
      total: 85.15,
      rank: 1,
      missing: [],
    });
    expect(rows.find((r) => r.organization_id === 'weihui-kx')?.missing).toEqual([
      'no-summary',
      'reviewer-score:mobilization',
      'reviewer-score:publicity',
      'reviewer-score:highlights',
      'reviewer-score:volunteering',
      'reviewer-score:online',
    ]);
  });
});
