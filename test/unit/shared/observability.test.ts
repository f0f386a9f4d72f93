// Metrics' own warnings go to the function's structured log; an invocation with no metric logs nothing.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { observability } from '../../../shared/observability';

function captured(run: () => void): string {
  const lines: string[] = [];
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (lines.push(String(chunk)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (lines.push(String(chunk)), true));
  const warn = jest.spyOn(console, 'warn').mockImplementation((...args) => void lines.push(args.map(String).join(' ')));
  try {
    run();
  } finally {
    out.mockRestore();
    err.mockRestore();
    warn.mockRestore();
  }
  return lines.join('');
}

describe('Function: observability', () => {
  // The unit environment silences both (test/helpers/unit-env.ts); these tests read what they write.
  const saved = { level: process.env.POWERTOOLS_LOG_LEVEL, disabled: process.env.POWERTOOLS_METRICS_DISABLED };
  beforeEach(() => {
    process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  });
  afterEach(() => {
    process.env.POWERTOOLS_LOG_LEVEL = saved.level;
    process.env.POWERTOOLS_METRICS_DISABLED = saved.disabled;
  });

  it('publishes nothing, and says nothing, for an invocation without metrics (a GET)', () => {
    const { metrics } = observability('list-activities');
    expect(captured(() => metrics.publishStoredMetrics())).toBe('');
  });

  it('still publishes the metrics an invocation added, as EMF', () => {
    const { metrics } = observability('create-activity');
    metrics.addMetric('activities_created', MetricUnit.Count, 1);
    const out = captured(() => metrics.publishStoredMetrics());
    expect(JSON.parse(out)).toMatchObject({ activities_created: 1, function: 'create-activity', _aws: { CloudWatchMetrics: [{ Namespace: 'SciDay' }] } });
  });

  it('logs Metrics’ other warnings as structured JSON with the function’s keys', () => {
    const { metrics } = observability('create-activity', 'audit');
    const out = captured(() => metrics.addDimension('', 'x'));
    expect(JSON.parse(out)).toMatchObject({ level: 'WARN', function: 'create-activity', part: 'audit', message: expect.stringMatching(/dimension/i) });
  });
});
