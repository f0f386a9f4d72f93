import fc from 'fast-check';
import { endOfLocalDay, formatInstant, localDate, localYear, offsetMinutes, parseInstant, zonedInstant } from '../../../shared/domain/time';

describe('Module: time', () => {
  it('writes instants in Beijing time with +08:00, milliseconds only when present', () => {
    expect(formatInstant(new Date('2021-09-24T15:59:59.999Z'), 'Asia/Shanghai')).toBe('2021-09-24T23:59:59.999+08:00');
    expect(formatInstant(new Date('2021-09-24T16:00:00Z'), 'Asia/Shanghai')).toBe('2021-09-25T00:00:00+08:00');
    expect(formatInstant(new Date('2030-01-15T12:00:00Z'), 'America/Sao_Paulo')).toBe('2030-01-15T09:00:00-03:00');
  });

  it('writes the wall clock the zone’s own calendar shows, across offset changes (property)', () => {
    // The reference: the zone's clock read from Intl for every instant (what formatInstant reads once per quarter hour).
    const reference = (instant: Date, zone: string) => {
      const parts = Object.fromEntries(
        new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
          .formatToParts(instant)
          .map((p) => [p.type, p.value]),
      );
      return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
    };
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.constantFrom('Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/Sao_Paulo', 'UTC'),
        (instant, zone) => {
          expect(formatInstant(instant, zone).slice(0, 19)).toBe(reference(instant, zone));
        },
      ),
      { numRuns: 2000 },
    );
    // Either side of a change: New York's 2021 spring-forward (02:00 EST → 03:00 EDT).
    expect(formatInstant(new Date('2021-03-14T06:59:59.999Z'), 'America/New_York')).toBe('2021-03-14T01:59:59.999-05:00');
    expect(formatInstant(new Date('2021-03-14T07:00:00Z'), 'America/New_York')).toBe('2021-03-14T03:00:00-04:00');
  });

  it('finds the local date and year of an instant', () => {
    expect(localDate(new Date('2021-12-31T16:00:00Z'), 'Asia/Shanghai')).toBe('2022-01-01');
    expect(localYear(new Date('2021-12-31T15:59:59.999Z'), 'Asia/Shanghai')).toBe(2021);
  });

  it('parses only ISO instants with an offset, and only real dates', () => {
    expect(parseInstant('2021-09-24T23:59:59+08:00')?.toISOString()).toBe('2021-09-24T15:59:59.000Z');
    expect(parseInstant('2021-09-24T23:59:59.999Z')?.toISOString()).toBe('2021-09-24T23:59:59.999Z');
    for (const bad of ['2021-09-24T23:59:59', '2021-09-24', '2021-02-30T00:00:00+08:00', '2021-13-01T00:00:00Z', '2021-09-24T24:00:00Z', 'tomorrow']) {
      expect(parseInstant(bad)).toBeUndefined();
    }
  });

  it('round-trips any instant through its zoned rendering (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.constantFrom('Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'UTC'),
        (instant, zone) => {
          const text = formatInstant(instant, zone);
          expect(parseInstant(text)?.getTime()).toBe(instant.getTime());
          expect(Math.abs(offsetMinutes(instant, zone)) % 15).toBe(0);
        },
      ),
    );
  });

  it('puts the end of a local day one millisecond before the next local midnight (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-30T00:00:00Z'), noInvalidDate: true }), fc.constantFrom('Asia/Shanghai', 'Europe/Berlin', 'America/New_York'), (d, zone) => {
        const date = localDate(d, zone);
        const end = endOfLocalDay(date, zone);
        expect(localDate(end, zone)).toBe(date);
        expect(localDate(new Date(end.getTime() + 1), zone)).not.toBe(date);
        expect(zonedInstant(localDate(new Date(end.getTime() + 1), zone), zone).getTime()).toBe(end.getTime() + 1);
      }),
    );
  });
});
