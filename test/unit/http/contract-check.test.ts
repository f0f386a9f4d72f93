import { findCampaign } from '../../../shared/campaigns';
import type { Campaign } from '../../../shared/domain/campaign';
import type { ExportRecord } from '../../../shared/export/export-record';
import { exportView } from '../../../shared/http/export-views';
import { openApiDocument } from '../../../shared/http/openapi/document';
import { contractChecker, type ContractAnswer } from '../../helpers/contract';

const campaign = findCampaign('2021-xinxiang') as Campaign;
const { problems } = contractChecker(openApiDocument(campaign));

const record: ExportRecord = {
  exportId: 'exp-1',
  campaignId: campaign.id,
  format: 'csv',
  language: 'zh',
  snapshot: 'exp-1',
  asOf: '2021-09-30T02:00:00.000Z',
  status: 'queued',
  requestedBy: 'u-analyst',
  requestedAt: '2021-09-30T02:00:00.000Z',
};
const json = { 'content-type': 'application/json; charset=utf-8' };
const answer = (over: Partial<ContractAnswer> = {}): ContractAnswer => ({
  method: 'GET',
  path: '/v1/exports/exp-1',
  status: 200,
  headers: new Headers(json),
  body: exportView(record, campaign),
  ...over,
});

describe('Function: contractChecker', () => {
  it('passes an answer the document describes, and one it does not describe at all', () => {
    expect(problems(answer())).toEqual([]);
    expect(problems(answer({ path: '/local/clock' }))).toEqual([]);
  });

  it('fails a body that drifted from the schema: a field missing, another of the wrong type', () => {
    const { status: _status, ...withoutStatus } = exportView(record, campaign);

    const found = problems(answer({ body: { ...withoutStatus, files: 'none' } }));

    expect(found).toEqual([
      expect.stringMatching(/^GET \/v1\/exports\/exp-1 → 200: body\.status: /),
      expect.stringMatching(/^GET \/v1\/exports\/exp-1 → 200: body\.files: /),
    ]);
  });

  it('fails a status the operation does not declare, but not a server failure', () => {
    expect(problems(answer({ status: 418 }))).toEqual([expect.stringMatching(/status not declared/)]);
    expect(problems(answer({ status: 503, headers: new Headers({ 'content-type': 'application/problem+json' }) }))).toEqual([]);
  });

  it('fails a media type the status does not declare', () => {
    expect(problems(answer({ headers: new Headers({ 'content-type': 'text/plain' }) }))).toEqual([expect.stringMatching(/text\/plain not declared/)]);
  });

  it('fails a declared header missing or out of its schema, and checks a problem against Problem', () => {
    const created = { method: 'POST', path: '/v1/campaigns/2021-xinxiang/exports', status: 202, body: exportView(record, campaign) };
    expect(problems({ ...created, headers: new Headers({ ...json, location: '/v1/exports/exp-1' }) })).toEqual([]);
    expect(problems({ ...created, headers: new Headers(json) })).toEqual([expect.stringMatching(/header Location missing/)]);

    const noStore = { method: 'GET', path: '/health/live', status: 200, body: { status: 'ok' } };
    expect(problems({ ...noStore, headers: new Headers({ ...json, 'cache-control': 'no-store' }) })).toEqual([]);
    expect(problems({ ...noStore, headers: new Headers({ ...json, 'cache-control': 'max-age=60' }) })).toEqual([expect.stringMatching(/header Cache-Control/)]);

    const notFound = { ...answer(), status: 404, headers: new Headers({ 'content-type': 'application/problem+json' }) };
    expect(problems({ ...notFound, body: { type: 'https://sciday.example/problems/not_found', title: '未找到该资源', status: 404 } })).toEqual([]);
    expect(problems({ ...notFound, body: { title: '未找到该资源' } })).not.toEqual([]);
  });
});
