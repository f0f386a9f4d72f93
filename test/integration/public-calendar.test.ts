// The citizens' calendar (issue 22, ADR 0044) on the shared runtime, through the gateway with no
// token: an activity registered, edited and withdrawn through the API appears, changes and
// disappears in the public list, the public activity and the iCalendar feed (kept from the stream
// by project-changes, so each step waits for it); a draft never appears; no public answer carries a
// field outside the allow-list. The withdrawal is the owner's alone.
import { DeleteCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import ICAL from 'ical.js';
import { buildPublicCalendar } from '../../shared/migrations/build-public-calendar';
import { PUBLIC_CACHE, PUBLIC_PHOTO_URL_SECONDS } from '../../shared/http/public-views';
import { keys } from '../../shared/repositories/keys';
import { DynamoDbPublicCalendar } from '../../shared/repositories/public-calendar-repository';
import { DynamoDbActivityRepository } from '../../shared/repositories/activity-repository';
import { DynamoDbMediaRepository } from '../../shared/repositories/media-repository';
import { DynamoDbOrganizationDirectory } from '../../shared/repositories/organization-repository';
import { DynamoDbCampaignReads } from '../../shared/repositories/campaign-repository';
import { CachedCampaignCatalog } from '../../shared/repositories/cached-campaign-catalog';
import { getPublicActivity, listPublicActivities, publicFeed } from '../../shared/use-cases/public-calendar';
import { client, completeActivity, tokenFor, type Client } from '../helpers/api';
import { clientsFor, eventually, runtimeInfo, uniqueId } from '../helpers/runtime';
import { sampleFile } from '../helpers/sample-files';

jest.setTimeout(120_000);

const info = runtimeInfo();
const url = info.url;
const { doc, ...others } = clientsFor(info);
const tables = { mainTable: info.resources.tables.main?.name ?? '', progressTable: info.resources.tables.progress?.name ?? '' };
const C = '2021-xinxiang';
const marker = uniqueId('pubcal');
const anyone = client(url);
let owner: Client;
let other: Client;
let reviewer: Client;

/** Every field a public activity may answer, nested ones by their path. */
const PUBLIC_FIELDS = new Set([
  'id', 'campaignId', 'title', 'description', 'kind', 'jointAction', 'contentThemes', 'contentThemes[]', 'format', 'startsAt', 'endsAt',
  'county', 'countyName', 'countyName.zh', 'countyName.en', 'organizationId', 'organizationName', 'organizationName.zh', 'organizationName.en',
  'venue', 'venue.name', 'venue.address', 'maxOnSite', 'onlineUrl', 'audiences', 'audiences[]', 'updatedAt',
]);
const DETAIL_FIELDS = new Set([...PUBLIC_FIELDS, 'results', 'results.photos', 'results.photos[]', 'results.photos[].mediaId', 'results.photos[].url', 'results.photos[].contentType', 'results.newsLinks', 'results.newsLinks[]']);
const ICS_PROPERTIES = new Set(['uid', 'dtstamp', 'dtstart', 'dtend', 'sequence', 'last-modified', 'summary', 'location', 'description', 'url']);

/** Every path of `value` (`a.b`, `list[]`, `list[].c`). */
function paths(value: unknown, at = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => [`${at}[]`, ...paths(v, `${at}[]`)]).filter((p, i, all) => all.indexOf(p) === i);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [at ? `${at}.${k}` : k, ...paths(v, at ? `${at}.${k}` : k)]);
  return [];
}
const outside = (value: unknown, allowed: ReadonlySet<string>) => paths(value).filter((p) => !allowed.has(p));

type PublicActivity = { id: string; title: string; startsAt: string; endsAt: string; venue?: { name: string } };
const list = (query: string) => anyone.get<{ items: PublicActivity[]; nextCursor: string | null }>(`/v1/public/campaigns/${C}/activities?${query}`);
const mine = async () => (await list(`q=${encodeURIComponent(marker)}`)).body.items;
const feed = async () => {
  const res = await fetch(`${url}/v1/public/campaigns/${C}/calendar.ics?county=hongqi`);
  const text = await res.text();
  return { res, text, events: new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent') };
};

afterAll(() => {
  doc.destroy();
  for (const c of Object.values(others)) c.destroy();
});

beforeAll(async () => {
  owner = client(url, await tokenFor(url, { sub: 'u-pub-owner', orgId: 'hongqi-kx', roles: ['organizer'] }));
  other = client(url, await tokenFor(url, { sub: 'u-pub-other', orgId: 'weibin-kx', roles: ['organizer'] }));
  reviewer = client(url, await tokenFor(url, { sub: 'u-pub-rev', orgId: 'city-kx', roles: ['reviewer'] }));
});

describe('the public calendar', () => {
  let activityId = '';
  let version = 0;

  it('never shows a draft', async () => {
    const body = { ...completeActivity(), title: `${marker} 科普讲座, 含逗号; 分号`, startsAt: '2021-09-18T09:00:00+08:00', endsAt: '2021-09-18T11:00:00+08:00' };
    const created = await owner.post<{ activityId: string; version: number }>(`/v1/campaigns/${C}/activities`, body);
    expect(created.status).toBe(201);
    activityId = created.body.activityId;
    version = created.body.version;
    // Give the stream time to carry the draft: it must still not be there.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await mine()).toEqual([]);
    expect((await anyone.get(`/v1/public/activities/${activityId}`)).status).toBe(404);
  });

  it('shows a registered activity to anyone, with public fields only, cacheable', async () => {
    const submitted = await owner.post<{ version: number }>(`/v1/activities/${activityId}/submit`, undefined, { 'if-match': `"${version}"` });
    expect(submitted.status).toBe(200);
    version = submitted.body.version;
    const items = await eventually(async () => ((await mine()).length === 1 ? mine() : undefined), 20_000, 'the registered activity in the public list');
    expect(items[0]).toMatchObject({ id: activityId, startsAt: '2021-09-18T09:00:00+08:00', county: 'hongqi', organizationId: 'hongqi-kx', countyName: { zh: expect.any(String) } });
    const res = await list(`q=${encodeURIComponent(marker)}&county=hongqi&from=2021-09-18&to=2021-09-18&mode=offline&jointAction=carbon&theme=green-development`);
    expect(res.body.items.map((i) => i.id)).toEqual([activityId]);
    expect(res.headers.get('cache-control')).toMatch(/public.*max-age=60.*s-maxage=300/);
    const etag = res.headers.get('etag') ?? '';
    expect((await anyone.get(`/v1/public/campaigns/${C}/activities?q=${encodeURIComponent(marker)}&county=hongqi&from=2021-09-18&to=2021-09-18&mode=offline&jointAction=carbon&theme=green-development`, { 'if-none-match': etag })).status).toBe(304);
    // Filters that exclude it.
    expect((await list(`q=${encodeURIComponent(marker)}&from=2021-09-19`)).body.items).toEqual([]);
    expect((await list(`q=${encodeURIComponent(marker)}&to=2021-09-17`)).body.items).toEqual([]);
    expect((await list(`q=${encodeURIComponent(marker)}&mode=online`)).body.items).toEqual([]);
    expect((await list(`q=${encodeURIComponent(marker)}&county=weibin`)).body.items).toEqual([]);
    expect((await list(`q=${encodeURIComponent(marker)}&jointAction=no-such-action`)).body.items).toEqual([]);
    expect((await list(`q=${encodeURIComponent(marker)}&theme=no-such-theme`)).body.items).toEqual([]);
    // API.md's `format`: the activity's format exactly (this one is offline).
    expect((await list(`q=${encodeURIComponent(marker)}&format=offline`)).body.items.map((i) => i.id)).toEqual([activityId]);
    expect((await list(`q=${encodeURIComponent(marker)}&format=online`)).body.items).toEqual([]);
    expect((await list(`q=${encodeURIComponent(marker)}&format=hybrid`)).body.items).toEqual([]);
    // Width- and case-insensitive search over the venue.
    expect((await list(`q=${encodeURIComponent(marker.toUpperCase())}`)).body.items).toHaveLength(1);
    expect((await list(`q=${encodeURIComponent('ｐｕｂｃａｌ')}&county=hongqi&from=2021-09-18&to=2021-09-18`)).body.items.map((i) => i.id)).toContain(activityId);

    const detail = await anyone.get<Record<string, unknown>>(`/v1/public/activities/${activityId}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ id: activityId, results: { photos: [], newsLinks: [] } });
    expect(outside(detail.body, DETAIL_FIELDS)).toEqual([]);
    expect(outside(items, new Set([...PUBLIC_FIELDS].map((p) => `[].${p}`).concat('[]')))).toEqual([]);
    expect(JSON.stringify(detail.body)).not.toMatch(/王老师|0373-5820656|epidemicPlan|volunteers|expectedParticipants|flags|updatedBy/);

    // The share link (ADR 0045): the preview for chats, then the app's page (same origin here).
    const share = await fetch(`${url}/v1/public/activities/${activityId}/preview`);
    expect(share.status).toBe(200);
    expect(share.headers.get('content-type')).toMatch(/^text\/html/);
    expect(share.headers.get('cache-control')).toMatch(/^public/);
    const page = await share.text();
    expect(page).toContain(`<meta property="og:title" content="${marker} 科普讲座, 含逗号; 分号 · 全国科普日活动" />`);
    expect(page).toContain(`<meta name="description" content="2021年9月18日星期六 09:00–11:00 · `);
    expect(page).toContain(`<meta http-equiv="refresh" content="0;url=/public/activities/${activityId}" />`);
    expect(page).not.toMatch(/王老师|0373-5820656/);

    const { res: ics, text, events } = await feed();
    expect(ics.headers.get('content-type')).toMatch(/^text\/calendar/);
    expect(text.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/);
    // UTC instants, with the campaign's zone as the hint calendar apps read.
    expect(new ICAL.Component(ICAL.parse(text)).getFirstPropertyValue('x-wr-timezone')).toBe('Asia/Shanghai');
    const event = events.find((e) => e.getFirstPropertyValue('uid') === `${activityId}@sciday`);
    expect(event).toBeDefined();
    expect(String(event?.getFirstPropertyValue('summary'))).toBe(`${marker} 科普讲座, 含逗号; 分号`);
    expect((event?.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString()).toBe('2021-09-18T01:00:00.000Z');
    expect((event?.getFirstPropertyValue('dtend') as ICAL.Time).toJSDate().toISOString()).toBe('2021-09-18T03:00:00.000Z');
    expect(String(event?.getFirstPropertyValue('location'))).toContain('红旗区新时代文明实践中心');
    for (const e of events) expect(e.getAllProperties().map((p) => p.name).filter((n) => !ICS_PROPERTIES.has(n))).toEqual([]);
  });

  it('shows accepted photos only, with URLs that outlive any cached copy of the answer', async () => {
    // An activity of its own: an accepted photo completes it, and the next steps edit the first one.
    const created = await owner.post<{ activityId: string }>(`/v1/campaigns/${C}/activities`, { ...completeActivity(), title: `${uniqueId('pubphoto')} 讲座` });
    expect(created.status).toBe(201);
    const activityId = created.body.activityId;
    expect((await owner.post(`/v1/activities/${activityId}/submit`)).status).toBe(200);
    const grant = async () => {
      const res = await owner.post<{ mediaId: string; url: string; fields: Record<string, string> }>(`/v1/activities/${activityId}/uploads`, { kind: 'photo', fileName: '现场.jpg', contentType: 'image/jpeg', size: 1234 });
      expect(res.status).toBe(201);
      return res.body;
    };
    const accepted = await grant();
    const pending = await grant(); // granted, never uploaded
    const form = new FormData();
    for (const [k, v] of Object.entries(accepted.fields)) form.append(k, v);
    form.append('file', new Blob([sampleFile('jpeg', 1234)], { type: 'image/jpeg' }), 'photo.jpg');
    expect((await fetch(accepted.url, { method: 'POST', body: form, headers: { origin: 'http://localhost:3000' } })).status).toBeLessThan(300);
    type Detail = { results: { photos: Array<{ mediaId: string; url: string; contentType: string }> } };
    const detail = await eventually(async () => {
      const res = await anyone.get<Detail>(`/v1/public/activities/${activityId}`);
      return res.body.results.photos.length > 0 ? res : undefined;
    }, 20_000, 'the accepted photo on the public page');
    expect(detail.body.results.photos.map((p) => p.mediaId)).toEqual([accepted.mediaId]);
    expect(detail.body.results.photos.map((p) => p.mediaId)).not.toContain(pending.mediaId);
    expect(outside(detail.body, DETAIL_FIELDS)).toEqual([]);
    const photo = detail.body.results.photos[0]!;
    // A CDN may serve this answer s-maxage, then stale for stale-while-revalidate: the URL outlives both.
    const validFor = Number(new URL(photo.url).searchParams.get('X-Amz-Expires'));
    expect(validFor).toBe(PUBLIC_PHOTO_URL_SECONDS);
    expect(validFor).toBeGreaterThan(PUBLIC_CACHE.sharedMaxAge + PUBLIC_CACHE.staleWhileRevalidate);
    expect(detail.headers.get('cache-control')).toContain(`s-maxage=${PUBLIC_CACHE.sharedMaxAge}`);
    const image = await fetch(photo.url);
    expect(image.status).toBe(200);
    expect(photo.contentType).toBe('image/jpeg');
  });

  it('pages the list across counties, and feeds the whole campaign with the online link', async () => {
    const tag = uniqueId('pubpage');
    const weibin = client(url, await tokenFor(url, { sub: 'u-pub-page', orgId: 'weibin-kx', roles: ['organizer'] }));
    const register = async (who: Client, county: string, day: string, extra: Record<string, unknown> = {}) => {
      const created = await who.post<{ activityId: string }>(`/v1/campaigns/${C}/activities`, { ...completeActivity(), title: `${tag} ${county} ${day}`, county, startsAt: `2021-09-${day}T09:00:00+08:00`, endsAt: `2021-09-${day}T10:00:00+08:00`, ...extra });
      expect(created.status).toBe(201);
      expect((await who.post(`/v1/activities/${created.body.activityId}/submit`)).status).toBe(200);
      return created.body.activityId;
    };
    const ids = [
      await register(owner, 'hongqi', '17'),
      await register(weibin, 'weibin', '18', { format: 'hybrid', onlineUrl: 'https://live.example.cn/kepu?room=7' }),
      await register(owner, 'hongqi', '19'),
    ];
    await eventually(async () => ((await list(`q=${encodeURIComponent(tag)}`)).body.items.length === 3 ? true : undefined), 20_000, 'three registered activities');
    // One at a time, by start, across both counties' partitions.
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof list>> = await list(`q=${encodeURIComponent(tag)}&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(1);
      walked.push(...page.body.items.map((i) => i.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(walked).toEqual(ids);
    expect((await list(`q=${encodeURIComponent(tag)}&format=hybrid`)).body.items.map((i) => i.id)).toEqual([ids[1]]);
    expect((await list(`q=${encodeURIComponent(tag)}&mode=online`)).body.items.map((i) => i.id)).toEqual([ids[1]]);
    expect((await list(`q=${encodeURIComponent(tag)}&mode=offline`)).body.items.map((i) => i.id)).toEqual(ids);
    // The campaign's feed (no county) has all three; the hybrid one carries its online link.
    const text = await (await fetch(`${url}/v1/public/campaigns/${C}/calendar.ics`)).text();
    const events = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent');
    const ours = events.filter((e) => ids.includes(String(e.getFirstPropertyValue('uid')).replace('@sciday', '')));
    expect(ours).toHaveLength(3);
    const hybrid = ours.find((e) => e.getFirstPropertyValue('uid') === `${ids[1]}@sciday`);
    expect(String(hybrid?.getFirstPropertyValue('url'))).toBe('https://live.example.cn/kepu?room=7');
    expect(String(hybrid?.getFirstPropertyValue('description'))).toContain('https://live.example.cn/kepu?room=7');
    expect((hybrid?.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString()).toBe('2021-09-18T01:00:00.000Z');
  });

  it('follows an edit', async () => {
    const before = (await feed()).events.find((e) => e.getFirstPropertyValue('uid') === `${activityId}@sciday`);
    const changed = await owner.patch<{ version: number }>(`/v1/activities/${activityId}`, { title: `${marker} 改期讲座`, startsAt: '2021-09-19T09:00:00+08:00', endsAt: '2021-09-19T10:00:00+08:00', county: 'weibin' }, { 'if-match': `"${version}"` });
    expect(changed.status).toBe(200);
    version = changed.body.version;
    const items = await eventually(async () => {
      const found = await mine();
      return found.length === 1 && found[0]?.title === `${marker} 改期讲座` ? found : undefined;
    }, 20_000, 'the edit in the public list');
    expect(items[0]).toMatchObject({ startsAt: '2021-09-19T09:00:00+08:00', county: 'weibin' });
    // Moved out of hongqi and of the 18th.
    expect((await list(`q=${encodeURIComponent(marker)}&county=hongqi`)).body.items).toEqual([]);
    expect((await list(`q=${encodeURIComponent(marker)}&to=2021-09-18`)).body.items).toEqual([]);
    expect((await feed()).events.some((e) => e.getFirstPropertyValue('uid') === `${activityId}@sciday`)).toBe(false);
    const res = await fetch(`${url}/v1/public/campaigns/${C}/calendar.ics?county=weibin`);
    const after = new ICAL.Component(ICAL.parse(await res.text())).getAllSubcomponents('vevent').find((e) => e.getFirstPropertyValue('uid') === `${activityId}@sciday`);
    expect(Number(after?.getFirstPropertyValue('sequence'))).toBeGreaterThan(Number(before?.getFirstPropertyValue('sequence')));
    expect(String(after?.getFirstPropertyValue('summary'))).toBe(`${marker} 改期讲座`);
  });

  it('lets only the owner withdraw, and the activity leaves', async () => {
    // Another unit's organizer: refused as every change of another unit's activity is (404, ids reveal nothing).
    expect((await other.post(`/v1/activities/${activityId}/withdraw`, {}, { 'if-match': `"${version}"` })).status).toBe(404);
    expect((await reviewer.post(`/v1/activities/${activityId}/withdraw`, {}, { 'if-match': `"${version}"` })).status).toBe(403);
    expect((await owner.post(`/v1/activities/${activityId}/withdraw`, {})).status).toBe(428);
    expect((await owner.post(`/v1/activities/${activityId}/withdraw`, {}, { 'if-match': `"${version - 1}"` })).status).toBe(412);
    const withdrawn = await owner.post<{ status: string; withdrawnReason: string; version: number }>(`/v1/activities/${activityId}/withdraw`, { reason: '场地临时不可用' }, { 'if-match': `"${version}"` });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', withdrawnReason: '场地临时不可用', version: version + 1 });
    expect((await owner.post(`/v1/activities/${activityId}/withdraw`, {}, { 'if-match': `"${version + 1}"` })).status).toBe(409);
    expect((await owner.patch(`/v1/activities/${activityId}`, { title: '再改' }, { 'if-match': `"${version + 1}"` })).status).toBe(409);
    await eventually(async () => ((await mine()).length === 0 ? true : undefined), 20_000, 'the withdrawn activity to leave the list');
    expect((await anyone.get(`/v1/public/activities/${activityId}`)).status).toBe(404);
    // A share link already in a chat still lands on the page (which says it is gone), with a generic preview.
    const share = await (await fetch(`${url}/v1/public/activities/${activityId}/preview`)).text();
    expect(share).toContain('<title>全国科普日活动</title>');
    expect(share).not.toContain(marker);
    expect((await fetch(`${url}/v1/public/activities/a%22b/preview`)).status).toBe(404);
    const res = await fetch(`${url}/v1/public/campaigns/${C}/calendar.ics?county=weibin`);
    expect(await res.text()).not.toContain(activityId);
    // The owner still reads it, withdrawn; its trail names the withdrawal.
    expect((await owner.get<{ status: string }>(`/v1/activities/${activityId}`)).body.status).toBe('withdrawn');
  });

  it('answers 404 for a campaign that is not public, and 400 for bad filters', async () => {
    expect((await list('from=2021-9-1')).status).toBe(400);
    expect((await list('county=nowhere')).status).toBe(400);
    expect((await list('mode=both')).status).toBe(400);
    expect((await list('format=both')).status).toBe(400);
    expect((await list('from=2021-09-20&to=2021-09-19')).status).toBe(400);
    expect((await anyone.get('/v1/public/campaigns/1999-nowhere/activities')).status).toBe(404);
    expect((await anyone.get(`/v1/public/campaigns/${C}/activities?cursor=forged.cursor`)).status).toBe(400);
  });

  it('never reads a campaign’s hot partitions: the calendar’s per county, the activity’s, the campaign definitions’', async () => {
    // Every request the public use cases send, through a recording client (DynamoDB Local behind it).
    const sent: Array<{ command: string; input: Record<string, unknown> }> = [];
    const recording = { send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      sent.push({ command: command.constructor.name, input: command.input });
      return doc.send(command as never);
    } } as unknown as DynamoDBDocumentClient;
    const main = { client: recording, tableName: tables.mainTable };
    const campaigns = new CachedCampaignCatalog(new DynamoDbCampaignReads(main), { ttlMs: 60_000 });
    const deps = { campaigns, organizations: new DynamoDbOrganizationDirectory(main), calendar: new DynamoDbPublicCalendar({ client: recording, tableName: tables.progressTable }) };
    const created = await owner.post<{ activityId: string }>(`/v1/campaigns/${C}/activities`, { ...completeActivity(), title: `${uniqueId('pubhot')} 讲座` });
    expect((await owner.post(`/v1/activities/${created.body.activityId}/submit`)).status).toBe(200);
    // Act: a list (every county), a county's list, the feed and one activity.
    await listPublicActivities({ campaignId: C, query: {}, limit: 20 }, deps);
    await listPublicActivities({ campaignId: C, query: { county: 'hongqi', q: '讲座' }, limit: 20 }, deps);
    await publicFeed({ campaignId: C, county: 'hongqi' }, deps);
    await getPublicActivity({ activityId: created.body.activityId, photoUrlSeconds: 60 }, { ...deps, activities: new DynamoDbActivityRepository(main), media: new DynamoDbMediaRepository(main), signer: { presignGet: async (key) => key } });
    // Assess: Query and Get only (no Scan, no index), and only these partitions (CAMPAIGNS: the
    // definitions, which the functions' catalog reads once a minute; CAMP#<c>#ORGS: units added at run time).
    expect(new Set(sent.map((s) => s.command))).toEqual(new Set(['GetCommand', 'QueryCommand']));
    expect(sent.filter((s) => s.input.IndexName !== undefined)).toEqual([]);
    const partitions = new Set(sent.map((s) => String((s.input.Key as { pk?: string } | undefined)?.pk ?? (s.input.ExpressionAttributeValues as Record<string, unknown>)[':pk'])));
    const allowed = [new RegExp(`^PUB#${C}#[a-z-]+$`), /^ACT#[0-9a-f-]+$/, /^CAMPAIGNS$/, new RegExp(`^CAMP#${C}#ORGS$`)];
    expect([...partitions].filter((pk) => !allowed.some((re) => re.test(pk)))).toEqual([]);
    expect([...partitions].some((pk) => pk.startsWith(`PUB#${C}#`))).toBe(true);
  });

  it('examines a bounded number of entries per request, and pages on where it stopped (a search that matches little)', async () => {
    // 60 entries over two counties of a campaign of the test's own, 2 of them matching `q`.
    const camp = uniqueId('budget');
    const needle = uniqueId('needle');
    const puts = Array.from({ length: 60 }, (_, i) => {
      const county = i % 2 === 0 ? 'c1' : 'c2';
      const startsAt = new Date(Date.UTC(2021, 8, 1, 0, i)).toISOString();
      const activityId = `${camp}-${String(i).padStart(2, '0')}`;
      const title = i === 7 || i === 44 ? `${needle} 讲座` : '其他活动';
      return { ...keys.publicEntry(camp, county, startsAt, activityId), entity: 'PublicEntry', activityId, campaignId: camp, organizationId: 'hongqi-kx', title, kind: 'joint-action', contentThemes: [], format: 'offline', startsAt, endsAt: startsAt, county, updatedAt: startsAt, version: 1 };
    });
    for (const Item of puts) await doc.send(new PutCommand({ TableName: tables.progressTable, Item }));
    let examined = 0;
    const counting = { send: async (command: QueryCommand) => { const answer = await doc.send(command); examined += answer.Items?.length ?? 0; return answer; } } as unknown as DynamoDBDocumentClient;
    const calendar = new DynamoDbPublicCalendar({ client: counting, tableName: tables.progressTable, readBudget: 10 });
    // Act: walk the pages.
    const found: string[] = [];
    const perRequest: number[] = [];
    let cursor: string | undefined;
    for (let request = 0; request < 20; request += 1) {
      examined = 0;
      const page = await calendar.page({ campaignId: camp, counties: ['c1', 'c2'], filters: { q: needle }, limit: 5, ...(cursor ? { cursor } : {}) });
      perRequest.push(examined);
      found.push(...page.items.map((e) => e.activityId));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    // Assess: both found, in order, none twice; no request read much past its budget (a page of reads per county).
    expect(found).toEqual([`${camp}-07`, `${camp}-44`]);
    expect(Math.max(...perRequest)).toBeLessThanOrEqual(10);
    expect(perRequest.length).toBeGreaterThan(3);
    // Without a budget to speak of, one request reads all 60.
    examined = 0;
    const whole = await new DynamoDbPublicCalendar({ client: counting, tableName: tables.progressTable, readBudget: 1_000 }).page({ campaignId: camp, counties: ['c1', 'c2'], filters: { q: needle }, limit: 5 });
    expect(whole.items.map((e) => e.activityId)).toEqual([`${camp}-07`, `${camp}-44`]);
    expect(examined).toBe(60);
  });

  it('is rebuilt from the table (migration 0010): a lost entry comes back, one no activity stands for goes', async () => {
    const again = uniqueId('pubmig');
    const created = await owner.post<{ activityId: string }>(`/v1/campaigns/${C}/activities`, { ...completeActivity(), title: `${again} 讲座` });
    const id = created.body.activityId;
    expect((await owner.post(`/v1/activities/${id}/submit`)).status).toBe(200);
    const titled = async () => (await list(`q=${encodeURIComponent(again)}`)).body.items.map((i) => i.title).sort();
    await eventually(async () => ((await titled()).length === 1 ? true : undefined), 20_000, 'the registered activity');
    const stored = (await list(`q=${encodeURIComponent(again)}`)).body.items[0]!;
    const slot = keys.publicEntry(C, 'hongqi', new Date(stored.startsAt).toISOString(), id);
    await doc.send(new DeleteCommand({ TableName: tables.progressTable, Key: slot }));
    const stale = keys.publicEntry(C, 'hongqi', '2021-09-20T01:00:00.000Z', `${again}-gone`);
    await doc.send(new PutCommand({ TableName: tables.progressTable, Item: { ...stale, entity: 'PublicEntry', activityId: `${again}-gone`, campaignId: C, organizationId: 'hongqi-kx', title: `${again} 幽灵`, kind: 'joint-action', contentThemes: [], format: 'offline', startsAt: '2021-09-20T01:00:00.000Z', endsAt: '2021-09-20T02:00:00.000Z', county: 'hongqi', updatedAt: '2021-09-01T00:00:00.000Z', version: 1 } }));
    expect(await titled()).toEqual([`${again} 幽灵`]);

    const report = await buildPublicCalendar({ client: doc, ...tables });
    expect(report.removed).toBeGreaterThanOrEqual(1);
    expect(await titled()).toEqual([`${again} 讲座`]);
    expect((await buildPublicCalendar({ client: doc, ...tables })).removed).toBe(0);
  });
});
