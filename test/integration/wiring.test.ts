import { topology } from '../../infra/topology';
import { scheduleSource } from '../../infra/schedules';
import { runtimeInfo } from '../helpers/runtime';

describe('Local runtime: wiring', () => {
  it('wires every trigger of every function in the topology', () => {
    const wired = runtimeInfo().wiring.map((w) => `${w.functionId} ${w.kind} ${w.source}`).sort();
    const declared = Object.entries(topology.functions)
      .flatMap(([id, fn]) =>
        fn.triggers.map((t) => {
          if (t.kind === 'http') return `${id} http ${t.method} ${t.path}`;
          if (t.kind === 'sqs') return `${id} sqs ${t.queue}`;
          if (t.kind === 'stream') return `${id} stream ${t.table}`;
          return `${id} schedule ${scheduleSource(t)}`;
        }),
      )
      .sort();
    expect(wired).toEqual(declared);
    expect(new Set(runtimeInfo().wiring.map((w) => w.functionId))).toEqual(new Set(Object.keys(topology.functions)));
  });

  it('created every queue with its DLQ and the derived visibility timeout', () => {
    const { queues } = runtimeInfo().resources;
    expect(Object.keys(queues).sort()).toEqual(Object.keys(topology.queues).sort());
    expect(queues['media-uploads']?.dlq?.maxReceiveCount).toBe(5);
    expect(queues['media-uploads']?.visibilityTimeoutSeconds).toBe(180);
  });
});
