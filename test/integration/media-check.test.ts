// The media check on real uploads through the gateway: what the bytes are decides, not
// what the browser declared.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import exifr from 'exifr';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { spawnRuntime } from '../helpers/global-setup';
import { stopRuntime } from '../helpers/private-runtime';
import { clientsFor, eventually, runtimeInfo, type Clients } from '../helpers/runtime';
import { client, completeActivity, tokenFor, type Client } from '../helpers/api';
import { XMP_WITH_GPS, exifTiffOf, heifWithMetadata, jpegWithExif, sampleFile, type SampleKind } from '../helpers/sample-files';
import { getSample } from '../helpers/samples';

const dataDir = mkdtempSync(join(tmpdir(), 'sciday-media-'));
let runtime: ChildProcess;
let api: Client;
let aws: Clients;
let bucket = '';
let activityId = '';

beforeAll(async () => {
  runtime = await spawnRuntime(dataDir, { SCIDAY_CLOCK: '2021-09-12T10:00:00+08:00' });
  const info = runtimeInfo(dataDir);
  aws = clientsFor(info);
  bucket = info.resources.buckets.media?.name ?? '';
  api = client(info.url, await tokenFor(info.url, { sub: 'u', orgId: 'hongqi-kx', roles: ['organizer'] }));
  activityId = (await api.post<{ activityId: string }>('/v1/campaigns/2021-xinxiang/activities', completeActivity())).body.activityId;
});

afterAll(async () => {
  for (const c of Object.values(aws)) c.destroy();
  await stopRuntime(runtime, dataDir);
});

interface Grant {
  readonly mediaId: string;
  readonly url: string;
  readonly fields: Record<string, string>;
}

/** Posts `file` with a grant's form, as a browser does. */
async function post(grant: Grant, file: Buffer, contentType: string): Promise<number> {
  const form = new FormData();
  for (const [k, v] of Object.entries(grant.fields)) form.append(k, v);
  form.append('file', new Blob([file], { type: contentType }), 'file.bin');
  return (await fetch(grant.url, { method: 'POST', body: form })).status;
}

/** Requests an upload declaring `declared`, posts `file`, and waits for the check's verdict. */
async function upload(declared: { kind: string; contentType: string; size: number }, file: Buffer) {
  const grant = await api.post<Grant>(`/v1/activities/${activityId}/uploads`, {
    ...declared,
    fileName: 'file.bin',
  });
  expect(grant.status).toBe(201);
  expect(await post(grant.body, file, declared.contentType)).toBeLessThan(300);
  const item = await eventually(async () => {
    const list = await api.get<{ items: Array<{ mediaId: string; status: string; reason?: string; url?: string }> }>(`/v1/activities/${activityId}/media`);
    const found = list.body.items.find((m) => m.mediaId === grant.body.mediaId);
    return found && found.status !== 'pending' ? found : undefined;
  }, 20_000, 'the verdict');
  return { item, key: grant.body.fields.key ?? '', grant: grant.body };
}

/** The bytes a view URL serves. */
const served = async (url: string | undefined) => {
  const res = await fetch(url ?? 'http://invalid/');
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
};

const exists = (key: string) =>
  aws.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).then(
    () => true,
    () => false,
  );

describe('Media check', () => {
  it.each([
    ['photo', 'image/jpeg', 'jpeg'],
    ['photo', 'image/png', 'png'],
    ['video', 'video/mp4', 'mp4'],
    ['document', 'application/pdf', 'pdf'],
  ] as const)('accepts a %s whose bytes are %s, with a URL to view it', async (kind, contentType, sample) => {
    const file = sampleFile(sample as SampleKind);
    const { item, key } = await upload({ kind, contentType, size: file.length }, file);
    expect(item).toMatchObject({ status: 'accepted' });
    expect(item.url).toContain('X-Amz-Signature');
    // Served from the copy the check judged (checked/…), the upload key emptied (ADR 0032).
    expect(new URL(item.url ?? '').pathname).toContain(`/checked/${key.slice('uploads/'.length)}/`);
    expect(await served(item.url)).toEqual(file);
    expect(await exists(key)).toBe(false);
  });

  it('serves the accepted photo still when its form is posted again with HTML: the new bytes are quarantined (ADR 0032)', async () => {
    // Prepare: a photo accepted and viewable
    const photo = sampleFile('jpeg', 3000);
    const { item, key, grant } = await upload({ kind: 'photo', contentType: 'image/jpeg', size: photo.length }, photo);
    expect(item.status).toBe('accepted');
    const html = Buffer.from('<!doctype html><script>fetch("/local/token",{method:"POST"})</script>'.padEnd(3000, ' '));
    // Act: the same form, within its lifetime, with other bytes (the form still says image/jpeg)
    expect(await post(grant, html, 'image/jpeg')).toBe(204);
    // Assess: the late write lands in quarantine; the item and what its URL serves are unchanged
    await eventually(async () => ((await exists(`quarantine/${key}`)) && !(await exists(key)) ? true : undefined), 20_000, 'the late write in quarantine/');
    const list = await api.get<{ items: Array<{ mediaId: string; status: string; url?: string }> }>(`/v1/activities/${activityId}/media`);
    const after = list.body.items.find((m) => m.mediaId === item.mediaId);
    expect(after?.status).toBe('accepted');
    expect(await served(after?.url)).toEqual(photo);
    expect(await served(item.url)).toEqual(photo);
  });

  it.each([
    ['an executable', 'exe', 'type_mismatch'],
    ['a ZIP', 'zip', 'type_mismatch'],
  ] as const)('rejects %s declared as image/jpeg and quarantines it', async (_what, sample, reason) => {
    const file = sampleFile(sample);
    const { item, key } = await upload({ kind: 'photo', contentType: 'image/jpeg', size: file.length }, file);
    expect(item).toMatchObject({ status: 'rejected', reason });
    expect(item.url).toBeUndefined();
    // The verdict is recorded before the object moves (check-uploaded-object.ts): wait for the move.
    await eventually(async () => ((await exists(`quarantine/${key}`)) && !(await exists(key)) ? true : undefined), 10_000, 'the object in quarantine/');
    expect(await exists(key)).toBe(false);
    expect(await exists(`quarantine/${key}`)).toBe(true);
  });

  it('serves a real phone photo without its GPS position or device, never its original (ADR 0048)', async () => {
    // Prepare: an iPhone photo with a GPS position and its make and model
    const original = readFileSync(join(__dirname, '../fixtures/photos/iphone-4s-gps.jpg'));
    expect(await exifr.gps(original)).toBeDefined();
    // Act
    const { item, key } = await upload({ kind: 'photo', contentType: 'image/jpeg', size: original.length }, original);
    // Assess: accepted with its capture date; what its URL serves has the orientation alone
    expect(item).toMatchObject({ status: 'accepted', capturedAt: '2012-12-22T19:40:02' });
    const photo = await served(item.url);
    expect(await exifr.parse(photo, { tiff: true, ifd1: true, gps: true, xmp: true, iptc: true, mergeOutput: false, translateValues: false })).toEqual({ ifd0: { Orientation: 1 } });
    expect(await exifr.gps(photo)).toBeUndefined();
    expect(photo.toString('latin1')).not.toContain('iPhone');
    // The original is gone once decided: no originals/ copy, no upload left
    const path = key.slice('uploads/'.length);
    await eventually(async () => (!(await exists(key)) ? true : undefined), 10_000, 'the upload emptied');
    const checkId = new URL(item.url ?? '').pathname.split('/').pop() ?? '';
    expect(await exists(`originals/${path}/${checkId}`)).toBe(false);
    expect(await exists(`checked/${path}/${checkId}`)).toBe(true);
  });

  it('serves a HEIC photo without the GPS position and device of its Exif and XMP items', async () => {
    // Prepare: a HEIF as an iPhone saves it, holding the iPhone photo's real Exif and a GPS in XMP
    const { file } = heifWithMetadata({ tiff: exifTiffOf(readFileSync(join(__dirname, '../fixtures/photos/iphone-4s-gps.jpg'))), xmp: XMP_WITH_GPS });
    expect((await exifr.gps(file))?.latitude).toBeCloseTo(37.776, 2);
    // Act
    const { item } = await upload({ kind: 'photo', contentType: 'image/heic', size: file.length }, file);
    // Assess: accepted, and what its URL serves has no position, make or model left
    expect(item).toMatchObject({ status: 'accepted' });
    const photo = await served(item.url);
    expect(photo.length).toBe(file.length);
    expect(await exifr.gps(photo)).toBeUndefined();
    expect(photo.toString('latin1')).not.toMatch(/iPhone|Apple|GPSLatitude/);
  });

  it('keeps a photo taken outside the campaign year, with a warning', async () => {
    const old = jpegWithExif('2019:05:01 18:00:05');
    const fresh = jpegWithExif('2021:09:12 09:30:00');
    const a = await upload({ kind: 'photo', contentType: 'image/jpeg', size: old.length }, old);
    const b = await upload({ kind: 'photo', contentType: 'image/jpeg', size: fresh.length }, fresh);
    expect(a.item).toMatchObject({ status: 'accepted', capturedAt: '2019-05-01T18:00:05', warnings: ['capture_date_outside_campaign_year'] });
    expect(b.item).toMatchObject({ status: 'accepted', capturedAt: '2021-09-12T09:30:00', warnings: [] });
  });

  it('stores identical files of one activity once', async () => {
    const file = sampleFile('webp', 2500);
    const first = await upload({ kind: 'photo', contentType: 'image/webp', size: file.length }, file);
    const second = await upload({ kind: 'photo', contentType: 'image/webp', size: file.length }, file);
    expect(first.item.status).toBe('accepted');
    expect(second.item).toMatchObject({ status: 'rejected', reason: 'duplicate', duplicateOf: first.item.mediaId });
    expect(await served(first.item.url)).toEqual(file);
    expect(await exists(second.key)).toBe(false);
    expect(await exists(`quarantine/${second.key}`)).toBe(false);
  });

  it('rejects a file larger than declared', async () => {
    const file = sampleFile('jpeg', 4096);
    const { item } = await upload({ kind: 'photo', contentType: 'image/jpeg', size: 1000 }, file);
    expect(item).toMatchObject({ status: 'rejected', reason: 'larger_than_declared' });
  });

  it('completes a registered activity once its first photo is accepted (信息完善)', async () => {
    const registered = (await api.post<{ activityId: string }>('/v1/campaigns/2021-xinxiang/activities', completeActivity())).body.activityId;
    expect((await api.post(`/v1/activities/${registered}/submit`)).status).toBe(200);
    const previous = activityId;
    activityId = registered;
    try {
      const file = sampleFile('jpeg');
      const { item } = await upload({ kind: 'photo', contentType: 'image/jpeg', size: file.length }, file);
      expect(item.status).toBe('accepted');
      const completed = await eventually(async () => {
        const a = await api.get<{ status: string; completedAt?: string; flags: Array<{ code: string }> }>(`/v1/activities/${registered}`);
        return a.body.status === 'completed' ? a.body : undefined;
      }, 15_000, 'the activity to be completed');
      expect(completed.completedAt).toMatch(/^2021-09-12T.*\+08:00$/);
      // Registered an hour after it started (the clock reads 10:00), completed in time.
      expect(completed.flags.map((f) => f.code)).toEqual(['not-published-in-advance']);
    } finally {
      activityId = previous;
    }
  });

  it('quarantines an object nobody asked to upload, attaching nothing', async () => {
    const key = `uploads/2021-xinxiang/hongqi-kx/${activityId}/not-a-media-id`;
    await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: sampleFile('jpeg') }));
    await eventually(async () => ((await exists(`quarantine/${key}`)) ? true : undefined), 20_000, 'the quarantine');
    expect(await exists(key)).toBe(false);
    const list = await api.get<{ items: Array<{ mediaId: string }> }>(`/v1/activities/${activityId}/media`);
    expect(list.body.items.map((m) => m.mediaId)).not.toContain('not-a-media-id');
  });

  it('decides once when the same S3 event comes three times, some at once', async () => {
    const file = sampleFile('png', 3000);
    const { item, key } = await upload({ kind: 'photo', contentType: 'image/png', size: file.length }, file);
    expect(item.status).toBe('accepted');
    const info = runtimeInfo(dataDir);
    const event = getSample<{ Records: Array<{ s3: { bucket: { name: string }; object: { key: string; sequencer: string } } }> }>('s3/object-created.json');
    const record = event.Records[0];
    if (!record) throw new Error('sample has no record');
    record.s3.bucket.name = bucket;
    record.s3.object.key = key;
    record.s3.object.sequencer = 'FFFFFFFFFFFFFFFFFF';
    await Promise.all(
      [1, 2, 3].map(() => aws.sqs.send(new SendMessageCommand({ QueueUrl: info.resources.queues['media-uploads']?.url, MessageBody: JSON.stringify(event) }))),
    );
    await new Promise((r) => setTimeout(r, 3000));
    const list = await api.get<{ items: Array<{ mediaId: string; status: string }> }>(`/v1/activities/${activityId}/media`);
    expect(list.body.items.filter((m) => m.mediaId === item.mediaId).map((m) => m.status)).toEqual(['accepted']);
    expect(await served(item.url)).toEqual(file);
  });
});
