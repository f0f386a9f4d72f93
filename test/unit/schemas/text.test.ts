import fc from 'fast-check';
import type * as z from '../../../shared/domain/zod';
import {
  codePointLength,
  distinctList,
  email,
  httpsUrl,
  id,
  integer,
  isoInstant,
  longText,
  normalizePhone,
  phone,
  text,
} from '../../../shared/schemas/text';
import { xinxiang2021 } from '../../../shared/campaigns/2021-xinxiang';
import { CampaignDefinitionSchema } from '../../../shared/domain/campaign';
import { issueMessage } from '../../../shared/domain/issue-messages';
import { textHygieneProblem } from '../../../shared/domain/text-hygiene';
import { issuesOf, pairs } from './samples';

const codes = (schema: z.core.$ZodType, input: unknown) => pairs(issuesOf(schema, input));
const fullWidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
const digit = fc.integer({ min: 0, max: 9 }).map(String);
/** A valid mainland mobile number, half-width. */
const mobile = fc
  .tuple(fc.integer({ min: 3, max: 9 }), fc.array(digit, { minLength: 9, maxLength: 9 }))
  .map(([second, rest]) => `1${second}${rest.join('')}`);
/** A valid landline in canonical form. */
const landline = fc
  .tuple(
    fc.oneof(
      fc.constant('010'),
      digit.map((d) => `02${d}`),
      fc.tuple(fc.integer({ min: 3, max: 9 }), digit, digit).map(([a, b, c]) => `0${a}${b}${c}`),
    ),
    fc.array(digit, { minLength: 7, maxLength: 8 }),
    fc.option(fc.array(digit, { minLength: 1, maxLength: 6 }), { nil: undefined }),
  )
  .map(([area, number, ext]) => `${area}-${number.join('')}${ext ? `-${ext.join('')}` : ''}`);

describe('Function: codePointLength', () => {
  it.each([
    ['abc', 3],
    ['科普日', 3],
    ['🔬', 1],
    ['👩‍🔬', 3],
    ['', 0],
  ])('counts %p as %i', (s, n) => expect(codePointLength(s)).toBe(n));
});

describe('Schema: text', () => {
  const title = text({ min: 2, max: 100 });

  it('trims white space, the ideographic space included, and keeps full-width text', () => {
    expect(title.parse('\u3000 ＡＢＣ科普 \n')).toBe('ＡＢＣ科普');
  });

  it('counts code points: two emoji are enough, one emoji is too_short', () => {
    expect(codes(title, '🔬🚀')).toEqual([]);
    expect(codes(title, '🔬')).toEqual([' too_short']);
  });

  it('rejects a string of spaces with code too_short', () => {
    expect(codes(title, '      ')).toEqual([' too_short']);
  });

  it('rejects a 10,000-character string with code too_long, fast', () => {
    const started = performance.now();
    expect(codes(title, '🚀'.repeat(10_000))).toEqual([' too_long']);
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('accepts any 2..100 non-space code points wrapped in white space, trimmed', () => {
    // Hidden characters (controls, bidi overrides, zero-width) are refused: see the hygiene tests below.
    const nonSpace = fc
      .string({ unit: 'binary', minLength: 1, maxLength: 1 })
      .filter((c) => !/\s/.test(c) && textHygieneProblem(c) === undefined);
    const space = fc.constantFrom(' ', '\t', '\n', '\r', '\u3000', '\u00a0', '\ufeff');
    fc.assert(
      fc.property(
        fc.array(space, { maxLength: 4 }),
        fc.array(nonSpace, { minLength: 2, maxLength: 100 }),
        fc.array(space, { maxLength: 4 }),
        (before, core, after) => {
          const result = title.safeParse(before.join('') + core.join('') + after.join(''));
          expect(result.success && result.data).toBe(core.join(''));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('Function: normalizePhone', () => {
  it.each([
    ['13800138000', '13800138000'],
    ['138 0013 8000', '13800138000'],
    ['138-0013-8000', '13800138000'],
    ['+86 138 0013 8000', '13800138000'],
    ['+86-13800138000', '13800138000'],
    ['8613800138000', '13800138000'],
    ['0086 13800138000', '13800138000'],
    ['１３８００１３８０００', '13800138000'],
    ['＋８６　１３８－００１３－８０００', '13800138000'],
    ['  19912345678  ', '19912345678'],
    ['0373-5820656', '0373-5820656'],
    ['03735820656', '0373-5820656'],
    ['0373 5820656', '0373-5820656'],
    ['０３７３－５８２０６５６', '0373-5820656'],
    ['(0373)5820656', '0373-5820656'],
    ['（０３７３）５８２０６５６', '0373-5820656'],
    ['0373—5820656', '0373-5820656'],
    ['010-12345678', '010-12345678'],
    ['01012345678', '010-12345678'],
    ['021 6234 5678', '021-62345678'],
    ['0373-5820656-123', '0373-5820656-123'],
    ['０３７３－５８２０６５６－８０１', '0373-5820656-801'],
  ])('normalises %p to %p', (raw, expected) => {
    expect(normalizePhone(raw)).toBe(expected);
    expect(phone().parse(raw)).toBe(expected);
  });

  it.each([
    '',
    '   ',
    '12800138000',
    '1380013800',
    '138001380001',
    '+1 138 0013 8000',
    '373-5820656',
    '0000-5820656',
    '0373-58206',
    '0373-582065678',
    '0373-5820656转123',
    '0373-5820656 ext 123',
    '0373-5820656-1234567',
    '0373-5820656-',
    '13800138000a',
    '１３８００１３８０００ｘ',
    'call me',
    '1'.repeat(10_000),
  ])('rejects %p with code invalid_phone', (raw) => {
    expect(normalizePhone(raw)).toBeUndefined();
    expect(codes(phone(), raw)).toEqual([' invalid_phone']);
  });

  it('normalises any full-width mobile number, with full-width separators, to the half-width one', () => {
    fc.assert(
      fc.property(mobile, fc.constantFrom('', '－', '　', ' '), fc.boolean(), (number, separator, prefixed) => {
        const typed = `${prefixed ? '＋８６' : ''}${fullWidth(number.slice(0, 3))}${separator}${fullWidth(number.slice(3, 7))}${separator}${fullWidth(number.slice(7))}`;
        expect(normalizePhone(typed)).toBe(number);
      }),
    );
  });

  it('normalises any full-width landline to its canonical form, idempotently', () => {
    fc.assert(
      fc.property(landline, (number) => {
        expect(normalizePhone(fullWidth(number))).toBe(number);
        expect(normalizePhone(number)).toBe(number);
      }),
    );
  });

  it('never accepts a string with a letter in it', () => {
    const letter = fc.string({ unit: 'grapheme-composite', minLength: 1, maxLength: 1 }).filter((c) => /\p{L}/u.test(c));
    fc.assert(
      fc.property(fc.oneof(mobile, landline), letter, fc.nat(), (number, l, at) => {
        const i = at % (number.length + 1);
        expect(phone().safeParse(number.slice(0, i) + l + number.slice(i)).success).toBe(false);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }).filter((s) => /\p{L}/u.test(s)), (s) => {
        expect(phone().safeParse(s).success).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('Schema: httpsUrl', () => {
  it.each([
    ['https://example.cn', 'https://example.cn'],
    ['https://www.xinxiang.gov.cn/news?id=1#top', 'https://www.xinxiang.gov.cn/news?id=1#top'],
    ['HTTPS://EXAMPLE.CN/A', 'HTTPS://EXAMPLE.CN/A'],
    ['ｈｔｔｐｓ：／／ｅｘａｍｐｌｅ．ｃｎ／新闻', 'https://example.cn/新闻'],
    ['https://例子.中国/路径', 'https://例子.中国/路径'],
    ['  https://a.example.cn:8443/x  ', 'https://a.example.cn:8443/x'],
  ])('accepts %p as %p', (raw, expected) => {
    expect(httpsUrl().parse(raw)).toBe(expected);
  });

  it.each([
    ['http://example.cn', 'https_required'],
    ['ftp://example.cn/file', 'https_required'],
    ['javascript:alert(1)', 'https_required'],
    ['mailto:kepu@example.cn', 'https_required'],
    ['example.cn/news', 'invalid_url'],
    ['https://', 'invalid_url'],
    ['https://user:secret@example.cn/', 'invalid_url'],
    ['https://exa mple.cn', 'invalid_url'],
    ['', 'invalid_url'],
    [`https://example.cn/${'x'.repeat(2048)}`, 'too_long'],
  ])('rejects %p with code %s', (raw, code) => {
    expect(codes(httpsUrl(), raw)).toEqual([` ${code}`]);
  });
});

describe('Schema: email', () => {
  it.each([
    ['kepu@example.cn', 'kepu@example.cn'],
    [' a.b+c@mail.example.org.cn ', 'a.b+c@mail.example.org.cn'],
    ['Ｋｅｐｕ＠ｅｘａｍｐｌｅ．ｃｎ', 'Kepu@example.cn'],
  ])('accepts %p as %p', (raw, expected) => expect(email().parse(raw)).toBe(expected));

  it.each([
    ['kepu', 'invalid_email'],
    ['kepu@', 'invalid_email'],
    ['@example.cn', 'invalid_email'],
    ['kepu@example', 'invalid_email'],
    ['ke pu@example.cn', 'invalid_email'],
    [`${'a'.repeat(250)}@example.cn`, 'too_long'],
  ])('rejects %p with code %s', (raw, code) => expect(codes(email(), raw)).toEqual([` ${code}`]));
});

describe('Schema: isoInstant', () => {
  it.each(['2021-09-24T23:59:59+08:00', '2021-09-24T15:59:59Z', '2021-09-24T23:59+08:00', '2021-09-24T23:59:59.123456789+08:00'])(
    'accepts %p and keeps it as typed',
    (raw) => expect(isoInstant().parse(raw)).toBe(raw),
  );

  it.each([
    '2021-09-24',
    '2021-09-24 23:59:59+08:00',
    '2021-09-24T23:59:59',
    '2021-13-01T00:00:00Z',
    '2021-02-29T00:00:00Z',
    '2021-09-24T24:00:00Z',
    'yesterday',
    '2'.repeat(10_000),
  ])('rejects %p with code invalid_instant', (raw) => expect(codes(isoInstant(), raw)).toEqual([' invalid_instant']));
});

describe('Schema: id', () => {
  it.each(['a', 'act-1', 'city_kx', '01HZX3M4Q7R8S9T0V1W2X3Y4Z5', '3f0c8e0a-8b8e-4c7e-9a53-1f0f6c1d2e3a', 'a'.repeat(64)])(
    'accepts %p',
    (raw) => expect(codes(id(), raw)).toEqual([]),
  );

  it.each(['', '-a', '_a', 'a/b', 'a b', 'a'.repeat(65), '科普'])('rejects %p with code invalid_id', (raw) =>
    expect(codes(id(), raw)).toEqual([' invalid_id']),
  );
});

describe('Schema: integer', () => {
  const count = integer({ min: 0, max: 10 });
  it.each([
    [1.5, ' not_integer'],
    [-1, ' too_small'],
    [11, ' too_big'],
    ['1', ' invalid_type'],
  ])('rejects %p with code %s', (raw, code) => expect(codes(count, raw)).toEqual([code]));

  it('accepts the bounds', () => {
    expect(codes(count, 0)).toEqual([]);
    expect(codes(count, 10)).toEqual([]);
  });
});

describe('Schema: distinctList', () => {
  const names = distinctList(text({ min: 1, max: 5 }), { min: 1, max: 3, key: (s: string) => s.toLowerCase() });

  it('rejects later copies with code duplicate_item, by key', () => {
    expect(issuesOf(names, ['a', 'B', 'A', 'b'])).toEqual([
      { path: '', code: 'too_many', params: { max: 3 } },
      { path: '2', code: 'duplicate_item', params: { value: 'A' } },
      { path: '3', code: 'duplicate_item', params: { value: 'b' } },
    ]);
  });

  it('does not compare invalid items', () => {
    expect(codes(names, ['toolong', 'toolong'])).toEqual(['0 too_long', '1 too_long']);
  });

  it('rejects an empty list with code too_few', () => {
    expect(codes(names, [])).toEqual([' too_few']);
  });
});

describe('Text hygiene (issue 17, item 14): text() and longText()', () => {
  const title = text({ min: 2, max: 100 });
  const plan = longText({ max: 2000 });

  it.each([
    ['a right-to-left override', '科普\u202e日', 'U+202E'],
    ['a left-to-right embedding', '科普\u202a日', 'U+202A'],
    ['a first-strong isolate', '科普\u2068日', 'U+2068'],
    ['a right-to-left mark', '科普\u200f日', 'U+200F'],
    ['an Arabic letter mark', '科普\u061c日', 'U+061C'],
    ['a zero-width space', '科\u200b协', 'U+200B'],
    ['a zero-width non-joiner', '科\u200c协', 'U+200C'],
    ['a zero-width joiner outside an emoji', '科\u200d协', 'U+200D'],
    ['a word joiner', '科\u2060协', 'U+2060'],
    ['a byte order mark inside', '科\ufeff协', 'U+FEFF'],
    ['a soft hyphen', '科\u00ad协', 'U+00AD'],
    ['a tag character', '科协\u{e0041}', 'U+E0041'],
    ['a NUL', '科\u0000协', 'U+0000'],
    ['a tab', '科\t协', 'U+0009'],
    ['a C1 control', '科\u0085协', 'U+0085'],
  ])('refuses %s in a short text (hidden_character, with the character)', (_name, input, character) => {
    const expected = character === 'U+0085' ? 'line_break_not_allowed' : 'hidden_character';
    expect(issuesOf(title, input)).toEqual([{ path: '', code: expected, params: { character } }]);
  });

  it.each([
    ['\n', 'U+000A'],
    ['\r\n', 'U+000D'],
    ['\u2028', 'U+2028'],
    ['\u2029', 'U+2029'],
  ])('refuses a line break %j inside a short text (line_break_not_allowed)', (lineBreak, character) => {
    expect(issuesOf(title, `科普${lineBreak}日`)).toEqual([{ path: '', code: 'line_break_not_allowed', params: { character } }]);
  });

  it('accepts emoji written with zero-width joiners and variation selectors, and CJK punctuation', () => {
    for (const ok of ['科普日👩‍💻', '👨‍👩‍👧 亲子科普', '🏳️‍🌈 彩虹', '👩🏽‍🔬 实验', '“科普”——《新乡》・活动']) {
      expect(title.safeParse(ok)).toEqual({ success: true, data: ok });
    }
  });

  it('keeps line breaks and tabs in a long text, but refuses bidi overrides and zero-width characters there', () => {
    const lines = '第一行\r\n第二行\n\t第三行';
    expect(plan.safeParse(lines)).toEqual({ success: true, data: lines });
    expect(codes(plan, '第一行\n第二行\u202e')).toEqual([' hidden_character']);
    expect(codes(plan, '第一行\n第\u200b二行')).toEqual([' hidden_character']);
    expect(codes(plan, '第一行\u0007')).toEqual([' hidden_character']);
  });

  it('trims surrounding white space (a leading BOM, a trailing line break) before it looks', () => {
    expect(title.safeParse('\ufeff 科普日\n')).toEqual({ success: true, data: '科普日' });
  });

  it('still reports length issues next to a hidden character', () => {
    expect(codes(title, '\u200b')).toEqual([' hidden_character', ' too_short']);
  });

  it('has a message in zh-CN and en naming the character', () => {
    const [issue] = issuesOf(title, '科普\u202e日');
    expect(issueMessage(issue?.code ?? '', 'zh-CN', issue?.params)).toContain('U+202E');
    expect(issueMessage(issue?.code ?? '', 'en', issue?.params)).toMatch(/bidirectional.*U\+202E/);
  });

  it('is checked in the campaign definition’s bilingual names too', () => {
    const definition = structuredClone(xinxiang2021) as unknown as { contentThemes: Array<{ name: { zh: string } }>; indicators: Array<{ reviewerAsks?: { zh: string } }> };
    const theme = definition.contentThemes[0];
    if (theme) theme.name.zh = `${theme.name.zh}\u202e`;
    const result = CampaignDefinitionSchema.safeParse(definition);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => `${i.path.join('.')} ${String((i as { params?: { code?: string } }).params?.code)}`)).toEqual([
      'contentThemes.0.name.zh hidden_character',
    ]);
  });
});
