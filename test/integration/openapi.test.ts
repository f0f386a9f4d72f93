import { runtimeInfo } from '../helpers/runtime';

const { url } = runtimeInfo();

describe('Local runtime: GET /v1/openapi.json', () => {
  it('answers the OpenAPI 3.1 document without a token', async () => {
    const res = await fetch(`${url}/v1/openapi.json`);

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    const doc = (await res.json()) as { openapi: string; info: { title: string }; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('SciDay 全国科普日活动报送 API');
    expect(doc.paths).toHaveProperty(['/v1/activities/{activityId}', 'get']);
    expect(doc.paths).toHaveProperty(['/v1/openapi.json', 'get']);
  });
});
