import { FullBatchFailureError } from '@aws-lambda-powertools/batch';
import { parseExportRequest } from '../../../events/schemas/export-request.v1';
import { handler as runExport } from '../../../functions/run-export/handler';
import { exportRequestsOf } from '../../../shared/use-cases/dispatch-exports';
import type { ItemChange } from '../../../shared/use-cases/record-audit-entry';
import { context, sqsRecord } from '../../helpers/context';

const exportItem = { pk: 'EXPORT#e1', sk: 'EXPORT', entity: 'Export', exportId: 'e1', campaignId: '2021-xinxiang', status: 'queued' };
const change = (action: ItemChange['action'], newImage?: Record<string, unknown>, oldImage?: Record<string, unknown>): ItemChange => ({
  eventId: 'ev',
  action,
  at: new Date('2021-10-01T00:00:00Z'),
  keys: { pk: 'EXPORT#e1', sk: 'EXPORT' },
  ...(newImage ? { newImage } : {}),
  ...(oldImage ? { oldImage } : {}),
});

describe('Use case: exportRequestsOf', () => {
  it('starts a job for an export item just created, and for nothing else', () => {
    expect(exportRequestsOf(change('created', exportItem))).toEqual([{ version: 1, exportId: 'e1' }]);
    expect(exportRequestsOf(change('updated', { ...exportItem, status: 'running' }, exportItem))).toEqual([]);
    expect(exportRequestsOf(change('deleted', undefined, exportItem))).toEqual([]);
    expect(exportRequestsOf(change('created', { ...exportItem, entity: 'Activity' }))).toEqual([]);
    expect(exportRequestsOf(change('created', { ...exportItem, entity: 'ExportLatest' }))).toEqual([]);
  });

  it('builds messages the exports queue’s contract accepts, and refuses others', () => {
    expect(parseExportRequest(JSON.stringify(exportRequestsOf(change('created', exportItem))[0]))).toEqual({ version: 1, exportId: 'e1' });
    expect(() => parseExportRequest('{"version":2,"exportId":"e1"}')).toThrow();
    expect(() => parseExportRequest('{"version":1,"exportId":"e1","extra":1}')).toThrow();
    expect(() => parseExportRequest('{"version":1,"exportId":"../x"}')).toThrow();
  });
});

describe('Function: run-export handler', () => {
  it('fails a message that is not an export request', async () => {
    await expect(runExport({ Records: [sqsRecord('m1', '{"version":1}', 'exports')] }, context)).rejects.toBeInstanceOf(FullBatchFailureError);
  });
});
