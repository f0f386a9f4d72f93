// Issue 17 item 4, as an attacker tries it: list cursors are signed with a key the attacker does
// not have and bound to the list they were issued for (ADR 0031). On every paged route a forged
// cursor (edited, made up, or the old unkeyed checksum aimed at another unit's partition, which
// used to reach DynamoDB and answer 500) and a cursor taken from another unit's list or from
// another list are 400 problem+json in zh-CN and en, never 500; a cursor a list issued still
// pages it. On the shared runtime (real time: every deadline of 2021-xinxiang has passed), with
// two units the test adds itself.
import { createHash } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { InboxMessage } from '../../shared/domain/inbox';
import { keys } from '../../shared/repositories/keys';
import { client, completeActivity, tokenFor, type ApiResponse, type Client } from '../helpers/api';
import { clientsFor, eventually, runtimeInfo, uniqueId } from '../helpers/runtime';

jest.setTimeout(120_000);

const CAMPAIGN = '2021-xinxiang';
const C = `/v1/campaigns/${CAMPAIGN}`;

interface Page {
  items: Array<Record<string, unknown>>;
  nextCursor: string | null;
}
interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
}

/** One paged list as a caller reads it: the first page's path (limit=1), who asks. */
interface List {
  readonly name: string;
  readonly caller: () => Client;
  readonly path: () => string;
  /** An item id of the list, to tell pages apart. */
  readonly idOf: (item: Record<string, unknown>) => unknown;
}

const info = runtimeInfo();
const aws = clientsFor(info);
const as = async (sub: string, orgId: string, ...roles: string[]) => client(info.url, await tokenFor(info.url, { sub, orgId, roles }));
const withCursor = (path: string, cursor: string) => `${path}&cursor=${encodeURIComponent(cursor)}`;

let admin: Client;
let reviewer: Client;
let analyst: Client;
const units: Array<{ orgId: string; organizer: Client }> = [];
const A = () => units[0]!;
const B = () => units[1]!;

async function newUnit(): Promise<{ orgId: string; organizer: Client }> {
  const res = await admin.post<{ items: Array<{ organizationId: string }> }>(`${C}/organizations`, { name: uniqueId('翻页游标测试单位'), county: 'hongqi', type: 'society' });
  expect(res.status).toBe(201);
  const orgId = res.body.items[0]?.organizationId ?? '';
  return { orgId, organizer: await as(`org-${orgId}`, orgId, 'organizer') };
}

/** Three activities, two of them submitted (late: flags), one left a draft; two inbox messages; two extensions. */
async function fill(unit: { orgId: string; organizer: Client }): Promise<void> {
  const ids: string[] = [];
  for (let n = 0; n < 4; n++) {
    const res = await unit.organizer.post<{ activityId: string }>(`${C}/activities`, { ...completeActivity(), title: `翻页测试活动 ${n}` });
    expect(res.status).toBe(201);
    ids.push(res.body.activityId);
  }
  for (const id of ids.slice(0, 2)) expect((await unit.organizer.post(`/v1/activities/${id}/submit`)).status).toBe(200);
  for (const [n, at] of ['2021-12-01T01:00:00.000Z', '2021-12-02T01:00:00.000Z'].entries()) {
    const m: InboxMessage = {
      messageId: `cursor-msg-${n}-${unit.orgId}`,
      campaignId: CAMPAIGN,
      organizationId: unit.orgId,
      kind: 'reminder',
      milestone: 'completion',
      scheduleId: `cursor-test-${n}`,
      title: { zh: `【测试】提醒 ${n}`, en: `[Test] reminder ${n}` },
      text: { zh: '工作总结尚未提交。', en: 'The work summary is not submitted.' },
      gaps: { summaryMissing: true },
      at,
      createdAt: at,
    };
    await aws.doc.send(
      new PutCommand({ TableName: info.resources.tables.main?.name, Item: { ...keys.inboxMessage(m.campaignId, m.organizationId, m.at, m.messageId), entity: 'InboxMessage', ...m } }),
    );
  }
  for (const [milestone, until] of [['registration', '2021-09-30T18:00:00+08:00'], ['completion', '2021-10-31T23:59:59+08:00']] as const) {
    const res = await admin.post(`${C}/extensions`, { organizationId: unit.orgId, milestone, until, reason: '翻页游标测试' }, { 'idempotency-key': uniqueId('ext') });
    expect(res.status).toBe(201);
  }
}

/** Two finished exports of the campaign written as the export repository writes them (no job runs). */
async function seedExports(): Promise<void> {
  for (const n of [1, 2]) {
    const exportId = uniqueId(`cursor-export-${n}`);
    const requestedAt = `2021-11-0${n}T01:00:00.000Z`;
    await aws.doc.send(
      new PutCommand({
        TableName: info.resources.tables.main?.name,
        Item: {
          ...keys.exportJob(exportId),
          gsi1pk: keys.exportsOfCampaign(CAMPAIGN),
          gsi1sk: `${requestedAt}#${exportId}`,
          entity: 'Export',
          exportId,
          campaignId: CAMPAIGN,
          format: 'csv',
          language: 'zh',
          snapshot: exportId,
          asOf: requestedAt,
          status: 'failed',
          error: 'seeded by the cursor test',
          requestedBy: 'cursor-test',
          requestedAt,
          finishedAt: requestedAt,
          updatedBy: 'cursor-test',
        },
      }),
    );
  }
}

const lists: List[] = [
  { name: 'activities of unit A (its organizer)', caller: () => A().organizer, path: () => `${C}/activities?limit=1`, idOf: (i) => i.activityId },
  { name: 'draft activities of unit A (its organizer)', caller: () => A().organizer, path: () => `${C}/activities?status=draft&limit=1`, idOf: (i) => i.activityId },
  { name: 'activities of unit B (admin)', caller: () => admin, path: () => `${C}/activities?organizationId=${B().orgId}&limit=1`, idOf: (i) => i.activityId },
  { name: 'activities of the campaign (admin)', caller: () => admin, path: () => `${C}/activities?limit=1`, idOf: (i) => i.activityId },
  { name: 'flags of unit A (admin)', caller: () => admin, path: () => `${C}/flags?organizationId=${A().orgId}&limit=1`, idOf: (i) => i.flagId },
  { name: 'flags of unit B (admin)', caller: () => admin, path: () => `${C}/flags?organizationId=${B().orgId}&limit=1`, idOf: (i) => i.flagId },
  { name: 'flags of the campaign (reviewer)', caller: () => reviewer, path: () => `${C}/flags?limit=1`, idOf: (i) => i.flagId },
  { name: 'inbox of unit A (its organizer)', caller: () => A().organizer, path: () => `${C}/organizations/${A().orgId}/inbox?limit=1`, idOf: (i) => i.messageId },
  { name: 'inbox of unit B (admin)', caller: () => admin, path: () => `${C}/organizations/${B().orgId}/inbox?limit=1`, idOf: (i) => i.messageId },
  { name: 'extensions of unit A (admin)', caller: () => admin, path: () => `${C}/extensions?organizationId=${A().orgId}&limit=1`, idOf: (i) => i.extensionId },
  { name: 'extensions of unit B (reviewer)', caller: () => reviewer, path: () => `${C}/extensions?organizationId=${B().orgId}&limit=1`, idOf: (i) => i.extensionId },
  { name: 'progress (reviewer)', caller: () => reviewer, path: () => `${C}/progress?limit=1`, idOf: (i) => i.organizationId },
  { name: 'progress of one county (reviewer)', caller: () => reviewer, path: () => `${C}/progress?county=hongqi&limit=1`, idOf: (i) => i.organizationId },
  { name: 'exports (analyst)', caller: () => analyst, path: () => `${C}/exports?limit=1`, idOf: (i) => i.exportId },
  { name: 'exports on request (analyst)', caller: () => analyst, path: () => `${C}/exports?kind=requested&limit=1`, idOf: (i) => i.exportId },
];

/** The first page of each list (its cursor the one that list issued). */
const firstPages = new Map<string, Page>();

/** The cursor format before ADR 0031: the key and a SHA-256 anyone can compute, bound to the list's partition. */
function unkeyedCursor(scope: string, key: Record<string, string>): string {
  const checksum = createHash('sha256').update(`${scope}\n${JSON.stringify(key)}`).digest('base64url').slice(0, 16);
  return Buffer.from(JSON.stringify({ k: key, c: checksum })).toString('base64url');
}

function expectRefused(res: ApiResponse<Problem>, what: string): void {
  expect([what, res.status]).toEqual([what, 400]);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status: 400, type: expect.stringMatching(/\/bad_request$/) });
}

beforeAll(async () => {
  admin = await as('admin-cursors', 'xinxiang-kx', 'admin');
  reviewer = await as('reviewer-cursors', 'xinxiang-kx', 'reviewer');
  analyst = await as('analyst-cursors', 'xinxiang-kx', 'analyst');
  units.push(await newUnit(), await newUnit());
  await Promise.all([fill(A()), fill(B()), seedExports()]);
  for (const list of lists) {
    const page = await eventually(async () => {
      const res = await list.caller().get<Page>(list.path());
      expect([list.name, res.status]).toEqual([list.name, 200]);
      return res.body.nextCursor ? res.body : undefined;
    }, 15_000, `a next page of ${list.name}`);
    firstPages.set(list.name, page);
  }
});

describe('API: signed list cursors (ADR 0031)', () => {
  it.each(lists.map((l) => [l.name, l] as const))('pages %s with the cursor it issued', async (_name, list) => {
    // Prepare
    const first = firstPages.get(list.name)!;
    // Act
    const second = await list.caller().get<Page>(withCursor(list.path(), first.nextCursor!));
    // Assess
    expect(second.status).toBe(200);
    expect(second.body.items).toHaveLength(1);
    expect(list.idOf(second.body.items[0]!)).not.toEqual(list.idOf(first.items[0]!));
  });

  it.each(lists.map((l) => [l.name, l] as const))('refuses on %s every cursor another list issued (another unit’s, other filters, another route)', async (_name, list) => {
    // Act
    const answers = await Promise.all(
      lists
        .filter((other) => other.name !== list.name)
        .map(async (other) => [other.name, await list.caller().get<Problem>(withCursor(list.path(), firstPages.get(other.name)!.nextCursor!))] as const),
    );
    // Assess
    for (const [other, res] of answers) expectRefused(res, `the cursor of ${other}`);
  });

  it.each(lists.map((l) => [l.name, l] as const))('refuses on %s a forged cursor: edited, made up, unsigned', async (_name, list) => {
    // Prepare
    const own = firstPages.get(list.name)!.nextCursor!;
    const [payload = '', mac = ''] = own.split('.');
    const forged = [
      `${payload}.${mac.slice(0, -4)}${mac.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`,
      `${Buffer.from(JSON.stringify([1, { gsi1sk: '9999', organizationId: 'zzz' }])).toString('base64url')}.${mac}`,
      payload,
      'garbage',
      unkeyedCursor(keys.activitiesOfOrganization(CAMPAIGN, A().orgId), { pk: 'ACT#x', sk: 'A', gsi1pk: keys.activitiesOfOrganization(CAMPAIGN, B().orgId), gsi1sk: '2021' }),
    ];
    // Act
    const answers = await Promise.all(forged.map(async (cursor) => [cursor, await list.caller().get<Problem>(withCursor(list.path(), cursor))] as const));
    // Assess
    for (const [cursor, res] of answers) expectRefused(res, `forged ${cursor}`);
  });

  it('refuses the old unkeyed cursor aimed at another unit’s partition, which used to reach DynamoDB (500)', async () => {
    // Prepare: a cursor the old format accepted for unit A's list (the checksum of A's scope), whose key is in B's partition.
    const scope = keys.activitiesOfOrganization(CAMPAIGN, A().orgId);
    const intoB = unkeyedCursor(scope, { pk: 'ACT#x', sk: 'A', gsi1pk: keys.activitiesOfOrganization(CAMPAIGN, B().orgId), gsi1sk: '2021-09-01T00:00:00.000Z#x' });
    const inboxOfB = unkeyedCursor(keys.unitPartition(CAMPAIGN, A().orgId), { pk: keys.unitPartition(CAMPAIGN, B().orgId), sk: 'INBOX#2021' });
    // Act
    const activities = await A().organizer.get<Problem>(withCursor(`${C}/activities?limit=1`, intoB));
    const inbox = await A().organizer.get<Problem>(withCursor(`${C}/organizations/${A().orgId}/inbox?limit=1`, inboxOfB));
    // Assess
    expectRefused(activities, 'activities');
    expectRefused(inbox, 'inbox');
  });

  it('says so in Chinese by default and in English on request', async () => {
    // Act
    const zh = await A().organizer.get<Problem>(withCursor(`${C}/activities?limit=1`, 'garbage'));
    const en = await A().organizer.get<Problem>(withCursor(`${C}/activities?limit=1`, 'garbage'), { 'accept-language': 'en' });
    // Assess
    expect(zh.body).toMatchObject({ status: 400, title: '请求参数不正确', detail: expect.stringContaining('cursor') });
    expect(en.body).toMatchObject({ status: 400, title: 'Bad request parameters', detail: expect.stringContaining('cursor') });
  });
});
