// The local S3 front's checks against what the AWS SDK really signs: a presigned GET and a
// presigned POST pass as S3 would pass them; anything changed, expired or forged does not.
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { checkPostPolicy, checkPresignedGet, parseFormHead, type S3Signing } from '../../../infra/local/s3-front';

const signing: S3Signing = { accessKeyId: 'local', secretAccessKey: 'local', region: 'us-east-1' };
const s3 = new S3Client({ region: signing.region, endpoint: 'http://127.0.0.1:3000', forcePathStyle: true, credentials: signing });
const BUCKET = 'sciday-local-media';
const KEY = 'uploads/2021-xinxiang/hongqi-kx/act-1/01JD7Q3M7X5C9F2VZK8N4R6T2C';

afterAll(() => s3.destroy());

/** What the gateway sees of a request to `url`. */
const asRequest = (url: string, host = '127.0.0.1:3000') => {
  const u = new URL(url);
  return { method: 'GET', rawPath: u.pathname, rawQuery: u.search.slice(1), headers: { host } };
};

describe('Function: checkPresignedGet', () => {
  it('passes what the SDK presigns, with a download name, until it expires', async () => {
    // Prepare
    const plain = await getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key: KEY }), { expiresIn: 300 });
    const named = await getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key: 'campaign=x/a b(1).csv', ResponseContentDisposition: 'attachment; filename="a_b.csv"' }), { expiresIn: 300 });
    // Act, Assess
    expect(checkPresignedGet(asRequest(plain), signing, new Date())).toBeUndefined();
    expect(checkPresignedGet(asRequest(named), signing, new Date())).toBeUndefined();
    expect(checkPresignedGet(asRequest(plain), signing, new Date(Date.now() + 301_000))).toMatchObject({ status: 403, code: 'AccessDenied', message: 'Request has expired' });
  });

  it.each([
    ['another key', (u: string) => u.replace('/uploads/', '/checked/')],
    ['another host', (u: string) => u],
    ['a longer lifetime', (u: string) => u.replace('X-Amz-Expires=300', 'X-Amz-Expires=3000')],
    ['a changed signature', (u: string) => u.replace(/X-Amz-Signature=([0-9a-f])/, (_m, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`)],
  ])('refuses a presigned GET with %s', async (what, change) => {
    const url = change(await getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key: KEY }), { expiresIn: 300 }));
    expect(checkPresignedGet(asRequest(url, what === 'another host' ? 'evil.example:3000' : '127.0.0.1:3000'), signing, new Date())).toMatchObject({
      status: 403,
      code: 'SignatureDoesNotMatch',
    });
  });

  it('refuses an unsigned read and other credentials', async () => {
    expect(checkPresignedGet(asRequest(`http://127.0.0.1:3000/${BUCKET}/${KEY}`), signing, new Date())).toMatchObject({ status: 403, code: 'AccessDenied' });
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key: KEY }), { expiresIn: 300 });
    expect(checkPresignedGet(asRequest(url), { ...signing, accessKeyId: 'other' }, new Date())).toMatchObject({ code: 'InvalidAccessKeyId' });
  });
});

/** The multipart body a browser sends for `fields` and a file, as undici's FormData writes it. */
async function formBody(fields: Record<string, string>, file: Buffer): Promise<{ body: Buffer; boundary: string }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([file], { type: 'image/jpeg' }), 'photo.jpg');
  const request = new Request('http://x/', { method: 'POST', body: form });
  const boundary = /boundary=(.+)$/.exec(request.headers.get('content-type') ?? '')?.[1] ?? '';
  return { body: Buffer.from(await request.arrayBuffer()), boundary };
}

describe('Function: checkPostPolicy', () => {
  const grant = () =>
    createPresignedPost(s3, {
      Bucket: BUCKET,
      Key: KEY,
      Conditions: [
        ['eq', '$key', KEY],
        ['eq', '$Content-Type', 'image/jpeg'],
        ['content-length-range', 1, 1000],
      ],
      Fields: { 'Content-Type': 'image/jpeg' },
      Expires: 900,
    });

  /** The form's fields as the gateway reads them from the body, and the file's size from its length. */
  async function read(fields: Record<string, string>, file = Buffer.alloc(500, 1)) {
    const { body, boundary } = await formBody(fields, file);
    const head = parseFormHead(body, boundary);
    if (typeof head === 'string') throw new Error(head);
    return { bucket: BUCKET, fields: head.fields, fileSize: body.length - head.fileStart - (boundary.length + 8), keyPrefix: 'uploads/' };
  }

  it('passes the form the API hands out, and reads the file size from the body exactly', async () => {
    const { fields } = await grant();
    const form = await read(fields, Buffer.alloc(777, 2));
    expect(form.fileSize).toBe(777);
    expect(checkPostPolicy(form, signing, new Date())).toBeUndefined();
  });

  it('asks for more bytes until the file part begins, and finds none in a form without a file', async () => {
    const { fields } = await grant();
    const { body, boundary } = await formBody(fields, Buffer.alloc(10));
    expect(parseFormHead(body.subarray(0, 100), boundary)).toBe('more');
    const noFile = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="key"\r\n\r\nk\r\n--${boundary}--\r\n`);
    expect(parseFormHead(noFile, boundary)).toBe('no-file');
  });

  it('refuses the form once its policy has expired (a re-post after 15 minutes)', async () => {
    const { fields } = await grant();
    expect(checkPostPolicy(await read(fields), signing, new Date(Date.now() + 901_000))).toMatchObject({ status: 403, message: 'Invalid according to Policy: Policy expired.' });
  });

  it.each([
    ['another key', { key: KEY.replace('act-1', 'act-2') }, 'Policy Condition failed'],
    ['another content type (HTML)', { 'Content-Type': 'text/html' }, 'Policy Condition failed'],
    ['a field no condition names', { success_action_redirect: 'https://evil.example/' }, 'Extra input fields: success_action_redirect'],
  ])('refuses the form with %s', async (_what, change, message) => {
    const { fields } = await grant();
    expect(checkPostPolicy(await read({ ...fields, ...change }), signing, new Date())).toMatchObject({ status: 403, message: expect.stringContaining(message) });
  });

  it('refuses a file over the policy’s range, and a forged signature', async () => {
    const { fields } = await grant();
    expect(checkPostPolicy(await read(fields, Buffer.alloc(1001)), signing, new Date())).toMatchObject({ status: 400, code: 'EntityTooLarge' });
    expect(checkPostPolicy(await read(fields), { ...signing, secretAccessKey: 'other' }, new Date())).toMatchObject({ code: 'SignatureDoesNotMatch' });
  });

  it('refuses a validly signed form for a key outside uploads/ (what the check accepted lies under checked/)', async () => {
    const key = `checked/${KEY.slice('uploads/'.length)}/c1`;
    const { fields } = await createPresignedPost(s3, { Bucket: BUCKET, Key: key, Conditions: [['eq', '$key', key]], Expires: 900 });
    expect(checkPostPolicy(await read(fields), signing, new Date())).toMatchObject({ status: 403, message: expect.stringContaining('only under uploads/') });
  });
});
