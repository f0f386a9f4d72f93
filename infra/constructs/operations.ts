import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  Metric,
  Stats,
  TextWidget,
  TreatMissingData,
  type IAlarmAction,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { Topology } from '../topology';

/**
 * The campaign's pulse: metrics the functions already emit (Powertools EMF, namespace `SciDay`,
 * dimensions `service` and `function`, shared/observability.ts), by dashboard widget. Each pair
 * names a function of the topology and a metric its handler adds (`metrics.addMetric('<name>'`);
 * test/infra/operations.test.ts reads the handlers to keep this list true.
 */
export const PULSE: ReadonlyArray<{ readonly title: string; readonly metrics: ReadonlyArray<{ readonly fn: string; readonly metric: string; readonly label: string }> }> = [
  {
    title: 'Submissions per hour',
    metrics: [
      { fn: 'submit-activity', metric: 'activities_submitted', label: 'activities submitted' },
      { fn: 'put-results', metric: 'results_saved', label: 'results saved' },
      { fn: 'put-summary', metric: 'summaries_saved', label: 'summaries saved' },
    ],
  },
  {
    title: 'Flags raised per hour',
    metrics: [
      { fn: 'sweep-unit', metric: 'flags_raised', label: 'by the deadline sweeps' },
      { fn: 'submit-activity', metric: 'activities_submitted_late', label: 'late registrations' },
      { fn: 'put-results', metric: 'results_late', label: 'late results' },
      { fn: 'put-summary', metric: 'summaries_late', label: 'late summaries' },
    ],
  },
  {
    title: 'Uploads checked per hour',
    metrics: [
      { fn: 'check-media', metric: 'media_accepted', label: 'accepted' },
      { fn: 'check-media', metric: 'media_rejected', label: 'rejected (quarantined)' },
      { fn: 'check-media', metric: 'media_duplicate', label: 'duplicates' },
    ],
  },
  {
    title: 'Exports per hour',
    metrics: [
      { fn: 'create-export', metric: 'exports_requested', label: 'requested' },
      { fn: 'run-export', metric: 'exports_succeeded', label: 'succeeded' },
    ],
  },
];

/** Thresholds of the stage's alarms. */
export const ALARM_THRESHOLDS = {
  /** API answers with a 5xx status in 5 minutes. */
  api5xx: 5,
  /** p99 latency of the API over 5 minutes, ms (below the 29 s integration timeout, far above a normal answer). */
  apiLatencyP99Ms: 5_000,
  /** Age of the oldest record a stream consumer has yet to process, ms. */
  iteratorAgeMs: 5 * 60_000,
} as const;

export interface OperationsProps {
  readonly topology: Topology;
  readonly stage: string;
  readonly functions: Readonly<Record<string, IFunction>>;
  readonly api: HttpApi;
  /** The stage's alarm topic. */
  readonly alarmAction: IAlarmAction;
}

/**
 * The stateless stack's alarms and the campaign's dashboard (issue 18): API 5xx and latency; per
 * function errors and throttles; iterator age of each stream consumer; EventBridge Scheduler
 * target errors and dropped invocations (account-wide: the campaigns' schedule groups are made at
 * run time). The queues' own alarms (dead letters, oldest message) are in the stateful stack.
 * Every alarm notifies the stage's alarm topic.
 */
export class Operations extends Construct {
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const five = Duration.minutes(5);
    const alarm = (alarmId: string, metric: IMetric, threshold: number, description: string) => {
      const made = new Alarm(this, alarmId, {
        alarmDescription: `SciDay ${props.stage}: ${description}`,
        metric,
        threshold,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      made.addAlarmAction(props.alarmAction);
      this.alarms.push(made);
      return made;
    };

    alarm('Api5xx', props.api.metricServerError({ period: five, statistic: Stats.SUM }), ALARM_THRESHOLDS.api5xx, `the API answered ${ALARM_THRESHOLDS.api5xx} or more 5xx in 5 minutes`);
    alarm(
      'ApiLatency',
      props.api.metricLatency({ period: five, statistic: Stats.percentile(99) }),
      ALARM_THRESHOLDS.apiLatencyP99Ms,
      `the API's p99 latency reached ${ALARM_THRESHOLDS.apiLatencyP99Ms} ms over 5 minutes`,
    );
    for (const [fnId, spec] of Object.entries(props.topology.functions)) {
      const fn = props.functions[fnId];
      if (!fn) continue;
      alarm(`${fnId}-Errors`, fn.metricErrors({ period: five, statistic: Stats.SUM }), 1, `${fnId} failed (Lambda Errors)`);
      alarm(`${fnId}-Throttles`, fn.metricThrottles({ period: five, statistic: Stats.SUM }), 1, `${fnId} was throttled (Lambda Throttles: concurrency exhausted)`);
      if (spec.triggers.some((t) => t.kind === 'stream')) {
        alarm(
          `${fnId}-IteratorAge`,
          fn.metric('IteratorAge', { period: five, statistic: Stats.MAXIMUM }),
          ALARM_THRESHOLDS.iteratorAgeMs,
          `${fnId} is ${ALARM_THRESHOLDS.iteratorAgeMs / 60_000} minutes or more behind its table's stream`,
        );
      }
    }
    const scheduler = (metricName: string) => new Metric({ namespace: 'AWS/Scheduler', metricName, period: five, statistic: Stats.SUM });
    alarm('SchedulerTargetErrors', scheduler('TargetErrorCount'), 1, 'EventBridge Scheduler could not invoke a target (TargetErrorCount)');
    alarm('SchedulerDropped', scheduler('InvocationDroppedCount'), 1, 'EventBridge Scheduler dropped an invocation after its retries (InvocationDroppedCount)');

    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `sciday-${props.stage}` });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# SciDay ${props.stage}: the campaign's pulse\nCounts per hour from the functions' own metrics (namespace SciDay). Alarms: the SciDay ${props.stage} alarm topic.`,
        width: 24,
        height: 2,
      }),
    );
    const hour = Duration.hours(1);
    this.dashboard.addWidgets(
      ...PULSE.map(
        (widget) =>
          new GraphWidget({
            title: widget.title,
            width: 12,
            left: widget.metrics.map(
              (m) =>
                new Metric({
                  namespace: 'SciDay',
                  metricName: m.metric,
                  dimensionsMap: { service: 'sciday', function: m.fn },
                  statistic: Stats.SUM,
                  period: hour,
                  label: m.label,
                }),
            ),
          }),
      ),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'API: requests, 4xx, 5xx (5 min)',
        width: 12,
        left: [props.api.metricCount({ period: five }), props.api.metricClientError({ period: five }), props.api.metricServerError({ period: five })],
      }),
      new GraphWidget({
        title: 'API latency p50 / p99 (ms)',
        width: 12,
        left: [props.api.metricLatency({ period: five, statistic: Stats.percentile(50) }), props.api.metricLatency({ period: five, statistic: Stats.percentile(99) })],
      }),
    );
  }
}
