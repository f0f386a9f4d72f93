import { activityPreview, PUBLIC_ACTIVITY_PATH, withSharePreview } from '../../../infra/local/share-preview';

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
