import {
  addDays, clockSpan, dayHeading, filtersFromQuery, filtersToQuery, groupByDay, overlaps, rangeOf, timeSpan, weekOf,
} from '../../../web/src/public-calendar';

const TZ = 'Asia/Shanghai';

describe('Function: weekOf', () => {
  it('gives Monday to Sunday of the week in Asia/Shanghai', () => {
    // Prepare: Wednesday 22 September 2021, noon in Shanghai
    const now = new Date('2021-09-22T04:00:00Z');
    // Act
    const week = weekOf(now, TZ);
    // Assess
    expect(week).toStrictEqual({ from: '2021-09-20', to: '2021-09-26' });
  });

  it('counts Sunday as the last day of its week, not the first of the next', () => {
    expect(weekOf(new Date('2021-09-26T15:59:59+08:00'), TZ)).toStrictEqual({ from: '2021-09-20', to: '2021-09-26' });
  });

  it('reads the day on the wall clock of the zone, not in UTC', () => {
    // Sunday 23:30 UTC is already Monday 07:30 in Shanghai: the next week there
    const now = new Date('2021-09-26T23:30:00Z');
    expect(weekOf(now, TZ)).toStrictEqual({ from: '2021-09-27', to: '2021-10-03' });
    expect(weekOf(now, 'UTC')).toStrictEqual({ from: '2021-09-20', to: '2021-09-26' });
  });

  it('crosses months and years', () => {
    expect(weekOf(new Date('2021-12-31T12:00:00+08:00'), TZ)).toStrictEqual({ from: '2021-12-27', to: '2022-01-02' });
    expect(weekOf(new Date('2021-03-01T00:00:00+08:00'), TZ)).toStrictEqual({ from: '2021-03-01', to: '2021-03-07' });
  });
});

describe('Function: addDays', () => {
  it('moves calendar dates over month ends and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2021-03-01', -1)).toBe('2021-02-28');
    expect(() => addDays('2021-9-1', 1)).toThrow(RangeError);
  });
});

describe('Function: rangeOf', () => {
  const week = { from: '2026-11-30', to: '2026-12-06' };

  it('is this week when no date is given', () => {
    expect(rangeOf({}, week)).toStrictEqual(week);
  });

  it('is the seven days from a start, or up to an end, when one is given', () => {
    expect(rangeOf({ from: '2021-09-15' }, week)).toStrictEqual({ from: '2021-09-15', to: '2021-09-21' });
    expect(rangeOf({ to: '2021-09-21' }, week)).toStrictEqual({ from: '2021-09-15', to: '2021-09-21' });
  });

  it('puts a reversed range right', () => {
    expect(rangeOf({ from: '2021-09-30', to: '2021-09-15' }, week)).toStrictEqual({ from: '2021-09-15', to: '2021-09-30' });
  });

  it('tells whether two ranges share a day', () => {
    expect(overlaps({ from: '2021-09-13', to: '2021-09-19' }, { from: '2021-09-19', to: '2021-09-30' })).toBe(true);
    expect(overlaps(week, { from: '2021-09-15', to: '2021-09-30' })).toBe(false);
  });
});

describe('Function: filtersFromQuery / filtersToQuery', () => {
  it('reads the filters a shared link names and writes them back in a fixed order', () => {
    // Prepare
    const query = { q: ' 碳达峰 ', mode: 'online', county: 'hongqi', from: '2021-09-15', to: '2021-09-21', theme: 'green-development', jointAction: 'carbon' };
    // Act
    const filters = filtersFromQuery(query);
    // Assess
    expect(filters).toStrictEqual({ county: 'hongqi', from: '2021-09-15', to: '2021-09-21', theme: 'green-development', jointAction: 'carbon', mode: 'online', q: '碳达峰' });
    expect(Object.keys(filtersToQuery(filters))).toStrictEqual(['county', 'from', 'to', 'theme', 'jointAction', 'mode', 'q']);
  });

  it('drops what cannot be right: a date that is not one, an unknown mode, empty values; takes the first of repeated keys', () => {
    expect(filtersFromQuery({ from: '15/09/2021', to: '2021-09-21', mode: 'hybrid', county: ['weibin', 'hongqi'], q: '  ' })).toStrictEqual({
      to: '2021-09-21',
      county: 'weibin',
    });
  });

  it('leaves empty filters out of the link', () => {
    expect(filtersToQuery({ county: '', q: 'x', mode: 'offline' })).toStrictEqual({ mode: 'offline', q: 'x' });
  });
});

describe('Function: groupByDay', () => {
  it('groups by the day each starts on in the zone, days ascending, order within a day kept', () => {
    // Prepare: 23:30 on the 20th in Shanghai is the 20th there although it is 15:30 UTC
    const items = [
      { id: 'b', startsAt: '2021-09-20T23:30:00+08:00' },
      { id: 'a', startsAt: '2021-09-20T09:00:00+08:00' },
      { id: 'c', startsAt: '2021-09-21T00:30:00+08:00' },
      { id: 'z', startsAt: '2021-09-19T16:30:00Z' },
      { id: 'bad', startsAt: 'not a time' },
    ];
    // Act
    const days = groupByDay(items, TZ);
    // Assess
    expect(days.map((d) => [d.date, d.items.map((i) => i.id)])).toStrictEqual([
      ['2021-09-20', ['b', 'a', 'z']],
      ['2021-09-21', ['c']],
    ]);
  });

  it('shows one that began before the range on the range\'s first day', () => {
    const items = [
      { id: 'exhibition', startsAt: '2021-09-15T09:00:00+08:00' },
      { id: 'talk', startsAt: '2021-09-20T09:00:00+08:00' },
    ];
    expect(groupByDay(items, TZ, '2021-09-20').map((d) => [d.date, d.items.map((i) => i.id)])).toStrictEqual([['2021-09-20', ['exhibition', 'talk']]]);
  });

  it('gives no days for no activities', () => {
    expect(groupByDay([], TZ)).toStrictEqual([]);
  });
});

describe('Function: dayHeading / timeSpan / clockSpan', () => {
  it('writes a day Chinese first, English on switch', () => {
    expect(dayHeading('2021-09-20', 'zh-CN')).toBe('9月20日星期一');
    // ICU versions differ on English month abbreviations (Sep, Sept) and a comma after the weekday.
    expect(dayHeading('2021-09-20', 'en')).toMatch(/^Mon,? 20 Sept?$/);
  });

  it('writes a span within a day with one date, over days with both, in the zone', () => {
    expect(timeSpan('2021-09-20T06:00:00Z', '2021-09-20T08:00:00Z', TZ, 'zh-CN')).toBe('2021年9月20日星期一 14:00–16:00');
    expect(timeSpan('2021-09-20T14:00:00+08:00', '2021-09-21T10:00:00+08:00', TZ, 'en')).toMatch(/^Mon,? 20 Sept? 2021 14:00 to Tue,? 21 Sept? 2021 10:00$/);
    expect(timeSpan('x', '2021-09-21T10:00:00+08:00', TZ, 'en')).toBe('');
  });

  it('writes the clock alone under a day\'s heading, and the end\'s date when it ends on another day', () => {
    expect(clockSpan('2021-09-20T06:00:00Z', '2021-09-20T08:00:00Z', TZ, 'zh-CN')).toBe('14:00–16:00');
    expect(clockSpan('2021-09-22T14:00:00+08:00', '2021-09-23T10:00:00+08:00', TZ, 'zh-CN')).toBe('14:00 – 9月23日 10:00');
    expect(clockSpan('2021-09-22T14:00:00+08:00', '2021-09-23T10:00:00+08:00', TZ, 'en')).toMatch(/^14:00 – 23 Sept? 10:00$/);
  });
});
