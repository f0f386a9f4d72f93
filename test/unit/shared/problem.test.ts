import { negotiateLanguage, problemResponse } from '../../../shared/http/problem';

describe('Function: negotiateLanguage', () => {
  it.each([
    [undefined, 'zh-CN'],
    ['', 'zh-CN'],
    ['en', 'en'],
    ['en-US,en;q=0.9', 'en'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['en;q=0.5,zh-CN;q=0.9', 'zh-CN'],
    ['fr-FR', 'zh-CN'],
    ['fr;q=1,en;q=0.1', 'en'],
  ])('answers %p with %s', (header, expected) => {
    expect(negotiateLanguage(header)).toBe(expected);
  });
});

describe('Function: problemResponse', () => {
  it('builds RFC 9457 problem+json in Chinese by default', () => {
    const res = problemResponse(404, 'route_not_found', 'zh-CN');
    expect(res.statusCode).toBe(404);
    expect(res.headers?.['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.body ?? '')).toEqual({
      type: 'https://sciday.example/problems/route_not_found',
      title: '没有这个接口',
      status: 404,
    });
  });

  it('localizes field issues and keeps their paths and codes', () => {
    const res = problemResponse(422, 'validation_failed', 'en', {
      errors: [{ path: 'contact.phone', code: 'required' }, { path: 'x', code: 'some_new_code' }],
    });
    const body = JSON.parse(res.body ?? '');
    expect(body.title).toBe('The submitted data failed validation');
    expect(body.errors).toEqual([
      { path: 'contact.phone', code: 'required', message: 'This field is required' },
      { path: 'x', code: 'some_new_code', message: 'some_new_code' },
    ]);
  });
});
