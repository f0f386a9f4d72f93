/**
 * The few facts of the topology (infra/topology.ts) that handlers act on, in a plain module: a
 * handler that imported the topology bundled every function's declaration and the route table
 * (about 20 KB, ADR 0043). The topology declares itself from these constants, and
 * test/unit/infra/topology-facts.test.ts checks that they agree with what it declares.
 */

/** How many receives every work queue allows before its dead-letter queue takes the message. */
export const WORK_QUEUE_MAX_RECEIVE_COUNT = 5;

/** A queue's visibility timeout is this many times its consumer's timeout (AWS's advice for Lambda). */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/** run-export's timeout: the longest an export job runs. */
export const RUN_EXPORT_TIMEOUT_SECONDS = 900;

/** How long an export job may stay active before it is presumed dead: every receive's visibility. */
export const EXPORT_JOB_ACTIVE_SECONDS = RUN_EXPORT_TIMEOUT_SECONDS * VISIBILITY_TIMEOUT_FACTOR * WORK_QUEUE_MAX_RECEIVE_COUNT;

/** Where table copies go in the exports bucket (ADR 0017). */
export const TABLE_COPY_PREFIX = 'table-copies/';

/** The functions the campaigns' one-time schedules invoke, by kind of schedule. */
export const CAMPAIGN_SCHEDULE_TARGETS = { milestones: 'start-milestone', reminders: 'start-reminders' } as const;
