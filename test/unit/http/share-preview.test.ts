import { activityPreview, PUBLIC_ACTIVITY_ID, PUBLIC_ACTIVITY_PATH, publicActivityPageUrl, sharePage, withSharePreview } from '../../../shared/http/share-preview';

const INDEX = '<!doctype html>\n<html lang="zh-CN">\n  <head>\n    <meta charset="UTF-8" />\n    <meta name="description" content="科普日活动报送" />\n    <title>科普日活动报送 · SciDay</title>\n  </head>\n  <body><div id="app"></div></body>\n</html>';

describe('Function: activityPreview', () => {
  it('gives the title and when, where and who in Chinese, times in Asia/Shanghai', () => {
    // Prepare
    const activity = {
      title: '科普进社区',
      startsAt: '2021-09-20T06:00:00Z',
      endsAt: '2021-09-21T02:00:00Z',
      countyName: { zh: '红旗区', en: 'Hongqi' },
      venue: { name: '社区活动中心', address: '新乡市红旗区' },
      organizationName: { zh: '红旗区科协', en: 'Hongqi SA' },
      format: 'hybrid',
    };
    // Act
    const preview = activityPreview(activity);
    // Assess
    expect(preview).toStrictEqual({
      title: '科普进社区 · 全国科普日活动',
      description: '2021年9月20日星期一 14:00 至 2021年9月21日星期二 10:00 · 红旗区 · 社区活动中心 · 主办：红旗区科协',
    });
  });

  it('says an online activity is online, and gives nothing for an answer without a title', () => {
    expect(activityPreview({ title: '线上讲座', format: 'online' })?.description).toBe('线上活动');
    expect(activityPreview({ startsAt: '2021-09-20T06:00:00Z' })).toBeUndefined();
    expect(activityPreview(undefined)).toBeUndefined();
  });
});

describe('Function: withSharePreview', () => {
  it('replaces the generic title and description and adds Open Graph tags, escaped', () => {
    // Act
    const html = withSharePreview(INDEX, { title: '<script>alert(1)</script> & 讲座', description: '"引号" 描述' }, 'https://kepu.example.cn/public/activities/1');
    // Assess
    expect(html).not.toContain('<script>alert');
    expect(html.match(/<title>/g)).toHaveLength(1);
    expect(html.match(/name="description"/g)).toHaveLength(1);
    expect(html).toContain('<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; 讲座</title>');
    expect(html).toContain('<meta property="og:description" content="&quot;引号&quot; 描述" />');
    expect(html).toContain('<meta property="og:url" content="https://kepu.example.cn/public/activities/1" />');
    expect(html).toContain('<div id="app"></div>');
  });

  it('names only public activity pages', () => {
    expect(PUBLIC_ACTIVITY_PATH.exec('/public/activities/01HXABC')?.[1]).toBe('01HXABC');
    expect(PUBLIC_ACTIVITY_PATH.test('/public/activities/../x')).toBe(false);
    expect(PUBLIC_ACTIVITY_PATH.test('/activities/01HXABC')).toBe(false);
  });
});

describe('Function: sharePage (the share link on AWS)', () => {
  it('gives crawlers the preview, escaped, with og:url and the canonical link at the app page, and sends browsers there without script', () => {
    // Prepare
    const url = publicActivityPageUrl('01HXABC', 'https://kepu.example.cn');
    // Act
    const html = sharePage({ title: '<b>科普进社区</b> · 全国科普日活动', description: '"红旗区" & 社区' }, url);
    // Assess
    expect(url).toBe('https://kepu.example.cn/public/activities/01HXABC');
    expect(html).toMatch(/^<!doctype html>\n<html lang="zh-CN">/);
    expect(html).toContain('<meta charset="utf-8" />');
    expect(html).toContain('<title>&lt;b&gt;科普进社区&lt;/b&gt; · 全国科普日活动</title>');
    expect(html).toContain('<meta name="description" content="&quot;红旗区&quot; &amp; 社区" />');
    expect(html).toContain('<meta property="og:title" content="&lt;b&gt;科普进社区&lt;/b&gt; · 全国科普日活动" />');
    expect(html).toContain(`<meta property="og:url" content="${url}" />`);
    expect(html).toContain(`<link rel="canonical" href="${url}" />`);
    expect(html).toContain(`<meta http-equiv="refresh" content="0;url=${url}" />`);
    expect(html).toContain(`<a href="${url}">`);
    expect(html).not.toMatch(/<script|<b>/);
  });

  it('links to a path of the same origin when there is no web origin (one machine), and the description stays within 300 characters', () => {
    expect(publicActivityPageUrl('01HXABC')).toBe('/public/activities/01HXABC');
    const long = activityPreview({ title: '讲座', venue: { name: '馆'.repeat(400) } });
    expect(long?.description).toHaveLength(300);
    expect(sharePage(long!, '/public/activities/1')).toContain(`content="${'馆'.repeat(300)}"`);
  });

  it('takes only ids a public address may hold', () => {
    expect(PUBLIC_ACTIVITY_ID.test('01HXABC_x-1')).toBe(true);
    expect(PUBLIC_ACTIVITY_ID.test('..')).toBe(false);
    expect(PUBLIC_ACTIVITY_ID.test('a"b')).toBe(false);
  });
});
