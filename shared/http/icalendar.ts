/**
 * An iCalendar (RFC 5545) writer for the public calendar feed (ADR 0044): text values escaped
 * (§3.3.11), content lines folded at 75 octets without splitting a character (§3.1), CRLF line
 * ends. Instants are written in UTC (`Z`, §3.3.5 form 2), so no VTIMEZONE is needed and every
 * client places them right whatever its own zone.
 */

/** One event of the feed. */
export interface CalendarEvent {
  /** Stable per activity: a client replaces the event it has on each fetch. */
  readonly uid: string;
  readonly start: Date;
  readonly end: Date;
  readonly summary: string;
  readonly location?: string;
  readonly description?: string;
  readonly url?: string;
  /** Grows with every change of the activity (its version). */
  readonly sequence: number;
  readonly lastModified: Date;
}

/** A TEXT value: backslash, semicolon, comma and line breaks escaped. */
export const escapeText = (value: string): string =>
  value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');

/** `20210918T010000Z`. */
export const utcDateTime = (at: Date): string => at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');

const UTF8 = new TextEncoder();

/** A content line folded: at most 75 octets a line, each continuation starting with one space. */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = UTF8.encode(ch).length;
    // The first line holds 75 octets; each continuation 74 after its leading space.
    const room = parts.length === 0 ? 75 : 74;
    if (octets + size > room) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/**
 * The feed: a VCALENDAR of `events`, named `name`, every line folded and ended with CRLF. Instants
 * are UTC; `timeZone` (the campaign's, an IANA name) is the de-facto `X-WR-TIMEZONE` hint with which
 * calendar apps show the feed in the campaign's time rather than the reader's.
 */
export function icalendar(input: { prodId: string; name: string; timeZone?: string; events: readonly CalendarEvent[] }): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${input.prodId}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(input.name)}`,
    ...(input.timeZone ? [`X-WR-TIMEZONE:${escapeText(input.timeZone)}`] : []),
  ];
  for (const e of input.events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      // The feed is the organizer's copy as last changed: a stable stamp, so an unchanged feed keeps its ETag.
      `DTSTAMP:${utcDateTime(e.lastModified)}`,
      `DTSTART:${utcDateTime(e.start)}`,
      `DTEND:${utcDateTime(e.end)}`,
      `SEQUENCE:${e.sequence}`,
      `LAST-MODIFIED:${utcDateTime(e.lastModified)}`,
      `SUMMARY:${escapeText(e.summary)}`,
      ...(e.location ? [`LOCATION:${escapeText(e.location)}`] : []),
      ...(e.description ? [`DESCRIPTION:${escapeText(e.description)}`] : []),
      ...(e.url ? [`URL:${e.url}`] : []),
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
