/** The contract's operations: the citizens' calendar (ADR 0044), for anyone, no token. */
import * as z from '../../../domain/zod';
import type { OperationTable } from '../operation-spec';
import { PUBLIC_CACHE_CONTROL } from '../../public-views';

const DAY = () => z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/));

export const PUBLIC_OPERATIONS = {
  'GET /v1/public/campaigns/{campaignId}/activities': {
    summary: { zh: '公众活动日历', en: 'The public calendar of activities' },
    tags: ['Public'],
    roles: 'anyone',
    who: 'anyone',
    description: 'Registered and completed activities (never drafts nor withdrawn ones), by `startsAt`, public fields only. Kept from the stream: seconds behind. `If-None-Match`: 304.',
    paged: true,
    query: {
      county: { schema: () => z.string(), description: 'A county of the campaign.' },
      from: { schema: DAY, description: 'Overlapping this day or later (local date).' },
      to: { schema: DAY, description: 'Overlapping this day or earlier (local date).' },
      jointAction: { schema: () => z.string(), description: 'A joint action.' },
      theme: { schema: () => z.string(), description: 'A content theme.' },
      format: { schema: () => z.enum(['offline', 'online', 'hybrid']), description: 'The activity’s format, exactly (as on the units’ list).' },
      mode: { schema: () => z.enum(['online', 'offline']), description: 'How one can take part: hybrid matches both.' },
      q: { schema: () => z.string().check(z.maxLength(100)), description: 'In the title or venue.' },
    },
    response: { status: 200, description: 'One page of published activities.', schema: 'PublicActivityPage', etag: true, cacheControl: PUBLIC_CACHE_CONTROL },
  },
  'GET /v1/public/activities/{activityId}': {
    summary: { zh: '公众查看活动', en: 'A published activity' },
    tags: ['Public'],
    roles: 'anyone',
    who: 'anyone',
    description: 'Drafts and withdrawn ones: 404.',
    response: { status: 200, description: 'Public fields, accepted photos, news links.', schema: 'PublicActivityDetail', etag: true, cacheControl: PUBLIC_CACHE_CONTROL },
  },
  'GET /v1/public/activities/{activityId}/preview': {
    summary: { zh: '活动分享链接', en: 'An activity’s share link' },
    tags: ['Public'],
    roles: 'anyone',
    who: 'anyone',
    description:
      'For chats: a page with the activity’s title, description and Open Graph tags that sends a browser on to its page in the web app (`og:url`). An activity not public (withdrawn) gets a generic preview and the same page.',
    response: { status: 200, description: 'HTML.', schema: 'object', mediaType: 'text/html', etag: true, cacheControl: PUBLIC_CACHE_CONTROL },
  },
  'GET /v1/public/campaigns/{campaignId}/calendar.ics': {
    summary: { zh: '活动日历订阅（iCalendar）', en: 'The calendar feed (iCalendar)' },
    tags: ['Public'],
    roles: 'anyone',
    who: 'anyone',
    description: 'RFC 5545, the first 5,000 by start.',
    query: { county: { schema: () => z.string(), description: 'A county of the campaign.' } },
    response: { status: 200, description: 'iCalendar.', schema: 'object', mediaType: 'text/calendar', etag: true, cacheControl: PUBLIC_CACHE_CONTROL },
  },
} as const satisfies OperationTable;
