import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { FORMER_STREAM_READERS, mergeCheckpoints, StreamPoller } from '../../../infra/local/stream-poller';
import { topology } from '../../../infra/topology';

describe('Function: mergeCheckpoints', () => {
  it('keeps per shard the least advanced reader’s position, comparing sequence numbers as numbers', () => {
    const merged = mergeCheckpoints([
      { done: { a: '900', b: '1200' }, closed: [] },
      { done: { a: '1000', b: '1100' }, closed: [] },
    ]);
    expect(merged).toEqual({ done: { a: '900', b: '1100' }, closed: [] });
  });

  it('reads a shard from its start when one reader never read it, and closes only what all closed', () => {
    const merged = mergeCheckpoints([
      { done: { a: '5', b: '7' }, closed: ['old'] },
      { done: { b: '6' }, closed: ['old', 'a'] },
    ]);
    expect(merged).toEqual({ done: { b: '6' }, closed: ['old'] });
  });

  it('starts from nothing without former readers', () => {
    expect(mergeCheckpoints([])).toEqual({ done: {}, closed: [] });
  });
});

describe('Class: StreamPoller with the checkpoints of the readers it replaces (ADR 0034)', () => {
  const poller = (checkpointFile: string, formerCheckpointFiles: string[]) =>
    new StreamPoller({
      streams: {} as DynamoDBStreamsClient,
      sqs: {} as SQSClient,
      streamArn: 'arn:aws:dynamodb:local:000000000000:table/t/stream/x',
      region: 'local',
      batchSize: 10,
      retryAttempts: 1,
      onFailureQueueUrl: 'http://q',
      checkpointFile,
      formerCheckpointFiles,
      invoke: async () => ({ batchItemFailures: [] }),
    });

  it('writes its first checkpoint from theirs, and afterwards keeps its own', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'checkpoints-'));
    const [audit, events, own] = ['stream-record-audit-main.json', 'stream-publish-domain-events-main.json', 'stream-record-changes-main.json'].map((f) => join(dir, f)) as [string, string, string];
    writeFileSync(audit, JSON.stringify({ done: { s1: '300' }, closed: [] }));
    writeFileSync(events, JSON.stringify({ done: { s1: '250' }, closed: [] }));
    // Act
    poller(own, [audit, events]);
    // Assess
    expect(JSON.parse(readFileSync(own, 'utf8'))).toEqual({ done: { s1: '250' }, closed: [] });
    writeFileSync(audit, JSON.stringify({ done: { s1: '1' }, closed: [] }));
    poller(own, [audit]);
    expect(JSON.parse(readFileSync(own, 'utf8'))).toEqual({ done: { s1: '250' }, closed: [] });
  });

  it('reads from the start a shard that a former reader without a file never read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'checkpoints-'));
    const [progress, own] = [join(dir, 'stream-project-progress-main.json'), join(dir, 'stream-project-changes-main.json')];
    writeFileSync(progress, JSON.stringify({ done: { s1: '300' }, closed: ['s0'] }));
    poller(own, [progress, join(dir, 'stream-sync-schedules-main.json')]);
    expect(JSON.parse(readFileSync(own, 'utf8'))).toEqual({ done: {}, closed: [] });
  });

  it('starts a data dir without former readers fresh, writing nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'checkpoints-'));
    const own = join(dir, 'stream-record-changes-main.json');
    poller(own, [join(dir, 'stream-record-audit-main.json')]);
    expect(() => readFileSync(own)).toThrow();
  });

  it('names as former readers functions the topology no longer has, for both of its readers', () => {
    expect(Object.keys(FORMER_STREAM_READERS).sort()).toEqual(['project-changes', 'record-changes']);
    for (const [reader, former] of Object.entries(FORMER_STREAM_READERS)) {
      expect(Object.keys(topology.functions)).toContain(reader);
      for (const id of former) expect(Object.keys(topology.functions)).not.toContain(id);
    }
  });
});
