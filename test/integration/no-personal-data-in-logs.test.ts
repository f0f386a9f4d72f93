// Issue 21 items 2 and 7 (PIPL), on a runtime of its own whose every output line is kept, its
// functions logging at DEBUG and publishing metrics: a person's privacy-notice acknowledgement is
// theirs alone (the sub comes only from the token), and a whole flow with distinctive personal
// values (a contact on an activity and on a unit, a webhook URL, a results and summary text naming
// the person, a review, an extension, an export, the history, problems that echo fields, a photo
// named after the person, their own data, their erasure) leaves
// none of them in any log line. The pseudonymous `sub` may appear (ADR 0046).
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PRIVACY_NOTICE } from '../../shared/domain/privacy-notice';
import { spawnRuntime } from '../helpers/global-setup';
import { stopRuntime } from '../helpers/private-runtime';
import { eventually, runtimeInfo } from '../helpers/runtime';
import { client, completeActivity, tokenFor, type Client } from '../helpers/api';
import { sampleFile } from '../helpers/sample-files';

jest.setTimeout(180_000);

const dataDir = mkdtempSync(join(tmpdir(), 'sciday-privacy-'));
const C = '/v1/campaigns/2021-xinxiang';
const NAME = '测试隐私张三丰';
const PHONE = '13912345678';
const EMAIL = 'zhang.privacy@example.cn';
const WEBHOOK = 'https://hooks.example.cn/secret-token-XYZ';
const contact = { name: NAME, phone: PHONE, email: EMAIL };
/** What no log line may hold: the values, and the parts of them a log could carry alone. */
const NEEDLES = [NAME, '张三丰', PHONE, EMAIL, 'zhang.privacy', 'secret-token-XYZ', WEBHOOK];

let runtime: ChildProcess;
let url = '';
let output = '';
const as = async (sub: string, orgId: string, role: string): Promise<Client> => client(url, await tokenFor(url, { sub, orgId, roles: [role] }));

beforeAll(async () => {
  runtime = await spawnRuntime(
    dataDir,
    // Production's logging, at its most talkative: every level, metrics on, the runtime's own lines.
    { SCIDAY_CLOCK: '2021-09-01T09:00:00+08:00', SCIDAY_LOG: 'all', SCIDAY_WEB_BUILD: 'never', POWERTOOLS_LOG_LEVEL: 'DEBUG', POWERTOOLS_METRICS_DISABLED: 'false' },
    { output: (chunk) => (output += chunk) },
  );
  url = runtimeInfo(dataDir).url;
});

afterAll(async () => {
  if (runtime) await stopRuntime(runtime, dataDir);
});

describe('GET and PUT /v1/me/privacy-notice', () => {
  interface Notice {
    version: string;
    acknowledgedAt: string | null;
    text: { zh: string; en: string };
  }

  it('asks each person until they acknowledge the current version; one person’s acknowledgement is never another’s', async () => {
    // Prepare: two people of one unit, and a reviewer.
    const a = await as('u-privacy-a', 'hongqi-kx', 'organizer');
    const b = await as('u-privacy-b', 'hongqi-kx', 'organizer');
    const reviewer = await as('u-privacy-r', 'city-kx', 'reviewer');
    // Act / Assess: nobody has acknowledged; the text is Chinese first.
    const before = await a.get<Notice>('/v1/me/privacy-notice');
    expect(before.status).toBe(200);
    expect(before.body).toEqual({ version: PRIVACY_NOTICE.version, acknowledgedAt: null, text: PRIVACY_NOTICE.text });
    expect(Object.keys(before.body.text)).toEqual(['zh', 'en']);

    // An older version is refused, naming the current one; a sub in the body is refused too.
    const stale = await a.put<{ errors: Array<{ path: string; code: string }> }>('/v1/me/privacy-notice', { version: '2020-01-01' });
    expect(stale.status).toBe(422);
    expect(stale.body.errors).toEqual([expect.objectContaining({ path: 'version', code: 'notice_version_not_current' })]);
    const forB = await a.put<{ errors: Array<{ path: string; code: string }> }>('/v1/me/privacy-notice', { version: PRIVACY_NOTICE.version, sub: 'u-privacy-b' });
    expect(forB.status).toBe(422);
    expect(forB.body.errors).toEqual([expect.objectContaining({ path: 'sub', code: 'unrecognized_key' })]);

    const acked = await a.put<{ version: string; acknowledgedAt: string }>('/v1/me/privacy-notice', { version: PRIVACY_NOTICE.version });
    expect(acked.status).toBe(200);
    expect(acked.body).toEqual({ version: PRIVACY_NOTICE.version, acknowledgedAt: expect.stringMatching(/^2021-09-01T09:\d\d:\d\d(\.\d+)?\+08:00$/) });

    // A's acknowledgement is A's, the first one kept: B and the reviewer are still asked.
    expect((await a.put('/v1/me/privacy-notice', { version: PRIVACY_NOTICE.version })).body).toEqual(acked.body);
    expect((await a.get<Notice>('/v1/me/privacy-notice')).body.acknowledgedAt).toBe(acked.body.acknowledgedAt);
    expect((await b.get<Notice>('/v1/me/privacy-notice')).body.acknowledgedAt).toBeNull();
    expect((await reviewer.get<Notice>('/v1/me/privacy-notice')).body.acknowledgedAt).toBeNull();
    expect((await client(url).get('/v1/me/privacy-notice')).status).toBe(401);
  });
});

describe('Logs', () => {
  it('hold no name, phone, e-mail or webhook URL after a whole flow that carries them', async () => {
    // Prepare
    const organizer = await as('u-privacy-org', 'hongqi-kx', 'organizer');
    const admin = await as('u-privacy-admin', 'city-kx', 'admin');
    const reviewer = await as('u-privacy-rev', 'city-kx', 'reviewer');
    const analyst = await as('u-privacy-analyst', 'city-kx', 'analyst');

    // Act: an activity with the contact, a change of it, problems that name its fields, the history.
    const created = await organizer.post<{ activityId: string }>(`${C}/activities`, { ...completeActivity(), contact });
    expect(created.status).toBe(201);
    const id = created.body.activityId;
    const wrong = await organizer.patch(`/v1/activities/${id}`, { contact: { name: NAME, phone: EMAIL, email: PHONE }, county: PHONE }, { 'if-match': '"1"' });
    expect(wrong.status).toBe(422);
    expect((await organizer.patch(`/v1/activities/${id}`, { contact: { ...contact, name: `${NAME}老师` } }, { 'if-match': '"1"' })).status).toBe(200);
    expect((await organizer.post(`/v1/activities/${id}/submit`)).status).toBe(200);
    // The trail is written from the stream: read the history once the audit writer has caught up.
    const history = await eventually(async () => {
      const res = await organizer.get<{ items: unknown[] }>(`/v1/activities/${id}/history`);
      return res.status === 200 && res.body.items.length > 0 ? res : undefined;
    }, 20_000, 'the activity’s history');
    expect(JSON.stringify(history.body)).toContain(NAME);

    // Results and the summary, their free text naming the person.
    const results = { actualParticipants: 120, newsLinks: [], highlights: `联系人${NAME}（${PHONE}）组织有力` };
    expect((await organizer.put(`/v1/activities/${id}/results`, results)).status).toBe(200);
    const summary = { text: `本单位科普日工作由${NAME}负责，电话 ${PHONE}，邮箱 ${EMAIL}，共组织活动一项。` };
    expect((await organizer.put(`${C}/organizations/hongqi-kx/summary`, summary)).status).toBe(200);

    // The unit's contact and webhook; one refused (an address the rules refuse, echoing nothing).
    const settings = await admin.patch(`${C}/organizations/hongqi-kx`, { contact, webhookUrl: WEBHOOK }, { 'if-match': '"0"' });
    expect(settings.status).toBe(200);
    expect((await admin.patch(`${C}/organizations/hongqi-kx`, { webhookUrl: `https://10.0.0.1/${'secret-token-XYZ'}` }, { 'if-match': '"1"' })).status).toBe(422);
    const added = await admin.post(`${C}/organizations`, { name: '隐私测试科协', county: 'hongqi', type: 'association', contact });
    expect(added.status).toBe(201);

    // Reviewer and admin actions, an export.
    const review = { scores: { mobilization: 80, publicity: 80, highlights: 80, volunteering: 80, online: 80 }, comment: `${NAME}的材料完整` };
    expect((await reviewer.put(`${C}/organizations/hongqi-kx/review`, review)).status).toBe(200);
    const extension = { organizationId: 'hongqi-kx', milestone: 'completion', until: '2021-10-31T23:59:59+08:00', reason: `${NAME}请假，电话 ${PHONE}` };
    expect((await admin.post(`${C}/extensions`, extension)).status).toBe(201);
    const exported = await analyst.post<{ exportId: string }>(`${C}/exports`, { format: 'csv' });
    expect(exported.status).toBe(202);
    await eventually(
      async () => {
        const res = await analyst.get<{ status: string }>(`/v1/exports/${exported.body.exportId}`);
        if (res.body.status === 'failed') throw new Error('the export failed');
        return res.body.status === 'succeeded' ? res.body : undefined;
      },
      90_000,
      'the export',
    );
    // A photo whose file name names the person, uploaded and checked; the person's own data; then
    // their erasure, whose request carries their phone and e-mail.
    const grant = await organizer.post<{ mediaId: string; url: string; fields: Record<string, string> }>(`/v1/activities/${id}/uploads`, { kind: 'photo', fileName: `${NAME}在讲座.jpg`, contentType: 'image/jpeg', size: 2048 });
    expect(grant.status).toBe(201);
    const form = new FormData();
    for (const [k, v] of Object.entries(grant.body.fields)) form.append(k, v);
    form.append('file', new Blob([sampleFile('jpeg', 2048)], { type: 'image/jpeg' }), `${NAME}在讲座.jpg`);
    expect((await fetch(grant.body.url, { method: 'POST', body: form, headers: { origin: 'http://localhost:3000' } })).status).toBeLessThan(300);
    await eventually(async () => {
      const media = await organizer.get<{ items: Array<{ mediaId: string; status: string }> }>(`/v1/activities/${id}/media`);
      return media.body.items.find((m) => m.mediaId === grant.body.mediaId && m.status !== 'pending');
    }, 20_000, 'the photo checked');
    const mine = await organizer.get('/v1/me/data');
    expect(mine.status).toBe(200);
    expect(JSON.stringify(mine.body)).toContain(PHONE);
    const erasure = await admin.post(`/v1/people/u-privacy-org/erasure`, { reason: `${NAME}本人申请`, mode: 'erase', contacts: { phone: PHONE, email: EMAIL } });
    expect(erasure.status).toBe(201);
    // Let the stream readers (audit, progress, domain events) finish with what the flow wrote.
    await new Promise((r) => setTimeout(r, 3_000));

    // Assess: the functions did log (so the search means something), and no line holds a value.
    const lines = output.split('\n').filter((l) => l.trim() !== '');
    expect(lines.some((l) => l.includes('"function":"run-export"'))).toBe(true);
    expect(lines.some((l) => l.includes('"function":"check-media"'))).toBe(true);
    expect(lines.some((l) => l.includes('"function":"erase-person"'))).toBe(true);
    expect(lines.some((l) => l.includes('"level":"DEBUG"') || l.includes('"level":"INFO"'))).toBe(true);
    const leaks = lines.filter((l) => NEEDLES.some((n) => l.includes(n)));
    expect(leaks).toEqual([]);
  });
});
