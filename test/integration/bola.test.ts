// Every protected route of the topology, called by an organizer of ANOTHER unit against
// hongqi-kx's data: nothing of hongqi-kx is read or changed, and another unit's resource
// answers exactly like a missing one. A route added to the topology without a row here
// fails the first test.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { httpRoutes, topology } from '../../infra/topology';
import { PRIVACY_NOTICE } from '../../shared/domain/privacy-notice';
import { keys } from '../../shared/repositories/keys';
import { spawnRuntime } from '../helpers/global-setup';
import { stopRuntime } from '../helpers/private-runtime';
import { clientsFor, runtimeInfo } from '../helpers/runtime';
import { client, completeActivity, tokenFor, type ApiResponse, type Client } from '../helpers/api';

const dataDir = mkdtempSync(join(tmpdir(), 'sciday-bola-'));
let runtime: ChildProcess;
let owner: Client;
let intruder: Client;
let activityId = '';
const C = '/v1/campaigns/2021-xinxiang';
const summaryText = '红旗区科协科普日工作总结：开展科普进社区活动，参与群众三百余人。';

interface Row {
  /** What the intruder sends. */
  call(c: Client): Promise<ApiResponse>;
  /** What it must get back. */
  expect(res: ApiResponse): void;
}

/** The same answer a missing resource gets, and none of the owner's data in it. */
const notFound = (res: ApiResponse) => {
  expect(res.status).toBe(404);
  expect(res.body.title).toBe('未找到该资源');
  for (const secret of [completeActivity().title, summaryText, 'news.example.cn']) expect(res.text).not.toContain(secret);
};

const MATRIX: Record<string, Row> = {
  'GET /v1/campaigns/{campaignId}/organizations': {
    call: (c) => c.get(`${C}/organizations`),
    expect: (res) => expect(res.status).toBe(200),
  },
  'POST /v1/campaigns/{campaignId}/organizations': {
    call: (c) => c.post(`${C}/organizations`, { name: '入侵者学会', county: 'hongqi', type: 'society' }),
    expect: (res) => expect(res.status).toBe(403),
  },
  'PATCH /v1/campaigns/{campaignId}/organizations/{orgId}': {
    call: (c) => c.patch(`${C}/organizations/hongqi-kx`, { webhookUrl: 'https://evil.example/hook' }, { 'if-match': '"0"' }),
    expect: notFound,
  },
  'POST /v1/campaigns/{campaignId}/activities': {
    call: (c) => c.post(`${C}/activities`, { title: '入侵者的活动' }),
    expect: (res) => {
      expect(res.status).toBe(201);
      expect(res.body.organizationId).toBe('weibin-kx');
    },
  },
  'GET /v1/campaigns/{campaignId}/activities': {
    call: (c) => c.get(`${C}/activities?organizationId=hongqi-kx&limit=100`),
    expect: (res) => {
      expect(res.status).toBe(200);
      expect((res.body.items as Array<{ organizationId: string }>).every((a) => a.organizationId === 'weibin-kx')).toBe(true);
    },
  },
  'GET /v1/activities/{activityId}': { call: (c) => c.get(`/v1/activities/${activityId}`), expect: notFound },
  'PATCH /v1/activities/{activityId}': {
    call: (c) => c.patch(`/v1/activities/${activityId}`, { title: '被篡改' }, { 'if-match': '"3"' }),
    expect: notFound,
  },
  'POST /v1/activities/{activityId}/submit': { call: (c) => c.post(`/v1/activities/${activityId}/submit`), expect: notFound },
  'POST /v1/activities/{activityId}/withdraw': {
    call: (c) => c.post(`/v1/activities/${activityId}/withdraw`, { reason: '入侵者撤回' }, { 'if-match': '"3"' }),
    expect: notFound,
  },
  'GET /v1/activities/{activityId}/history': { call: (c) => c.get(`/v1/activities/${activityId}/history`), expect: notFound },
  'PUT /v1/activities/{activityId}/results': {
    call: (c) => c.put(`/v1/activities/${activityId}/results`, { actualParticipants: 1, newsLinks: [] }, { 'if-match': '"1"' }),
    expect: notFound,
  },
  'POST /v1/activities/{activityId}/uploads': {
    call: (c) => c.post(`/v1/activities/${activityId}/uploads`, { kind: 'photo', fileName: 'a.jpg', contentType: 'image/jpeg', size: 1000 }),
    expect: notFound,
  },
  'GET /v1/activities/{activityId}/media': { call: (c) => c.get(`/v1/activities/${activityId}/media`), expect: notFound },
  'POST /v1/campaigns/{campaignId}/organizations/{orgId}/summary/uploads': {
    call: (c) => c.post(`${C}/organizations/hongqi-kx/summary/uploads`, { kind: 'document', fileName: 'a.pdf', contentType: 'application/pdf', size: 1000 }),
    expect: notFound,
  },
  'GET /v1/campaigns/{campaignId}/organizations/{orgId}/summary': {
    call: (c) => c.get(`${C}/organizations/hongqi-kx/summary`),
    expect: notFound,
  },
  'PUT /v1/campaigns/{campaignId}/organizations/{orgId}/summary': {
    call: (c) => c.put(`${C}/organizations/hongqi-kx/summary`, { text: '被篡改的总结被篡改的总结被篡改的总结' }, { 'if-match': '"1"' }),
    expect: notFound,
  },
  'GET /v1/campaigns/{campaignId}/organizations/{orgId}/inbox': {
    call: (c) => c.get(`${C}/organizations/hongqi-kx/inbox`),
    expect: notFound,
  },
  'GET /v1/campaigns/{campaignId}/organizations/{orgId}/status': {
    call: (c) => c.get(`${C}/organizations/hongqi-kx/status`),
    expect: notFound,
  },
  'GET /v1/campaigns/{campaignId}/flags': {
    call: (c) => c.get(`${C}/flags?organizationId=hongqi-kx`),
    expect: (res) => expect(res.status).toBe(403),
  },
  'POST /v1/flags/{flagId}/waive': {
    call: (c) => c.post(`/v1/flags/${'0'.repeat(32)}/waive`, { reason: '入侵者想豁免这个标记' }),
    expect: (res) => expect(res.status).toBe(403),
  },
  'POST /v1/campaigns/{campaignId}/exports': {
    call: (c) => c.post(`${C}/exports`, { format: 'csv' }),
    expect: (res) => expect(res.status).toBe(403),
  },
  'GET /v1/exports/{exportId}': {
    call: (c) => c.get('/v1/exports/2021-xinxiang-registration'),
    expect: (res) => expect(res.status).toBe(403),
  },
  'GET /v1/campaigns/{campaignId}/exports': {
    call: (c) => c.get(`${C}/exports?kind=milestone`),
    expect: (res) => expect(res.status).toBe(403),
  },
  'PUT /v1/campaigns/{campaignId}/organizations/{orgId}/review': {
    call: (c) => c.put(`${C}/organizations/hongqi-kx/review`, { scores: { mobilization: 0, publicity: 0, highlights: 0, volunteering: 0, online: 0 } }),
    expect: (res) => expect(res.status).toBe(403),
  },
  'GET /v1/campaigns/{campaignId}/organizations/{orgId}/review': {
    call: (c) => c.get(`${C}/organizations/hongqi-kx/review`),
    expect: (res) => expect(res.status).toBe(403),
  },
  'GET /v1/campaigns/{campaignId}/progress': {
    call: (c) => c.get(`${C}/progress?county=hongqi`),
    expect: (res) => {
      expect(res.status).toBe(403);
      expect(res.text).not.toContain('hongqi-kx');
    },
  },
  'GET /v1/campaigns/{campaignId}/scores': {
    call: (c) => c.get(`${C}/scores`),
    expect: (res) => {
      expect(res.status).toBe(403);
      expect(res.text).not.toContain('hongqi-kx');
    },
  },
  'POST /v1/campaigns/{campaignId}/extensions': {
    call: (c) =>
      c.post(`${C}/extensions`, { organizationId: 'hongqi-kx', activityId, milestone: 'completion', until: '2021-12-31T23:59:59+08:00', reason: '入侵者给自己延期' }),
    expect: (res) => expect(res.status).toBe(403),
  },
  'GET /v1/campaigns/{campaignId}/extensions': {
    call: (c) => c.get(`${C}/extensions?organizationId=hongqi-kx`),
    expect: (res) => {
      expect(res.status).toBe(403);
      expect(res.text).not.toContain('hongqi-kx');
    },
  },
  // --- the campaign itself (ADR 0023): an organizer reads its city's list, manages nothing.
  'GET /v1/campaigns': {
    call: (c) => c.get('/v1/campaigns'),
    expect: (res) => {
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('hongqi-kx');
    },
  },
  'POST /v1/campaigns': {
    call: (c) => c.post('/v1/campaigns', { copyFrom: '2021-xinxiang', id: '2022-intruder' }),
    expect: (res) => expect(res.status).toBe(403),
  },
  'GET /v1/campaigns/{campaignId}/definition': {
    call: (c) => c.get(`${C}/definition`),
    expect: (res) => {
      expect(res.status).toBe(403);
      expect(res.text).not.toContain('hongqi-kx');
    },
  },
  'PATCH /v1/campaigns/{campaignId}/definition': {
    call: (c) => c.patch(`${C}/definition`, { theme: { zh: '入侵者', en: 'intruder' } }, { 'if-match': '"1"' }),
    expect: (res) => expect(res.status).toBe(403),
  },
  'POST /v1/campaigns/{campaignId}/publish': { call: (c) => c.post(`${C}/publish`, {}), expect: (res) => expect(res.status).toBe(403) },
  'POST /v1/campaigns/{campaignId}/close': { call: (c) => c.post(`${C}/close`, { reason: '入侵者' }), expect: (res) => expect(res.status).toBe(403) },
  'PUT /v1/campaigns/{campaignId}/milestones/{milestoneId}': {
    call: (c) => c.put(`${C}/milestones/registration`, { dueDate: '2021-12-31', reason: '入侵者给所有人延期' }),
    expect: (res) => expect(res.status).toBe(403),
  },
  // The person is the token's: the owner's acknowledgement is neither read nor written.
  'GET /v1/me/privacy-notice': {
    call: (c) => c.get('/v1/me/privacy-notice'),
    expect: (res) => expect({ status: res.status, acknowledgedAt: res.body.acknowledgedAt }).toEqual({ status: 200, acknowledgedAt: null }),
  },
  // Access and erasure (ADR 0047): the download is the caller's own; only an admin erases.
  'GET /v1/me/data': {
    call: (c) => c.get('/v1/me/data'),
    expect: (res) => {
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('hongqi-kx');
      expect(res.text).not.toContain(activityId);
      expect(res.text).not.toContain('"owner"');
    },
  },
  'POST /v1/people/{sub}/erasure': {
    call: (c) => c.post('/v1/people/owner/erasure', { reason: '入侵者想删掉别人的记录', mode: 'erase' }),
    expect: (res) => expect(res.status).toBe(403),
  },
  'PUT /v1/me/privacy-notice': {
    call: (c) => c.put('/v1/me/privacy-notice', { version: PRIVACY_NOTICE.version, sub: 'owner' }),
    expect: (res) => {
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([expect.objectContaining({ path: 'sub', code: 'unrecognized_key' })]);
    },
  },
};

beforeAll(async () => {
  runtime = await spawnRuntime(dataDir, { SCIDAY_CLOCK: '2021-09-01T09:00:00+08:00' });
  const { url } = runtimeInfo(dataDir);
  owner = client(url, await tokenFor(url, { sub: 'owner', orgId: 'hongqi-kx', roles: ['organizer'] }));
  intruder = client(url, await tokenFor(url, { sub: 'intruder', orgId: 'weibin-kx', roles: ['organizer'] }));
  const created = await owner.post<{ activityId: string }>(`${C}/activities`, completeActivity());
  activityId = created.body.activityId;
  expect((await owner.post(`/v1/activities/${activityId}/submit`)).status).toBe(200);
  expect((await owner.put(`/v1/activities/${activityId}/results`, { actualParticipants: 9, newsLinks: ['https://news.example.cn/x'] })).status).toBe(200);
  expect((await owner.put(`${C}/organizations/hongqi-kx/summary`, { text: summaryText })).status).toBe(200);
  expect((await owner.put('/v1/me/privacy-notice', { version: PRIVACY_NOTICE.version })).status).toBe(200);
});

afterAll(async () => {
  await stopRuntime(runtime, dataDir);
});

describe('BOLA: an organizer of another unit', () => {
  it('has a row for every protected route of the topology', () => {
    const protectedRoutes = httpRoutes(topology).filter((r) => !r.public).map((r) => `${r.method} ${r.path}`);
    expect(Object.keys(MATRIX).sort()).toEqual(protectedRoutes.sort());
  });

  it.each(Object.keys(MATRIX))('%s reveals and changes nothing of another unit', async (routeKey) => {
    const row = MATRIX[routeKey];
    if (!row) throw new Error(`no row for ${routeKey}`);
    row.expect(await row.call(intruder));
  });

  it('reads no unit’s status but its own; analysts none, reviewers and admins every unit’s', async () => {
    // Prepare
    const { url } = runtimeInfo(dataDir);
    const as = async (sub: string, orgId: string, role: string) => client(url, await tokenFor(url, { sub, orgId, roles: [role] }));
    const [analyst, ownAnalyst, reviewer, admin] = await Promise.all([
      as('analyst', 'xinxiang-kx', 'analyst'),
      as('own-analyst', 'hongqi-kx', 'analyst'),
      as('reviewer', 'xinxiang-kx', 'reviewer'),
      as('admin', 'xinxiang-kx', 'admin'),
    ]);
    const status = `${C}/organizations/hongqi-kx/status`;

    // Act
    const read = (c: Client) => c.get<{ activities: Record<string, number> }>(status);
    const [own, other, byAnalyst, byOwnAnalyst, byReviewer, byAdmin] = await Promise.all([
      read(owner),
      intruder.get(status),
      read(analyst),
      read(ownAnalyst),
      read(reviewer),
      read(admin),
    ]);

    // Assess
    notFound(other);
    expect([byAnalyst.status, byOwnAnalyst.status]).toEqual([403, 403]);
    for (const res of [own, byReviewer, byAdmin]) {
      expect(res.status).toBe(200);
      expect(res.body.activities).toEqual({ draft: 0, registered: 0, completed: 1 });
    }
  });

  it('left the owner’s activity, results and summary as they were', async () => {
    const activity = await owner.get<{ title: string; status: string; version: number; results: { version: number } }>(`/v1/activities/${activityId}`);
    expect(activity.body).toMatchObject({ title: completeActivity().title, status: 'completed', results: { version: 1 } });
    const summary = await owner.get<{ text: string; version: number }>(`${C}/organizations/hongqi-kx/summary`);
    expect(summary.body).toMatchObject({ text: summaryText, version: 1 });
    const info = runtimeInfo(dataDir);
    const extensions = await clientsFor(info).doc.send(
      new QueryCommand({
        TableName: info.resources.tables.main?.name,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.extensionsOfOrganization('2021-xinxiang', 'hongqi-kx') },
      }),
    );
    expect(extensions.Items).toEqual([]);
    // The campaign is as seeded: version 1, published, its dates and theme unchanged.
    const admin = client(info.url, await tokenFor(info.url, { sub: 'admin', orgId: 'xinxiang-kx', roles: ['admin'] }));
    const campaign = await admin.get<{ version: number; status: string }>(`${C}/definition`);
    expect(campaign.body).toMatchObject({ version: 1, status: 'published' });
    expect((await admin.get<{ items: unknown[] }>('/v1/campaigns')).body.items).toHaveLength(1);
  });
});
