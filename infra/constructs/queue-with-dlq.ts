import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Stats, TreatMissingData, type IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { dlqId, type QueueSpec } from '../topology';

/** SQS's longest retention: a message that nobody could process waits as long as possible for a human. */
const FOURTEEN_DAYS = Duration.days(14);

export interface QueueWithDlqProps {
  /** The queue's declaration in the topology. */
  readonly spec: QueueSpec;
  /** Visibility timeout: `queueVisibilityTimeoutSeconds(topology, id)`, i.e. 6 × the consumer's timeout. */
  readonly visibilityTimeout: Duration;
  /**
   * What CloudFormation does with the queues when they leave the stack.
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
  /** What every alarm of the queue does (the stage's alarm topic). @default none */
  readonly alarmAction?: IAlarmAction;
}

/** A work queue's oldest message this old means its consumer is stuck or far behind. */
export const OLDEST_MESSAGE_ALARM_SECONDS = 15 * 60;

/**
 * A topology queue with everything it always needs: SSE (SQS-managed keys), TLS-only access,
 * and an alarm as soon as anything waits where only failures go.
 *
 * - `work` queues get a dead-letter queue (construct id `<id>-dlq`) that takes a message after
 *   the topology's `maxReceiveCount` receives; the alarm watches the DLQ.
 * - `failures` queues (e.g. a stream's on-failure destination) are the end of the line: a single
 *   queue with 14 days' retention, and the alarm watches the queue itself.
 */
export class QueueWithDlq extends Construct {
  /** The queue producers send to and consumers poll. */
  readonly queue: Queue;
  /** The dead-letter queue of a `work` queue; undefined for a `failures` queue. */
  readonly deadLetterQueue?: Queue;
  /** ApproximateNumberOfMessagesVisible > 0 on the queue that holds failures. */
  readonly failureAlarm: Alarm;
  /**
   * ApproximateAgeOfOldestMessage of a `work` queue above {@link OLDEST_MESSAGE_ALARM_SECONDS} (and its visibility timeout);
   * of an outlet, above the hours its topology entry says (ADR 0034).
   */
  readonly backlogAlarm?: Alarm;

  constructor(scope: Construct, id: string, props: QueueWithDlqProps) {
    super(scope, id);
    const common = {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
    };

    let watched: Queue;
    if (props.spec.kind === 'work') {
      this.deadLetterQueue = new Queue(this, dlqId(id), { ...common, retentionPeriod: FOURTEEN_DAYS });
      const outlet = props.spec.outlet;
      this.queue = new Queue(this, 'Queue', {
        ...common,
        visibilityTimeout: props.visibilityTimeout,
        deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.spec.maxReceiveCount },
        // An outlet's consumers are other systems: its retention is chosen, not SQS's default.
        ...(outlet ? { retentionPeriod: Duration.days(outlet.retentionDays) } : {}),
      });
      watched = this.deadLetterQueue;
    } else {
      this.queue = new Queue(this, 'Queue', {
        ...common,
        visibilityTimeout: props.visibilityTimeout,
        retentionPeriod: FOURTEEN_DAYS,
      });
      watched = this.queue;
    }

    this.failureAlarm = new Alarm(this, 'FailuresAlarm', {
      alarmDescription: `${props.spec.kind === 'work' ? dlqId(id) : id}: messages are waiting that no consumer could process`,
      metric: watched.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: Stats.MAXIMUM }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // An empty queue publishes no datapoints, and empty is the healthy state.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    if (props.spec.kind === 'work') {
      // A message in flight is as old as its receives: never alarm before one visibility timeout.
      // An outlet's readers are other systems (ADR 0034): its own threshold, well before its messages expire.
      const outlet = props.spec.outlet;
      const threshold = outlet ? outlet.oldestMessageAlarmHours * 3600 : Math.max(OLDEST_MESSAGE_ALARM_SECONDS, props.visibilityTimeout.toSeconds());
      this.backlogAlarm = new Alarm(this, 'OldestMessageAlarm', {
        alarmDescription: outlet
          ? `${id}: a message has waited ${outlet.oldestMessageAlarmHours} h; nobody reads this outlet, and its messages expire after ${outlet.retentionDays} days`
          : `${id}: the oldest message has waited more than ${threshold} s (consumer stuck, throttled or far behind)`,
        metric: this.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: Stats.MAXIMUM }),
        threshold,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    }
    if (props.alarmAction) {
      for (const alarm of [this.failureAlarm, this.backlogAlarm]) alarm?.addAlarmAction(props.alarmAction);
    }
  }
}
