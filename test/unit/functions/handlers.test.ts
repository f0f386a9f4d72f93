import type { APIGatewayProxyEventV2, SQSEvent } from 'aws-lambda';
import { FullBatchFailureError } from '@aws-lambda-powertools/batch';
import { handler as checkMedia } from '../../../functions/check-media/handler';
import { handler as getHealth } from '../../../functions/get-health/handler';
import { context, sqsRecord } from '../../helpers/context';
import { getSample } from '../../helpers/samples';


describe('Function: check-media handler', () => {
  it('reports only the malformed message as a batch item failure', async () => {
    // Prepare: S3's one-off test event needs no I/O; the second body is garbage.
    const event: SQSEvent = {
      Records: [sqsRecord('ok', JSON.stringify(getSample('s3/test-event.json')), 'media-uploads'), sqsRecord('bad', '{"Records":[{}]}', 'media-uploads')],
    };

    // Act
    const response = await checkMedia(event, context);

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'bad' }] });
  });

  it('fails the whole batch when every message is poison', async () => {
    await expect(checkMedia({ Records: [sqsRecord('a', 'x', 'media-uploads'), sqsRecord('b', 'y', 'media-uploads')] }, context)).rejects.toBeInstanceOf(
      FullBatchFailureError,
    );
  });
});

describe('Function: get-health handler', () => {
  it('answers 503 naming every dependency that does not answer', async () => {
    // Prepare: unit tests point every AWS endpoint at a closed port.
    const event = getSample<APIGatewayProxyEventV2>('apigw/get-health.json');

    // Act
    const response = (await getHealth(event, context)) as { statusCode: number; body: string };

    // Assess
    expect(response.statusCode).toBe(503);
    const body = JSON.parse(response.body);
    expect(body.status).toBe('unavailable');
    expect(body.dependencies.map((d: { name: string; ok: boolean }) => [d.name, d.ok])).toEqual([
      ['main', false],
      ['audit', false],
      ['idempotency', false],
      ['progress', false],
      ['media-uploads', false],
      ['domain-events', false],
      ['stream-failures', false],
      ['sweeps', false],
      ['notifications', false],
      ['schedule-failures', false],
      ['exports', false],
      ['media', false],
      ['exports', false],
    ]);
  });
});
