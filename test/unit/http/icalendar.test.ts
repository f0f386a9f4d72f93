// The iCalendar writer of the public feed (ADR 0044): RFC 5545 escaping, folding and line ends,
// read back by ical.js.
import ICAL from 'ical.js';
import { escapeText, foldLine, icalendar, utcDateTime, type CalendarEvent } from '../../../shared/http/icalendar';
import { publicEntryOf, matchesPublicFilters } from '../../../shared/domain/public-activity';

const event = (over: Partial<CalendarEvent> = {}): CalendarEvent => ({
  uid: 'a1@sciday',
  start: new Date('2021-09-18T01:00:00Z'),
  end: new Date('2021-09-18T03:00:00Z'),
  summary: '科普讲座',
  sequence: 3,
  lastModified: new Date('2021-09-10T02:03:04.567Z'),
  ...over,
});

describe('Function: escapeText', () => {
  it('escapes backslash, semicolon, comma and every kind of line break', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf\rg')).toBe('a\\\\b\\;c\\,d\\ne\\nf\\ng');
    expect(escapeText('冒号: 不转义')).toBe('冒号: 不转义');
  });
});

describe('Function: foldLine', () => {
  it('keeps a line of 75 octets whole and folds longer ones at 75 octets, a space starting each continuation', () => {
    expect(foldLine('x'.repeat(75))).toBe('x'.repeat(75));
    const folded = foldLine('x'.repeat(200));
    const lines = folded.split('\r\n');
    expect(lines.map((l) => Buffer.byteLength(l))).toEqual([75, 75, 52]);
    expect(lines.slice(1).every((l) => l.startsWith(' '))).toBe(true);
    expect(lines.map((l, i) => (i === 0 ? l : l.slice(1))).join('')).toBe('x'.repeat(200));
  });

  it('never splits a character (3 octets each in UTF-8)', () => {
    const text = `SUMMARY:${'科普日'.repeat(20)}`;
    const lines = foldLine(text).split('\r\n');
    expect(lines.every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
    expect(lines.map((l, i) => (i === 0 ? l : l.slice(1))).join('')).toBe(text);
    expect(lines.join('')).not.toContain('\uFFFD');
  });
});

describe('Function: icalendar', () => {
  it('writes CRLF lines of at most 75 octets, UTC instants, and what ical.js reads back exactly', () => {
    const summary = '讲座, 含逗号; 分号 \\ 反斜杠\n第二行' + '很长的标题'.repeat(10);
    const text = icalendar({ prodId: '-//SciDay//Test//ZH', name: '2021 新乡', events: [event({ summary, location: '红旗区, 人民路 1 号', description: '线上: https://example.org/live', url: 'https://example.org/live' })] });
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(text.split('\r\n').every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
    expect(text).toContain('DTSTART:20210918T010000Z\r\n');
    const vevent = new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent');
    expect(vevent?.getFirstPropertyValue('summary')).toBe(summary);
    expect(vevent?.getFirstPropertyValue('location')).toBe('红旗区, 人民路 1 号');
    expect(vevent?.getFirstPropertyValue('uid')).toBe('a1@sciday');
    expect(vevent?.getFirstPropertyValue('sequence')).toBe(3);
    expect((vevent?.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString()).toBe('2021-09-18T01:00:00.000Z');
    expect((vevent?.getFirstPropertyValue('dtend') as ICAL.Time).toJSDate().toISOString()).toBe('2021-09-18T03:00:00.000Z');
  });

  it('writes an instant without its milliseconds', () => {
    expect(utcDateTime(new Date('2021-09-10T02:03:04.567Z'))).toBe('20210910T020304Z');
  });
});

describe('Function: publicEntryOf', () => {
  const item = {
    entity: 'Activity', activityId: 'a1', campaignId: 'c', organizationId: 'o', status: 'registered', version: 2, title: 'T',
    startsAt: '2021-09-18T01:00:00.000Z', endsAt: '2021-09-18T03:00:00.000Z', county: 'hongqi', updatedAt: '2021-09-01T00:00:00.000Z',
    kind: 'joint-action', format: 'hybrid', contentThemes: ['x'], venue: { name: 'Ｖｅｎｕｅ 中心', address: 'Road 1' },
    contact: { name: '王', phone: '1' }, epidemicPlan: 'p', volunteers: { count: 1, hours: 1 }, expectedParticipants: 9, openFlags: 2, updatedBy: 'u', createToken: 't',
  };

  it('keeps only the allow-listed fields of a published activity', () => {
    expect(Object.keys(publicEntryOf(item) ?? {}).sort()).toEqual(
      ['activityId', 'campaignId', 'contentThemes', 'county', 'endsAt', 'format', 'kind', 'organizationId', 'startsAt', 'title', 'updatedAt', 'venue', 'version'].sort(),
    );
  });

  it('has none for a draft or a withdrawn activity', () => {
    expect(publicEntryOf({ ...item, status: 'draft' })).toBeUndefined();
    expect(publicEntryOf({ ...item, status: 'withdrawn' })).toBeUndefined();
    expect(publicEntryOf({ ...item, status: 'completed' })).toBeDefined();
  });

  it('matches a hybrid one online and offline, and text whatever its width or case', () => {
    const entry = publicEntryOf(item)!;
    expect(matchesPublicFilters(entry, { mode: 'online' })).toBe(true);
    expect(matchesPublicFilters(entry, { mode: 'offline' })).toBe(true);
    // `format` (API.md) is the format exactly: a hybrid one is neither online nor offline there.
    expect(matchesPublicFilters(entry, { format: 'hybrid' })).toBe(true);
    expect(matchesPublicFilters(entry, { format: 'online' })).toBe(false);
    expect(matchesPublicFilters(entry, { format: 'offline' })).toBe(false);
    expect(matchesPublicFilters(entry, { jointAction: 'another' })).toBe(false);
    expect(matchesPublicFilters(entry, { theme: 'another' })).toBe(false);
    expect(matchesPublicFilters(entry, { q: 'venue' })).toBe(true);
    expect(matchesPublicFilters(entry, { q: 'VENUE 中心' })).toBe(true);
    expect(matchesPublicFilters(entry, { q: 'nowhere' })).toBe(false);
    expect(matchesPublicFilters(entry, { from: new Date('2021-09-18T02:00:00Z'), to: new Date('2021-09-18T02:30:00Z') })).toBe(true);
    expect(matchesPublicFilters(entry, { from: new Date('2021-09-18T03:00:01Z') })).toBe(false);
  });
});
