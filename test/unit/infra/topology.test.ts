import { MAX_STREAM_READERS, STAGE_THROTTLE, dlqId, httpRoutes, queueVisibilityTimeoutSeconds, topology, validateTopology, type Topology } from '../../../infra/topology';
import { envName } from '../../../shared/env-names';
import { API_ROUTES } from '../../../shared/http/routes';

describe('Module: topology', () => {
  it('is internally consistent', () => {
    expect(validateTopology(topology)).toEqual([]);
  });

  it('gives every work queue a visibility timeout of at least 6 × its consumer timeout', () => {
    for (const [id, q] of Object.entries(topology.queues)) {
      if (q.kind !== 'work') continue;
      const consumers = Object.values(topology.functions).filter((f) =>
        f.triggers.some((t) => t.kind === 'sqs' && t.queue === id),
      );
      for (const c of consumers) expect(queueVisibilityTimeoutSeconds(topology, id)).toBeGreaterThanOrEqual(6 * c.timeoutSeconds);
    }
  });

  it('reports every broken reference and limit of a bad topology', () => {
    // Prepare
    const bad: Topology = {
      tables: { plain: { description: 'no stream', partitionKey: { name: 'pk', type: 'S' } } },
      queues: { q: { kind: 'work', description: 'q', maxReceiveCount: 2 } },
      buckets: { b: { description: 'b', notifications: [{ event: 'ObjectCreated', queue: 'missing' }] } },
      functions: {
        a: {
          description: 'a',
          entry: 'a.ts',
          timeoutSeconds: 1,
          memoryMb: 128,
          triggers: [
            { kind: 'http', method: 'GET', path: '/x', public: true },
            { kind: 'sqs', queue: 'nope', batchSize: 11, maxBatchingWindowSeconds: 0 },
            { kind: 'stream', table: 'plain', batchSize: 1, maxBatchingWindowSeconds: 0, retryAttempts: 1, onFailureQueue: 'q' },
          ],
          tables: { ghost: 'read' },
        },
        b: { description: 'b', entry: 'b.ts', timeoutSeconds: 1, memoryMb: 128, triggers: [{ kind: 'http', method: 'GET', path: '/x', public: true }] },
        c: { description: 'c', entry: 'c.ts', timeoutSeconds: 1, memoryMb: 128, triggers: [] },
      },
    };

    // Act
    const problems = validateTopology(bad);

    // Assess
    expect(problems).toEqual(
      expect.arrayContaining([
        'a: sqs trigger on unknown work queue nope',
        'a: batchSize must be 1..10',
        'a: stream trigger on table plain without a stream',
        'a: onFailureQueue q is not a failures queue',
        'a: unknown table ghost',
        'b: route GET /x is declared twice',
        "a: public route GET /x must declare its own throttle, below the stage's",
        "b: public route GET /x must declare its own throttle, below the stage's",
        'c: has no trigger',
        'q: maxReceiveCount must be >= 5',
        'b: notification to unknown work queue missing',
        'q: no function consumes it; declare it an outlet (retention and an age alarm) or give it a consumer',
      ]),
    );
    expect(problems).toHaveLength(12);
  });

  it('lets one function manage the campaign schedules, each kind of which targets one function', () => {
    // Prepare
    const fn = (triggers: Topology['functions'][string]['triggers'], manageSchedules?: boolean) => ({
      description: 'x',
      entry: 'x.ts',
      timeoutSeconds: 1,
      memoryMb: 128,
      triggers,
      ...(manageSchedules ? { manageSchedules } : {}),
    });
    const base: Topology = { tables: {}, queues: {}, buckets: {}, functions: {} };
    const milestones = fn([{ kind: 'schedule', campaignSchedules: 'milestones' }]);
    const manager = fn([{ kind: 'schedule', expression: 'cron(15 0 * * ? *)', timeZone: 'Asia/Shanghai' }], true);
    // Act + Assess
    expect(validateTopology({ ...base, functions: { milestones, manager } })).toEqual([]);
    expect(validateTopology({ ...base, functions: { milestones } })).toEqual([
      'milestones: campaign schedules target them, but no function manages them (manageSchedules)',
    ]);
    expect(validateTopology({ ...base, functions: { milestones, again: milestones, manager, other: manager } })).toEqual([
      'again: campaign milestones schedules already target milestones',
      'manager, other: only one function may manage the campaign schedules',
    ]);
    expect(Object.entries(topology.functions).filter(([, f]) => 'manageSchedules' in f && f.manageSchedules).map(([id]) => id)).toEqual(['project-changes']);
  });

  describe('stream readers (ADR 0034)', () => {
    const reader = (table: string, extra: Partial<Topology['functions'][string]> = {}): Topology['functions'][string] => ({
      description: 'r',
      entry: 'r.ts',
      timeoutSeconds: 1,
      memoryMb: 128,
      triggers: [{ kind: 'stream', table, batchSize: 10, maxBatchingWindowSeconds: 0, retryAttempts: 1, onFailureQueue: 'failures' }],
      ...extra,
    });
    const withReaders = (functions: Topology['functions']): Topology => ({
      tables: {
        t: { description: 't', partitionKey: { name: 'pk', type: 'S' }, stream: 'NEW_IMAGE' },
        u: { description: 'u', partitionKey: { name: 'pk', type: 'S' }, stream: 'NEW_IMAGE' },
      },
      queues: { failures: { kind: 'failures', description: 'f' } },
      buckets: {},
      functions,
    });

    it('accepts two readers of a table’s stream, and two of another’s', () => {
      expect(validateTopology(withReaders({ a: reader('t'), b: reader('t'), c: reader('u'), d: reader('u') }))).toEqual([]);
    });

    it('refuses a third reader of one table’s stream, naming them all', () => {
      expect(validateTopology(withReaders({ a: reader('t'), b: reader('t'), c: reader('t'), d: reader('u') }))).toEqual([
        't: 3 stream readers (a, b, c); DynamoDB Streams serves at most 2 per shard',
      ]);
    });

    it('counts each stream trigger as a reader, even two of one function', () => {
      const twice = reader('t');
      const doubled = { ...twice, triggers: [...twice.triggers, { ...twice.triggers[0]!, maxBatchingWindowSeconds: 5 } as const] };
      expect(validateTopology(withReaders({ a: doubled, b: reader('t') }))).toEqual(['t: 3 stream readers (a, a, b); DynamoDB Streams serves at most 2 per shard']);
    });

    it('has SciDay’s main table read by two functions, no more', () => {
      const readers = Object.entries(topology.functions).flatMap(([id, f]) => f.triggers.filter((t) => t.kind === 'stream' && t.table === 'main').map(() => id));
      expect(readers.sort()).toEqual(['project-changes', 'record-changes']);
      expect(readers.length).toBeLessThanOrEqual(MAX_STREAM_READERS);
    });
  });

  describe('outlets (ADR 0034)', () => {
    const consumer = (queue: string): Topology['functions'][string] => ({
      description: 'c',
      entry: 'c.ts',
      timeoutSeconds: 1,
      memoryMb: 128,
      triggers: [{ kind: 'sqs', queue, batchSize: 1, maxBatchingWindowSeconds: 0 }],
    });
    const queues = (outlet?: { retentionDays: number; oldestMessageAlarmHours: number }): Topology['queues'] => ({
      q: { kind: 'work', description: 'q', maxReceiveCount: 5, ...(outlet ? { outlet } : {}) },
    });
    const base = { tables: {}, buckets: {} };

    it('refuses a work queue that nothing consumes unless it is declared an outlet', () => {
      expect(validateTopology({ ...base, queues: queues(), functions: {} })).toEqual([
        'q: no function consumes it; declare it an outlet (retention and an age alarm) or give it a consumer',
      ]);
      expect(validateTopology({ ...base, queues: queues({ retentionDays: 14, oldestMessageAlarmHours: 48 }), functions: {} })).toEqual([]);
      expect(validateTopology({ ...base, queues: queues(), functions: { c: consumer('q') } })).toEqual([]);
    });

    it('refuses an outlet with a consumer, a retention SQS cannot keep, or an alarm after expiry', () => {
      expect(validateTopology({ ...base, queues: queues({ retentionDays: 14, oldestMessageAlarmHours: 48 }), functions: { c: consumer('q') } })).toEqual([
        'q: an outlet, but consumed by c',
      ]);
      expect(validateTopology({ ...base, queues: queues({ retentionDays: 15, oldestMessageAlarmHours: 48 }), functions: {} })).toEqual([
        'q: outlet retentionDays must be 1..14 (SQS)',
      ]);
      expect(validateTopology({ ...base, queues: queues({ retentionDays: 2, oldestMessageAlarmHours: 48 }), functions: {} })).toEqual([
        'q: outlet alarm must fire before its messages expire',
      ]);
    });

    it('makes domain-events SciDay’s one outlet, kept 14 days and alarmed well before', () => {
      const outlets = Object.entries(topology.queues).filter(([, q]) => q.kind === 'work' && 'outlet' in q);
      expect(outlets.map(([id]) => id)).toEqual(['domain-events']);
      expect(topology.queues['domain-events'].outlet).toEqual({ retentionDays: 14, oldestMessageAlarmHours: 48 });
    });
  });

  it('derives 30 s for a queue nobody consumes', () => {
    expect(queueVisibilityTimeoutSeconds(topology, 'stream-failures')).toBe(30);
  });

  it('names environment variables and DLQs after the resource id', () => {
    expect(envName.table('main')).toBe('MAIN_TABLE_NAME');
    expect(envName.queueUrl('media-uploads')).toBe('MEDIA_UPLOADS_QUEUE_URL');
    expect(envName.bucket('exports')).toBe('EXPORTS_BUCKET_NAME');
    expect(dlqId('media-uploads')).toBe('media-uploads-dlq');
  });

  it('refuses a public route without its own throttle, a throttle above the stage’s and more concurrency than reserved (ADR 0033)', () => {
    const fn = (triggers: Topology['functions'][string]['triggers'], reservedConcurrency?: number) => ({
      description: 'f',
      entry: 'f.ts',
      timeoutSeconds: 1,
      memoryMb: 128,
      triggers,
      ...(reservedConcurrency === undefined ? {} : { reservedConcurrency }),
    });
    const t: Topology = {
      tables: {},
      queues: { q: { kind: 'work', description: 'q', maxReceiveCount: 5 } },
      buckets: {},
      functions: {
        open: fn([{ kind: 'http', method: 'GET', path: '/open', public: true }]),
        loud: fn([{ kind: 'http', method: 'GET', path: '/loud', public: true, throttle: { rateLimit: STAGE_THROTTLE.rateLimit + 1, burstLimit: 10 } }]),
        fine: fn([{ kind: 'http', method: 'POST', path: '/fine', public: false, throttle: { rateLimit: 1, burstLimit: 5 } }]),
        greedy: fn([{ kind: 'sqs', queue: 'q', batchSize: 1, maxBatchingWindowSeconds: 0, maxConcurrency: 5 }], 3),
        zero: fn([{ kind: 'sqs', queue: 'q', batchSize: 1, maxBatchingWindowSeconds: 0 }], 0),
      },
    };
    expect(validateTopology(t)).toEqual([
      "open: public route GET /open must declare its own throttle, below the stage's",
      "loud: GET /loud throttle exceeds the stage's",
      'greedy: maxConcurrency 5 exceeds its reservedConcurrency 3',
      'zero: reservedConcurrency must be a positive integer',
    ]);
  });

  it('gives every public route of SciDay its own throttle, and caps how many exports run at once', () => {
    const publicRoutes = httpRoutes(topology).filter((r) => r.public);
    expect(publicRoutes.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /health',
      'GET /health/live',
      'GET /v1/campaigns/{campaignId}',
      'GET /v1/openapi.json',
      'GET /v1/public/activities/{activityId}',
      'GET /v1/public/activities/{activityId}/preview',
      'GET /v1/public/campaigns/{campaignId}/activities',
      'GET /v1/public/campaigns/{campaignId}/calendar.ics',
    ]);
    for (const r of publicRoutes) expect(r.throttle?.rateLimit).toBeLessThan(STAGE_THROTTLE.rateLimit);
    const runExport = topology.functions['run-export'];
    expect(runExport.reservedConcurrency).toBeGreaterThanOrEqual(1);
    expect(runExport.triggers[0]).toMatchObject({ kind: 'sqs', maxConcurrency: runExport.reservedConcurrency });
    // The liveness probe may touch nothing.
    expect(topology.functions['get-liveness']).not.toHaveProperty('tables');
    expect(topology.functions['get-liveness']).not.toHaveProperty('queues');
    expect(topology.functions['get-liveness']).not.toHaveProperty('buckets');
  });

  it('lists every HTTP route with its function', () => {
    expect(httpRoutes(topology)).toContainEqual(
      expect.objectContaining({ method: 'GET', path: '/health', functionId: 'get-health' }),
    );
  });

  it('serves each route of the contract’s table (shared/http/routes.ts) by its function, and no other', () => {
    const served = httpRoutes(topology).map(({ kind: _kind, throttle: _throttle, ...route }) => route);
    expect(served).toEqual(API_ROUTES);
  });
});
