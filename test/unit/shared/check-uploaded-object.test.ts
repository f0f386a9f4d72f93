// The media check freezes what it judges (ADR 0032): the bytes served are exactly the bytes
// checked, whatever lands on the upload key before, during or after the check.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findCampaign } from '../../../shared/campaigns';
import type { Campaign } from '../../../shared/domain/campaign';
import { mediaObjectKey, type MediaRecord, type MediaSubject } from '../../../shared/domain/media';
import { stripPhotoMetadata } from '../../../shared/domain/photo-metadata';
import type { ActivityRepository } from '../../../shared/repositories/activity-repository';
import type { MediaDecision, MediaRepository } from '../../../shared/repositories/media-repository';
import { QUARANTINE_PREFIX, type ObjectHead, type ObjectInspection, type ObjectStore } from '../../../shared/repositories/object-store';
import { checkUploadedObject } from '../../../shared/use-cases/check-uploaded-object';
import { sampleFile } from '../../helpers/sample-files';

const BUCKET = 'media';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** S3 in memory, with a hook that runs before each read (a browser posting meanwhile). */
class MemoryObjects implements ObjectStore {
  readonly objects = new Map<string, Buffer>();
  beforeRead?: (key: string) => void;

  async head(_bucket: string, key: string): Promise<ObjectHead | undefined> {
    const body = this.objects.get(key);
    return body ? { size: body.length, etag: createHash('md5').update(body).digest('hex') } : undefined;
  }
  async readStart(_bucket: string, key: string, bytes: number): Promise<Uint8Array> {
    this.beforeRead?.(key);
    return new Uint8Array(this.objects.get(key)?.subarray(0, bytes) ?? []);
  }
  async sha256(_bucket: string, key: string): Promise<string> {
    this.beforeRead?.(key);
    return sha256(this.objects.get(key) ?? Buffer.alloc(0));
  }
  async inspect(_bucket: string, key: string, startBytes: number, wanted: (size: number, start: Uint8Array) => boolean, keep = false): Promise<ObjectInspection | undefined> {
    this.beforeRead?.(key);
    const body = this.objects.get(key);
    if (!body) return undefined;
    const start = new Uint8Array(body.subarray(0, startBytes));
    return wanted(body.length, start) ? { size: body.length, start, sha256: sha256(body), ...(keep ? { bytes: Buffer.from(body) } : {}) } : { size: body.length, start };
  }
  async put(_bucket: string, key: string, body: Uint8Array): Promise<void> {
    this.objects.set(key, Buffer.from(body));
  }
  async copyOnly(bucket: string, from: string, to: string): Promise<boolean> {
    return (await this.copy(bucket, from, to)) !== undefined;
  }
  async copy(bucket: string, from: string, to: string): Promise<ObjectHead | undefined> {
    const body = this.objects.get(from);
    if (!body) return undefined;
    this.objects.set(to, Buffer.from(body));
    return this.head(bucket, to);
  }
  async remove(_bucket: string, key: string): Promise<void> {
    this.objects.delete(key);
  }
  async quarantine(bucket: string, key: string, as = key): Promise<string> {
    if (await this.copy(bucket, key, `${QUARANTINE_PREFIX}${as}`)) this.objects.delete(key);
    return `${QUARANTINE_PREFIX}${as}`;
  }
  keys = (prefix: string) => [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
}

/** Media items in memory, decided once (the condition `status = pending`). */
class MemoryMedia implements MediaRepository {
  readonly items = new Map<string, MediaRecord>();
  async create(media: MediaRecord): Promise<void> {
    this.items.set(media.mediaId, media);
  }
  async createdBy(): Promise<MediaRecord | undefined> {
    return undefined;
  }
  async list(): Promise<MediaRecord[]> {
    return [...this.items.values()];
  }
  async get(_subject: MediaSubject, mediaId: string): Promise<MediaRecord | undefined> {
    return this.items.get(mediaId);
  }
  async decide(_subject: MediaSubject, mediaId: string, d: MediaDecision): Promise<boolean> {
    const item = this.items.get(mediaId);
    if (item?.status !== 'pending') return false;
    this.items.set(mediaId, { ...item, ...d } as MediaRecord);
    return true;
  }
}

describe('Function: checkUploadedObject (ADR 0032: decided files are immutable)', () => {
  const campaign = findCampaign('2021-xinxiang') as Campaign;
  const subject: MediaSubject = { type: 'activity', campaignId: campaign.id, organizationId: 'hongqi-kx', activityId: 'act-1' };
  const photo = sampleFile('jpeg', 3000);
  const html = Buffer.from('<!doctype html><script>fetch("/local/token")</script>'.padEnd(3000, ' '));
  let objects: MemoryObjects;
  let media: MemoryMedia;
  let ids: number;
  let key: string;

  const deps = () => ({
    objects,
    media,
    activities: { get: async () => undefined } as unknown as ActivityRepository,
    extensions: { forOrganization: async () => [] },
    campaigns: { find: async (id: string) => findCampaign(id) },
    clock: { now: () => new Date('2021-09-12T02:00:00Z') },
    newCheckId: () => `c${++ids}`,
  });
  const item = () => media.items.get('m1') as MediaRecord;

  beforeEach(async () => {
    // Prepare: a pending photo of 3000 bytes, and its upload
    objects = new MemoryObjects();
    media = new MemoryMedia();
    ids = 0;
    key = mediaObjectKey(subject, 'm1');
    await media.create({
      mediaId: 'm1', subject, kind: 'photo', fileName: 'p.jpg', declaredContentType: 'image/jpeg', declaredSize: photo.length,
      objectKey: key, status: 'pending', createdAt: '2021-09-12T01:00:00Z', createdBy: 'u',
    });
    objects.objects.set(key, photo);
  });

  it('accepts a photo, serves the copy it judged, and empties the upload key', async () => {
    // Act
    const outcome = await checkUploadedObject({ bucket: BUCKET, key }, deps());
    // Assess
    expect(outcome).toBe('accepted');
    expect(item()).toMatchObject({ status: 'accepted', checkedKey: `checked/${key.slice('uploads/'.length)}/c1`, sha256: sha256(photo) });
    expect(objects.objects.get(item().checkedKey!)).toEqual(photo);
    expect(objects.keys('uploads/')).toEqual([]);
  });

  it('quarantines the same form posted again with HTML after the decision, and serves the photo still', async () => {
    // Prepare: accepted, then the form re-posted with other bytes
    await checkUploadedObject({ bucket: BUCKET, key }, deps());
    const accepted = item();
    objects.objects.set(key, html);
    // Act
    const outcome = await checkUploadedObject({ bucket: BUCKET, key }, deps());
    // Assess
    expect(outcome).toBe('late-write');
    expect(item()).toEqual(accepted);
    expect(objects.objects.get(accepted.checkedKey!)).toEqual(photo);
    expect(objects.objects.get(`quarantine/${key}`)).toEqual(html);
    expect(objects.keys('uploads/')).toEqual([]);
  });

  it('judges and serves the bytes it copied even when the upload key changes while it reads', async () => {
    // Prepare: the form re-posted with HTML the moment the check starts reading
    objects.beforeRead = () => objects.objects.set(key, html);
    // Act
    const outcome = await checkUploadedObject({ bucket: BUCKET, key }, deps());
    // Assess: what is recorded and served is the photo, byte for byte
    expect(outcome).toBe('accepted');
    expect(objects.objects.get(item().checkedKey!)).toEqual(photo);
    expect(item().sha256).toBe(sha256(objects.objects.get(item().checkedKey!)!));
  });

  it('rejects HTML posted before the decision, keeping what it judged in quarantine and serving nothing', async () => {
    // Prepare
    objects.objects.set(key, html);
    // Act
    const outcome = await checkUploadedObject({ bucket: BUCKET, key }, deps());
    // Assess
    expect(outcome).toBe('rejected');
    expect(item()).toMatchObject({ status: 'rejected', reason: 'type_not_recognised' });
    expect(item().checkedKey).toBeUndefined();
    expect(objects.keys('')).toEqual([`quarantine/${key}`]);
  });

  it('leaves one copy when two checks of one upload race: the loser deletes its own', async () => {
    // Act
    const outcomes = await Promise.all([checkUploadedObject({ bucket: BUCKET, key }, deps()), checkUploadedObject({ bucket: BUCKET, key }, deps())]);
    // Assess
    expect(outcomes.filter((o) => o === 'accepted')).toHaveLength(1);
    expect(objects.keys('checked/')).toEqual([item().checkedKey]);
    expect(objects.keys('originals/')).toEqual([]);
  });

  it('serves a photo stripped of its GPS position and device, keeps its capture date on the item, and keeps the original nowhere (ADR 0048)', async () => {
    // Prepare: a real iPhone photo with a GPS position
    const original = readFileSync(join(__dirname, '../../fixtures/photos/iphone-4s-gps.jpg'));
    media.items.set('m1', { ...item(), declaredSize: original.length });
    objects.objects.set(key, original);
    // Act
    const outcome = await checkUploadedObject({ bucket: BUCKET, key }, deps());
    // Assess: what is served is the stripped photo (its size recorded); the hash recorded is the upload's, for duplicates
    expect(outcome).toBe('accepted');
    const served = objects.objects.get(item().checkedKey!)!;
    expect(served).toEqual(Buffer.from(stripPhotoMetadata(original, 'image/jpeg')));
    expect(served.toString('latin1')).not.toContain('iPhone');
    expect(item()).toMatchObject({ sha256: sha256(original), size: served.length, capturedAt: '2012-12-22T19:40:02' });
    expect(objects.keys('')).toEqual([item().checkedKey]);
  });

  it('quarantines a refused photo from its original copy, leaving nothing under checked/ or originals/', async () => {
    // Prepare
    objects.objects.set(key, Buffer.concat([photo, Buffer.alloc(10)]));
    // Act
    const outcome = await checkUploadedObject({ bucket: BUCKET, key }, deps());
    // Assess
    expect(outcome).toBe('rejected');
    expect(item()).toMatchObject({ status: 'rejected', reason: 'larger_than_declared' });
    expect(objects.keys('')).toEqual([`quarantine/${key}`]);
  });
});
