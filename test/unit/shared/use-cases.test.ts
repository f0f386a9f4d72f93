import type { AuditEntry, AuditRepository } from '../../../shared/repositories/audit-repository';
import { recordAuditEntry } from '../../../shared/use-cases/record-audit-entry';
import { recordStoredObject } from '../../../shared/use-cases/record-stored-object';
import { checkHealth } from '../../../shared/use-cases/check-health';
import { normaliseSequencer, type StoredObjectObservation } from '../../../shared/repositories/stored-object-repository';

class InMemoryAudit implements AuditRepository {
  public readonly entries = new Map<string, AuditEntry>();
  public async append(entry: AuditEntry) {
    if (this.entries.has(entry.eventId)) return 'duplicate' as const;
    this.entries.set(entry.eventId, entry);
    return 'written' as const;
  }
  public async trail() {
    return [...this.entries.values()];
  }
}

const fixedClock = { now: () => new Date('2021-09-12T02:31:45.000Z') };

describe('Function: recordAuditEntry', () => {
  it('records who changed which fields once, however often the event is delivered', async () => {
    // Prepare
    const audit = new InMemoryAudit();
    const change = {
      eventId: 'e1',
      action: 'updated' as const,
      at: new Date('2021-09-12T02:31:45Z'),
      keys: { pk: 'ACTIVITY#1', sk: 'ACTIVITY' },
      oldImage: { entity: 'Activity', title: 'a', updatedBy: 'u1' },
      newImage: { entity: 'Activity', title: 'b', updatedBy: 'u2' },
    };

    // Act
    const outcomes = [await recordAuditEntry(change, { audit }), await recordAuditEntry(change, { audit })];

    // Assess
    expect(outcomes).toEqual(['written', 'duplicate']);
    expect([...audit.entries.values()]).toEqual([
      {
        subject: { pk: 'ACTIVITY#1', sk: 'ACTIVITY' },
        entity: 'Activity',
        action: 'updated',
        actor: 'u2',
        at: '2021-09-12T02:31:45.000Z',
        eventId: 'e1',
        changes: [
          { path: 'title', old: 'a', new: 'b' },
          { path: 'updatedBy', old: 'u1', new: 'u2' },
        ],
      },
    ]);
  });

  it('skips a modification that changed nothing a person sees', async () => {
    const audit = new InMemoryAudit();
    const outcome = await recordAuditEntry(
      { eventId: 'e2', action: 'updated', at: new Date(), keys: { pk: 'p', sk: 's' }, oldImage: { gsi1pk: 'a' }, newImage: { gsi1pk: 'b' } },
      { audit },
    );
    expect(outcome).toBe('unchanged');
    expect(audit.entries.size).toBe(0);
  });

  it('does not audit the lease on latest/ exports (a lock, not a record), but does audit the export job', async () => {
    const audit = new InMemoryAudit();
    const lease = { entity: 'ExportLatest', exportId: 'x', state: 'promoting', updatedBy: 'system' };
    const outcomes = [
      await recordAuditEntry({ eventId: 'l1', action: 'created', at: new Date(0), keys: { pk: 'CAMP#c#EXPORT-LATEST', sk: 'LATEST' }, newImage: lease }, { audit }),
      await recordAuditEntry({ eventId: 'l2', action: 'updated', at: new Date(0), keys: { pk: 'CAMP#c#EXPORT-LATEST', sk: 'LATEST' }, oldImage: lease, newImage: { ...lease, state: 'promoted' } }, { audit }),
      await recordAuditEntry({ eventId: 'x1', action: 'updated', at: new Date(0), keys: { pk: 'EXPORT#x', sk: 'EXPORT' }, oldImage: { entity: 'Export', status: 'running' }, newImage: { entity: 'Export', status: 'succeeded', updatedBy: 'system' } }, { audit }),
    ];
    expect(outcomes).toEqual(['not-audited', 'not-audited', 'written']);
    expect([...audit.entries.keys()]).toEqual(['x1']);
  });

  it('attributes a deletion to the system when nobody is named', async () => {
    const audit = new InMemoryAudit();
    await recordAuditEntry({ eventId: 'e3', action: 'deleted', at: new Date(0), keys: { pk: 'p', sk: 's' }, oldImage: { a: 1 } }, { audit });
    expect(audit.entries.get('e3')).toMatchObject({ actor: 'system', action: 'deleted', changes: [{ path: 'a', old: 1 }] });
  });
});

describe('Function: recordStoredObject', () => {
  it('records the size and ETag storage reports, not what the event claims', async () => {
    const recorded: StoredObjectObservation[] = [];
    const outcome = await recordStoredObject(
      { bucket: 'b', key: 'uploads/x.jpg', sequencer: '0A', eventTime: '2021-09-12T00:00:00Z' },
      {
        objects: { head: async () => ({ size: 42, etag: 'e', contentType: 'image/jpeg' }) },
        observations: { record: async (o) => (recorded.push(o), 'recorded') },
        clock: fixedClock,
      },
    );
    expect(outcome).toBe('recorded');
    expect(recorded).toEqual([
      { bucket: 'b', key: 'uploads/x.jpg', size: 42, etag: 'e', contentType: 'image/jpeg', sequencer: '0A', observedAt: '2021-09-12T02:31:45.000Z' },
    ]);
  });

  it('records nothing for an object that is gone', async () => {
    const record = jest.fn();
    const outcome = await recordStoredObject(
      { bucket: 'b', key: 'k', sequencer: '01', eventTime: '' },
      { objects: { head: async () => undefined }, observations: { record }, clock: fixedClock },
    );
    expect(outcome).toBe('gone');
    expect(record).not.toHaveBeenCalled();
  });

  it('orders sequencers of different lengths correctly once normalised', () => {
    expect(normaliseSequencer('FF') < normaliseSequencer('100')).toBe(true);
    expect(normaliseSequencer('0061391b0b5ac7b2c2')).toBe('000000000000000061391B0B5AC7B2C2');
  });
});

describe('Function: checkHealth', () => {
  it('is ok only when every dependency answers, and names the one that did not', async () => {
    const report = await checkHealth({
      clock: fixedClock,
      timeoutMs: 50,
      probes: [
        { name: 'main', kind: 'table', check: async () => undefined },
        { name: 'media', kind: 'bucket', check: async () => Promise.reject(Object.assign(new Error('x'), { name: 'NoSuchBucket' })) },
        { name: 'slow', kind: 'queue', check: (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))) },
      ],
    });
    expect(report.status).toBe('unavailable');
    expect(report.checkedAt).toBe('2021-09-12T02:31:45.000Z');
    expect(report.dependencies.map((d) => [d.name, d.ok, d.error])).toEqual([
      ['main', true, undefined],
      ['media', false, 'NoSuchBucket'],
      ['slow', false, 'no answer within 50 ms'],
    ]);
  });
});
