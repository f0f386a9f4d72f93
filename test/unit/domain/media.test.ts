import fc from 'fast-check';
import { checkedObjectKey, judgeUpload, mediaObjectKey, parseMediaObjectKey, type MediaSubject } from '../../../shared/domain/media';

describe('Module: domain/media', () => {
  it('keys an activity’s and a summary’s media by campaign, unit and owner, never by file name', () => {
    const activity: MediaSubject = { type: 'activity', campaignId: '2021-xinxiang', organizationId: 'hongqi-kx', activityId: 'a-1' };
    expect(mediaObjectKey(activity, 'm-1')).toBe('uploads/2021-xinxiang/hongqi-kx/a-1/m-1');
    expect(mediaObjectKey({ type: 'summary', campaignId: 'c', organizationId: 'o' }, 'm')).toBe('uploads/c/o/summary/m');
  });

  it('reads back every key it issues (property)', () => {
    const seg = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,20}$/).filter((s) => s !== 'summary');
    fc.assert(
      fc.property(seg, seg, seg, seg, (campaignId, organizationId, activityId, mediaId) => {
        const subject: MediaSubject = { type: 'activity', campaignId, organizationId, activityId };
        expect(parseMediaObjectKey(mediaObjectKey(subject, mediaId))).toEqual({ subject, mediaId });
      }),
    );
  });

  it.each(['quarantine/a/b/c/d', 'uploads/a/b/c', 'uploads/a/b/c/d/e', 'uploads/a/../c/d', 'uploads/a/b/c/科普.jpg', 'direct/x'])(
    'does not recognise %s',
    (key) => expect(parseMediaObjectKey(key)).toBeUndefined(),
  );

  it('keys a check’s copy under checked/, outside every key a form or a notification names (ADR 0032)', () => {
    const key = checkedObjectKey('uploads/2021-xinxiang/hongqi-kx/a-1/m-1', 'c-1');
    expect(key).toBe('checked/2021-xinxiang/hongqi-kx/a-1/m-1/c-1');
    expect(parseMediaObjectKey(key)).toBeUndefined();
    expect(() => checkedObjectKey('quarantine/x', 'c-1')).toThrow();
    expect(() => checkedObjectKey('uploads/a/b/c/d', '../x')).toThrow();
  });
});

describe('Function: judgeUpload', () => {
  const base = {
    declaredContentType: 'image/jpeg',
    declaredSize: 1000,
    allowedContentTypes: ['image/jpeg', 'image/png'],
    maxBytes: 5000,
    actualSize: 1000,
    sniffedContentType: 'image/jpeg',
  };
  it.each([
    ['what was declared', {}, { status: 'accepted' }],
    ['a smaller file than declared', { actualSize: 10 }, { status: 'accepted' }],
    ['an empty file', { actualSize: 0 }, { status: 'rejected', reason: 'empty' }],
    ['a file over the kind’s limit', { actualSize: 6000, declaredSize: 6000 }, { status: 'rejected', reason: 'too_large' }],
    ['a file larger than declared', { actualSize: 1001 }, { status: 'rejected', reason: 'larger_than_declared' }],
    ['bytes of no known type', { sniffedContentType: undefined }, { status: 'rejected', reason: 'type_not_recognised' }],
    ['a PNG declared as JPEG', { sniffedContentType: 'image/png' }, { status: 'rejected', reason: 'type_mismatch' }],
    ['an executable', { sniffedContentType: 'application/x-msdownload' }, { status: 'rejected', reason: 'type_mismatch' }],
  ] as const)('judges %s', (_what, over, verdict) => {
    expect(judgeUpload({ ...base, ...over })).toEqual(verdict);
  });
});
