// Issue 17 item 5, as an attacker tries it: a work summary lists only documents uploaded for that
// unit's own summary that the media check accepted. Unit A's summary naming unit B's document, a
// made-up id, one of A's activity photos, A's document still being checked or one the check
// refused is 422 on `documentMediaIds.<i>`, and nothing of it is stored (so no export lists it as
// A's attachment); A's own accepted document is listed. On the shared runtime, with units the
// test adds itself.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../shared/repositories/keys';
import { client, completeActivity, tokenFor, type Client } from '../helpers/api';
import { clientsFor, eventually, runtimeInfo, uniqueId } from '../helpers/runtime';
import { sampleFile } from '../helpers/sample-files';

jest.setTimeout(90_000);

const CAMPAIGN = '2021-xinxiang';
const C = `/v1/campaigns/${CAMPAIGN}`;
const info = runtimeInfo();
const aws = clientsFor(info);
const TEXT = '本单位围绕科普日主题开展了系列活动，现将工作总结如下，附件为总结材料。';

interface Grant {
  readonly mediaId: string;
  readonly url: string;
  readonly fields: Record<string, string>;
}
interface Problem {
  status: number;
  title: string;
  errors?: Array<{ path: string; code: string; message: string }>;
}
interface Unit {
  orgId: string;
  organizer: Client;
}

const as = async (sub: string, orgId: string, ...roles: string[]) => client(info.url, await tokenFor(info.url, { sub, orgId, roles }));
let admin: Client;
let a: Unit;
let b: Unit;

async function newUnit(): Promise<Unit> {
  const res = await admin.post<{ items: Array<{ organizationId: string }> }>(`${C}/organizations`, { name: uniqueId('总结附件测试单位'), county: 'weibin', type: 'school' });
  expect(res.status).toBe(201);
  const orgId = res.body.items[0]?.organizationId ?? '';
  return { orgId, organizer: await as(`org-${orgId}`, orgId, 'organizer') };
}

/** Posts `file` with a grant's form, as a browser does. */
async function post(grant: Grant, file: Buffer, contentType: string): Promise<void> {
  const form = new FormData();
  for (const [k, v] of Object.entries(grant.fields)) form.append(k, v);
  form.append('file', new Blob([file], { type: contentType }), 'file.bin');
  expect((await fetch(grant.url, { method: 'POST', body: form })).status).toBeLessThan(300);
}

/** The media item's status as stored (there is no list route for a summary's documents). */
async function statusOf(key: { pk: string; sk: string }): Promise<string | undefined> {
  const { Item } = await aws.doc.send(new GetCommand({ TableName: info.resources.tables.main?.name, Key: key, ConsistentRead: true }));
  return Item?.status as string | undefined;
}

/** A document for `unit`'s summary: asked for, posted (unless `post` is false), and its verdict awaited. */
async function summaryDocument(unit: Unit, file: Buffer | undefined, expected: 'accepted' | 'rejected' | 'pending'): Promise<string> {
  const grant = await unit.organizer.post<Grant>(`${C}/organizations/${unit.orgId}/summary/uploads`, { kind: 'document', fileName: '总结材料.pdf', contentType: 'application/pdf', size: file?.length ?? 2048 });
  expect(grant.status).toBe(201);
  if (file) await post(grant.body, file, 'application/pdf');
  const key = keys.mediaOfSummary(CAMPAIGN, unit.orgId, grant.body.mediaId);
  await eventually(async () => ((await statusOf(key)) === expected ? true : undefined), 20_000, `the document's verdict (${expected})`);
  return grant.body.mediaId;
}

/** An accepted photo of one of `unit`'s activities. */
async function activityPhoto(unit: Unit): Promise<string> {
  const activity = await unit.organizer.post<{ activityId: string }>(`${C}/activities`, { ...completeActivity(), county: 'weibin' });
  expect(activity.status).toBe(201);
  const jpeg = sampleFile('jpeg');
  const grant = await unit.organizer.post<Grant>(`/v1/activities/${activity.body.activityId}/uploads`, { kind: 'photo', fileName: '现场.jpg', contentType: 'image/jpeg', size: jpeg.length });
  expect(grant.status).toBe(201);
  await post(grant.body, jpeg, 'image/jpeg');
  const key = keys.mediaOfActivity(activity.body.activityId, grant.body.mediaId);
  await eventually(async () => ((await statusOf(key)) === 'accepted' ? true : undefined), 20_000, 'the photo accepted');
  return grant.body.mediaId;
}

const ids = { ownAccepted: '', ownPending: '', ownRejected: '', ofB: '', photoOfA: '' };

beforeAll(async () => {
  admin = await as('admin-summary-docs', 'xinxiang-kx', 'admin');
  [a, b] = await Promise.all([newUnit(), newUnit()]);
  [ids.ownAccepted, ids.ownPending, ids.ownRejected, ids.ofB, ids.photoOfA] = await Promise.all([
    summaryDocument(a, sampleFile('pdf'), 'accepted'),
    summaryDocument(a, undefined, 'pending'),
    // An executable declared as a PDF: the check refuses it (the bytes decide).
    summaryDocument(a, sampleFile('exe'), 'rejected'),
    summaryDocument(b, sampleFile('pdf'), 'accepted'),
    activityPhoto(a),
  ]);
  // A first summary with A's own accepted document: later attempts change it with If-Match "1".
  const first = await a.organizer.put(`${C}/organizations/${a.orgId}/summary`, { text: TEXT, documentMediaIds: [ids.ownAccepted] });
  expect(first.status).toBe(200);
});

describe('API: PUT …/organizations/{orgId}/summary, its documents', () => {
  it('lists the unit’s own accepted document', async () => {
    const summary = await a.organizer.get<{ documentMediaIds?: string[]; version: number }>(`${C}/organizations/${a.orgId}/summary`);
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({ documentMediaIds: [ids.ownAccepted], version: 1 });
  });

  it.each([
    ['another unit’s accepted document', () => ids.ofB, 'unknown_document'],
    ['a made-up id', () => 'm-made-up-0001', 'unknown_document'],
    ['a photo of one of the unit’s own activities', () => ids.photoOfA, 'unknown_document'],
    ['its own document still being checked', () => ids.ownPending, 'document_pending'],
    ['its own document the check refused', () => ids.ownRejected, 'document_rejected'],
  ])('refuses %s with 422 on the field, and stores nothing of it', async (_name, id, code) => {
    // Act
    const res = await a.organizer.put<Problem>(`${C}/organizations/${a.orgId}/summary`, { text: `${TEXT}（修改）`, documentMediaIds: [ids.ownAccepted, id()] }, { 'if-match': '"1"' });
    // Assess
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual([{ path: 'documentMediaIds.1', code, message: expect.stringContaining(id()) }]);
    const stored = await a.organizer.get<{ documentMediaIds?: string[]; text: string; version: number }>(`${C}/organizations/${a.orgId}/summary`);
    expect(stored.body).toMatchObject({ documentMediaIds: [ids.ownAccepted], text: TEXT, version: 1 });
  });

  it('names every refused id at once, in English on request', async () => {
    // Act
    const res = await a.organizer.put<Problem>(
      `${C}/organizations/${a.orgId}/summary`,
      { text: TEXT, documentMediaIds: [ids.ofB, ids.ownAccepted, 'm-made-up-0002'] },
      { 'if-match': '"1"', 'accept-language': 'en' },
    );
    // Assess
    expect(res.status).toBe(422);
    expect(res.body.errors?.map((e) => [e.path, e.code])).toEqual([
      ['documentMediaIds.0', 'unknown_document'],
      ['documentMediaIds.2', 'unknown_document'],
    ]);
    expect(res.body.errors?.[0]?.message).toBe(`No document ${ids.ofB} was uploaded for this unit’s work summary`);
  });

  it('refuses unit B’s own document in unit A’s first summary too', async () => {
    // Prepare: a unit with no summary yet.
    const c = await newUnit();
    // Act
    const res = await c.organizer.put<Problem>(`${C}/organizations/${c.orgId}/summary`, { text: TEXT, documentMediaIds: [ids.ofB] });
    // Assess
    expect(res.status).toBe(422);
    expect((await c.organizer.get(`${C}/organizations/${c.orgId}/summary`)).status).toBe(404);
  });
});
