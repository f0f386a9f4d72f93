import { FLAG_GUIDE } from '../../../shared/domain/flag-guide';
import { FLAG_CODES } from '../../../shared/domain/flags';

const CJK = /[\u4e00-\u9fff]/;

describe('Module: FLAG_GUIDE', () => {
  it('explains exactly the flag codes of the domain', () => {
    expect(Object.keys(FLAG_GUIDE).sort()).toEqual([...FLAG_CODES].sort());
  });

  it.each(FLAG_CODES)('%s: has a short name, says what it means and how to clear it, in Chinese and in English', (code) => {
    const { name, meaning, howToClear } = FLAG_GUIDE[code];
    expect(name.zh).toMatch(CJK);
    expect(name.en.trim()).not.toBe('');
    for (const text of [meaning, howToClear]) {
      expect(text.zh.trim().length).toBeGreaterThan(10);
      expect(text.en.trim().length).toBeGreaterThan(20);
      expect(text.zh).toMatch(CJK);
      expect(text.zh).toMatch(/。$/);
      expect(text.en).not.toMatch(CJK);
      expect(text.en).toMatch(/\.$/);
    }
    // A flag stays until an admin waives it with a reason: every guide says who to ask.
    expect(howToClear.zh).toContain('管理员');
    expect(howToClear.zh).toContain('豁免');
    expect(howToClear.en).toMatch(/administrator.*waive/);
  });

  it('tells what to add for missing results, the URL for online activities included', () => {
    expect(FLAG_GUIDE['results-missing'].howToClear.zh).toMatch(/新闻报道链接[\s\S]*照片、视频[\s\S]*审核通过[\s\S]*活动网址/);
    expect(FLAG_GUIDE['results-missing'].howToClear.en).toMatch(/news link.*photos or videos.*accepted.*URL/);
  });

  it('says a late submission cannot be undone', () => {
    for (const code of ['registration-late', 'not-published-in-advance', 'results-late', 'summary-late'] as const) {
      expect(FLAG_GUIDE[code].howToClear.zh).toContain('无法撤销');
      expect(FLAG_GUIDE[code].howToClear.en).toContain('cannot be undone');
    }
  });
});
