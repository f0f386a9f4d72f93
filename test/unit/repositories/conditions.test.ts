import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { cancellation, conditionalWrite } from '../../../shared/repositories/conditions';

const metadata = { $metadata: {} };

describe('Function: conditionalWrite', () => {
  it('answers true when the write succeeds', async () => {
    // Act
    const written = await conditionalWrite(Promise.resolve({}));
    // Assess
    expect(written).toBe(true);
  });

  it('answers false when the condition fails', async () => {
    // Prepare
    const failure = new ConditionalCheckFailedException({ message: 'failed', ...metadata });
    // Act
    const written = await conditionalWrite(Promise.reject(failure));
    // Assess
    expect(written).toBe(false);
  });

  it('throws any other error', async () => {
    // Prepare
    const failure = new Error('throttled');
    // Act / Assess
    await expect(conditionalWrite(Promise.reject(failure))).rejects.toBe(failure);
  });
});

describe('Function: cancellation', () => {
  it('names the items whose condition failed and a conflict', () => {
    // Prepare
    const error = new TransactionCanceledException({
      message: 'cancelled',
      ...metadata,
      CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }, { Code: 'TransactionConflict' }],
    });
    // Act
    const reasons = cancellation(error);
    // Assess
    expect(reasons).toStrictEqual({ failed: [1], conflicted: true });
  });

  it('reads no reasons from any other error', () => {
    // Act
    const reasons = cancellation(new ConditionalCheckFailedException({ message: 'failed', ...metadata }));
    // Assess
    expect(reasons).toStrictEqual({ failed: [], conflicted: false });
  });
});
