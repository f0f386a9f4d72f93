// (main-table stream) --> recordAuditEntry + keepPersonalDataLedger, every record at once, scrubs last --> (audit table)
//                     --> domainEventsOf, exportRequestsOf: in stream order, up to the first failure --> (SQS domain-events, exports)
// One of the table's two stream readers (ADR 0034): what each change means once, and can never be recomputed.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { DomainEventV1, type DomainEvent } from '../../events/schemas/domain-events.v1';
import { ExportRequestV1Schema, type ExportRequestV1 } from '../../events/schemas/export-request.v1';
import { documentClient } from '../../shared/clients/dynamodb';
import { SqsMessageQueue } from '../../shared/clients/message-queue';
import { sqsClient } from '../../shared/clients/sqs';
import { batchResponseOf, earliestFailure, eachInOrder, eachInParallel, readStreamBatch, reportOutcome } from '../../shared/clients/stream-parts';
import { runtimeClock } from '../../shared/clock';
import { loadConfig } from '../../shared/config';
import { observability } from '../../shared/observability';
import { stackPseudonyms } from '../../shared/clients/pseudonyms';
import { auditSubjectOf } from '../../shared/domain/personal-data';
import * as z from '../../shared/domain/zod';
import { DynamoDbAuditRepository } from '../../shared/repositories/dynamodb-audit-repository';
import { exportRequestsOf } from '../../shared/use-cases/dispatch-exports';
import { domainEventsOf } from '../../shared/use-cases/domain-events';
import { isScrubChange, keepPersonalDataLedger } from '../../shared/use-cases/keep-personal-data-ledger';
import { recordAuditEntry, type ItemChange } from '../../shared/use-cases/record-audit-entry';

const FUNCTION_ID = 'record-changes';
const config = loadConfig({ tables: ['audit'], queues: ['domain-events', 'exports'] });
const sqs = sqsClient(config);
const audit = new DynamoDbAuditRepository({ client: documentClient(config), tableName: config.tables.audit });
const exportsQueue = new SqsMessageQueue<ExportRequestV1>(sqs, config.queues.exports);
// Subscribers route on `detailType` without parsing the body.
const domainEvents = new SqsMessageQueue<DomainEvent>(sqs, config.queues['domain-events'], { attributes: (e) => ({ detailType: e.detailType }) });
const { logger } = observability(FUNCTION_ID);
// Each part keeps the name of the function it was, in its logs (`part`) and metrics (dimension `part`).
const parts = {
  'record-audit': observability(FUNCTION_ID, 'record-audit'),
  'publish-domain-events': observability(FUNCTION_ID, 'publish-domain-events'),
  'dispatch-exports': observability(FUNCTION_ID, 'dispatch-exports'),
};

/** Idempotent: the entry is keyed by the stream event id (a conditional put), so a retry writes nothing. */
const recordAudit = async (change: ItemChange) => {
  const pseudonyms = await stackPseudonyms();
  // A person's own items keep their trail under the pseudonym's key (ADR 0047).
  const outcome = await recordAuditEntry({ ...change, keys: auditSubjectOf(change.keys, pseudonyms) }, { audit });
  parts['record-audit'].metrics.addMetric(`audit_${outcome}`, MetricUnit.Count, 1);
  // The ledgers of who and which contact an item named, and a scrub's redaction (ADR 0047): idempotent too.
  const ledger = await keepPersonalDataLedger(change, { audit, pseudonyms });
  if (ledger === 'redacted') parts['record-audit'].metrics.addMetric('audit_trails_redacted', MetricUnit.Count, 1);
};

const publishDomainEvents = async (change: ItemChange) => {
  const events = domainEventsOf(change).map((e) => z.parse(DomainEventV1, e));
  if (events.length === 0) return;
  await domainEvents.sendAll(events);
  parts['publish-domain-events'].metrics.addMetric('domain_events_published', MetricUnit.Count, events.length);
};

const dispatchExports = async (change: ItemChange) => {
  const requests = exportRequestsOf(change).map((r) => z.parse(ExportRequestV1Schema, r));
  if (requests.length === 0) return;
  await exportsQueue.sendAll(requests);
  parts['dispatch-exports'].metrics.addMetric('exports_dispatched', MetricUnit.Count, requests.length);
  parts['dispatch-exports'].logger.info('export dispatched', { exportIds: requests.map((r) => r.exportId) });
};

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(injectLambdaContext([logger, ...Object.values(parts).map((p) => p.logger)]))
  .use(logMetrics(Object.values(parts).map((p) => p.metrics)))
  .handler(async (event) => {
    const entries = readStreamBatch(event.Records, runtimeClock);
    // 1. The audit entries: every record at once, then the scrubs (ADR 0047), each after every earlier
    //    change of its item has its entry (none past the first failure: its retry would bring them back).
    const changes = await eachInParallel('record-audit', entries, async (c) => (isScrubChange(c) ? undefined : recordAudit(c)));
    const scrubs = await eachInParallel('record-audit', entries, async (c, e) =>
      isScrubChange(c) && e.index < (changes.failedAt ?? entries.length) ? recordAudit(c) : undefined,
    );
    const audited = [changes, scrubs].find((o) => o.failedAt !== undefined && o.failedAt === earliestFailure([changes, scrubs])) ?? changes;
    // 2. The messages, record by record in order, only up to the first record not audited and the
    //    first not sent: a retry from there sends nothing twice. (No record means both a domain event
    //    and an export request, so a record's own retry cannot double the other part's either.)
    const forwarded = await eachInOrder(
      entries,
      [
        ['publish-domain-events', publishDomainEvents],
        ['dispatch-exports', dispatchExports],
      ],
      audited.failedAt,
    );
    const outcomes = [audited, ...forwarded];
    for (const o of outcomes) reportOutcome(o, entries, parts[o.part as keyof typeof parts]);
    return batchResponseOf(entries, outcomes);
  });
