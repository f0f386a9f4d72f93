import { DomainEventV1 } from '../../../events/schemas/domain-events.v1';
import { domainEventsOf } from '../../../shared/use-cases/domain-events';
import { getSample } from '../../helpers/samples';

const activity = (over: Record<string, unknown> = {}) => ({
  entity: 'Activity',
  activityId: 'a1',
  campaignId: '2021-xinxiang',
  organizationId: 'hongqi-kx',
  status: 'draft',
  version: 1,
  title: 't',
  updatedBy: 'u1',
  ...over,
});
const change = (action: 'created' | 'updated' | 'deleted', oldImage?: Record<string, unknown>, newImage?: Record<string, unknown>) => ({
  eventId: 'e1',
  action,
  at: new Date('2021-09-10T02:00:00Z'),
  keys: { pk: 'ACT#a1', sk: 'A' },
  ...(oldImage ? { oldImage } : {}),
  ...(newImage ? { newImage } : {}),
});

describe('Schema: DomainEventV1', () => {
  it.each(['activity-submitted', 'results-updated', 'summary-submitted'])('accepts the real-shaped sample %s', (name) => {
    expect(DomainEventV1.safeParse(getSample(`domain/${name}.json`)).success).toBe(true);
  });

  it('rejects an unknown detail type, a wrong version and extra fields', () => {
    const sample = getSample<Record<string, unknown>>('domain/summary-submitted.json');
    expect(DomainEventV1.safeParse({ ...sample, detailType: 'summary.deleted' }).success).toBe(false);
    expect(DomainEventV1.safeParse({ ...sample, version: 2 }).success).toBe(false);
    expect(DomainEventV1.safeParse({ ...sample, extra: 1 }).success).toBe(false);
  });
});

describe('Function: domainEventsOf', () => {
  it('says activity.submitted when a draft becomes registered, with the fields that changed', () => {
    const [event] = domainEventsOf(change('updated', activity(), activity({ status: 'registered', version: 2, submittedAt: 'x' })));
    expect(event).toMatchObject({ detailType: 'activity.submitted', id: 'e1', actor: 'u1', detail: { status: 'registered', version: 2 } });
    expect(event?.detail).toMatchObject({ changedFields: ['status', 'submittedAt', 'version'] });
    expect(DomainEventV1.safeParse(event).success).toBe(true);
  });

  it('says activity.updated for other changes and nothing for a new draft or a deletion', () => {
    expect(domainEventsOf(change('updated', activity(), activity({ title: 'u', version: 2 })))[0]?.detailType).toBe('activity.updated');
    expect(domainEventsOf(change('created', undefined, activity()))).toEqual([]);
    expect(domainEventsOf(change('deleted', activity(), undefined))).toEqual([]);
  });

  it('says results.updated and summary.submitted (first write only)', () => {
    const results = { entity: 'Results', activityId: 'a1', campaignId: '2021-xinxiang', organizationId: 'hongqi-kx', version: 1, newsLinks: ['https://a', 'https://b'] };
    expect(domainEventsOf(change('created', undefined, results))[0]).toMatchObject({ detailType: 'results.updated', detail: { newsLinks: 2 } });
    const summary = { entity: 'Summary', campaignId: '2021-xinxiang', organizationId: 'hongqi-kx', version: 1 };
    expect(domainEventsOf(change('created', undefined, summary))[0]?.detailType).toBe('summary.submitted');
    expect(domainEventsOf(change('updated', summary, { ...summary, version: 2 }))).toEqual([]);
  });

  it('says nothing for a change of index keys only (the campaign-index backfill), for results and activities alike', () => {
    const results = { pk: 'ACT#a1', sk: 'RESULTS', entity: 'Results', activityId: 'a1', campaignId: '2021-xinxiang', organizationId: 'hongqi-kx', version: 1, newsLinks: [] };
    expect(domainEventsOf(change('updated', results, { ...results, gsi2pk: 'CAMP#2021-xinxiang#RESULTS', gsi2sk: 'a1' }))).toEqual([]);
    expect(domainEventsOf(change('updated', activity(), { ...activity(), gsi3pk: 'DUE#x' }))).toEqual([]);
    // ...while a change a person sees still counts.
    expect(domainEventsOf(change('updated', results, { ...results, version: 2, newsLinks: ['https://a'] }))[0]?.detailType).toBe('results.updated');
  });

  it('ignores items that are not domain entities', () => {
    expect(domainEventsOf(change('created', undefined, { entity: 'StoredObject', campaignId: 'x' }))).toEqual([]);
  });
});
