import { formatBytes, uploadRequestSchema } from '../../../shared/schemas/media.schema';
import { CAMPAIGNS, issuesOf, itRejectsTheInvalidSamples, lindau, validUpload, xinxiang } from './samples';

describe.each(CAMPAIGNS)('Schema: upload request (%s)', (_id, campaign) => {
  const schema = uploadRequestSchema(campaign);

  it('accepts a photo at the size limit, content type normalised', () => {
    expect(schema.parse({ ...validUpload(campaign), contentType: ' IMAGE/JPEG ' })).toEqual({
      ...validUpload(campaign),
      contentType: 'image/jpeg',
    });
  });

  it.each(['photo', 'video', 'document'] as const)('accepts every listed type of a %s', (kind) => {
    for (const contentType of campaign.media[kind].contentTypes) {
      expect(issuesOf(schema, { kind, fileName: 'f', contentType, size: campaign.media[kind].maxBytes })).toEqual([]);
    }
  });

  itRejectsTheInvalidSamples('upload', campaign);
});

describe('Schema: upload request, campaign limits', () => {
  it('accepts a PNG in 2021-xinxiang and rejects it with code content_type_not_allowed in 2030-lindau', () => {
    const body = { kind: 'photo', fileName: 'a.png', contentType: 'image/png', size: 1000 };
    expect(issuesOf(uploadRequestSchema(xinxiang), body)).toEqual([]);
    expect(issuesOf(uploadRequestSchema(lindau), body)).toEqual([
      { path: 'contentType', code: 'content_type_not_allowed', params: { allowed: 'image/jpeg' } },
    ]);
  });

  it('accepts a 10 MiB photo in 2021-xinxiang and rejects it with code file_too_large in 2030-lindau', () => {
    const body = { kind: 'photo', fileName: 'a.jpg', contentType: 'image/jpeg', size: 10 * 1024 * 1024 };
    expect(issuesOf(uploadRequestSchema(xinxiang), body)).toEqual([]);
    expect(issuesOf(uploadRequestSchema(lindau), body)).toEqual([
      { path: 'size', code: 'file_too_large', params: { maxBytes: 5 * 1024 * 1024, maxSize: '5 MiB' } },
    ]);
  });

  it('checks against every kind when the kind itself is wrong', () => {
    const issues = issuesOf(uploadRequestSchema(lindau), { kind: 'audio', fileName: 'a.mp3', contentType: 'audio/mpeg', size: 2 ** 40 });
    expect(issues).toEqual([
      { path: 'kind', code: 'invalid_option', params: { options: 'photo, video, document' } },
      { path: 'contentType', code: 'content_type_not_allowed', params: { allowed: 'image/jpeg, video/mp4, application/pdf' } },
      { path: 'size', code: 'file_too_large', params: { maxBytes: 100 * 1024 * 1024, maxSize: '100 MiB' } },
    ]);
  });

  it('restricts a summary upload to documents', () => {
    const schema = uploadRequestSchema(xinxiang, ['document']);
    expect(issuesOf(schema, { kind: 'document', fileName: '总结.pdf', contentType: 'application/pdf', size: 1 })).toEqual([]);
    expect(issuesOf(schema, validUpload(xinxiang)).map((i) => i.code)).toEqual(['invalid_option', 'content_type_not_allowed']);
    expect(uploadRequestSchema(xinxiang, ['document'])).toBe(schema);
  });

  it('lists every failing field of an empty body', () => {
    expect(issuesOf(uploadRequestSchema(xinxiang), {}).map((i) => `${i.path} ${i.code}`)).toEqual([
      'kind required',
      'fileName required',
      'contentType required',
      'size required',
    ]);
  });
});

describe('Function: formatBytes', () => {
  it.each([
    [20 * 1024 * 1024, '20 MiB'],
    [512 * 1024, '512 KiB'],
    [1000, '1000 bytes'],
  ])('writes %i as %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));
});
