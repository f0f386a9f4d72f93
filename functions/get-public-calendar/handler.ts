// (HTTP GET /v1/public/campaigns/{campaignId}/calendar.ics, no token) --> publicFeed --> (progress table: PUB#<c>#<county>; main table: campaign)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { publicCalendarDeps } from '../../shared/clients/public-deps';
import { loadConfig } from '../../shared/config';
import type { PublicEntry } from '../../shared/domain/public-activity';
import { apiHandler } from '../../shared/http/api-handler';
import { icalendar, type CalendarEvent } from '../../shared/http/icalendar';
import { publicAnswer } from '../../shared/http/public-cache';
import { pathParam } from '../../shared/http/request';
import { publicFeed } from '../../shared/use-cases/public-calendar';

const deps = publicCalendarDeps(loadConfig({ tables: ['main', 'progress'] }));

/** One activity as an event: the venue is its location; its description and online address, the description. */
const eventOf = (e: PublicEntry): CalendarEvent => ({
  uid: `${e.activityId}@sciday`,
  start: new Date(e.startsAt),
  end: new Date(e.endsAt),
  summary: e.title,
  ...(e.venue ? { location: `${e.venue.name}, ${e.venue.address}` } : {}),
  ...(e.description || e.onlineUrl ? { description: [e.description, e.onlineUrl && `线上参与 Online: ${e.onlineUrl}`].filter(Boolean).join('\n\n') } : {}),
  ...(e.onlineUrl ? { url: e.onlineUrl } : {}),
  sequence: e.version,
  lastModified: new Date(e.updatedAt),
});

const getPublicCalendarRoute = async (event: APIGatewayProxyEventV2) => {
  const county = event.queryStringParameters?.county;
  const { campaign, entries } = await publicFeed({ campaignId: pathParam(event, 'campaignId'), ...(county !== undefined ? { county } : {}) }, deps);
  const body = icalendar({ prodId: '-//SciDay//Public calendar//ZH', name: `${campaign.name.zh} · ${campaign.name.en}`, timeZone: campaign.timeZone, events: entries.map(eventOf) });
  return publicAnswer(event, body, 'text/calendar; charset=utf-8');
};

export const handler = apiHandler('get-public-calendar', getPublicCalendarRoute);
